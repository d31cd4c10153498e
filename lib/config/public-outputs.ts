import type { AmplifyOutputsJson } from '@/lib/amplify/configure';
import { loadOutputs } from './outputs';

/**
 * What the browser needs from `amplify_outputs.json` (all of it is public: pool and client
 * ids, the GraphQL URL). Null when the backend is not set up yet, so the shop still renders.
 */
export function publicOutputs(): AmplifyOutputsJson | null {
  try {
    return loadOutputs() as unknown as AmplifyOutputsJson;
  } catch {
    return null;
  }
}
