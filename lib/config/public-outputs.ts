import type { AmplifyOutputsJson } from '@/lib/amplify/configure';
import { loadOutputs } from './outputs';

/**
 * What the browser needs from `amplify_outputs.json`: auth and data (pool and client ids, the
 * GraphQL URL) and the local Cognito endpoint if any. Table names, the state machine ARN and
 * policy ARNs stay on the server. Null when the backend is not set up, so the shop still renders.
 */
export function publicOutputs(): AmplifyOutputsJson | null {
  let outputs;
  try {
    outputs = loadOutputs();
  } catch {
    return null;
  }
  const { userPoolEndpoint } = outputs.custom;
  return {
    version: outputs.version,
    auth: outputs.auth,
    data: outputs.data,
    ...(userPoolEndpoint ? { custom: { userPoolEndpoint } } : {}),
  };
}
