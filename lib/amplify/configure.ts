import { Amplify, type ResourcesConfig } from 'aws-amplify';
import { ConsoleLogger, parseAmplifyConfig } from 'aws-amplify/utils';

/** The generated `amplify_outputs.json`, as handed to the browser by the root layout. */
export type AmplifyOutputsJson = {
  auth: { user_pool_id: string; user_pool_client_id: string; aws_region: string };
  data: { url: string };
  custom?: { userPoolEndpoint?: string };
} & Record<string, unknown>;

let configured: Promise<void> | undefined;

/**
 * Configures Amplify once per page life (the promise is kept at module level, so every caller
 * in this page shares one configuration), the same way in both modes. The only difference is
 * data-driven: the local outputs name a Cognito endpoint, which the outputs schema has no field
 * for, so it is added to the parsed config (aws-amplify accepts `userPoolEndpoint`) and the
 * result is configured in one call. Await it before the first Amplify call.
 */
export function configureAmplify(outputs: AmplifyOutputsJson): Promise<void> {
  configured ??= (async () => {
    if (process.env.NEXT_PUBLIC_LOCAL_CLOUD === '1') {
      // Dead code in cloud builds: Next.js inlines the variable and drops the import.
      const { installLocalRealtimeShim } = await import('./local-realtime-shim');
      installLocalRealtimeShim(outputs.data.url);
    }
    const config = parseAmplifyConfig(outputs);
    const userPoolEndpoint = outputs.custom?.userPoolEndpoint;
    if (!userPoolEndpoint) {
      Amplify.configure(config);
      return;
    }
    const cognito = { ...config.Auth?.Cognito, userPoolEndpoint };
    const withEndpoint = { ...config, Auth: { Cognito: cognito } as ResourcesConfig['Auth'] };
    if (isLocalCloudEndpoint(userPoolEndpoint)) {
      // aws-amplify warns "You are using a custom ... Cognito User Pool endpoint, ensure the
      // endpoint is correct" on every configure that names one: once per page load here, since
      // every page's account menu configures. Against the local cloud that endpoint is the whole
      // point (its own outputs name it, on this machine), so the warning tells nobody anything:
      // it is held back for this one call only. A custom endpoint elsewhere, or in a cloud
      // build, still warns.
      withLogLevel('ERROR', () => Amplify.configure(withEndpoint));
    } else {
      Amplify.configure(withEndpoint);
    }
  })();
  return configured;
}

/** A local-cloud build talking to a Cognito endpoint on this machine. */
function isLocalCloudEndpoint(endpoint: string): boolean {
  if (process.env.NEXT_PUBLIC_LOCAL_CLOUD !== '1') return false;
  try {
    const { hostname } = new URL(endpoint);
    return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  } catch {
    return false;
  }
}

/** Runs `run` with Amplify's log level overridden, then puts the previous one back. */
function withLogLevel(level: string, run: () => void) {
  const previous = ConsoleLogger.LOG_LEVEL;
  ConsoleLogger.LOG_LEVEL = level;
  try {
    run();
  } finally {
    ConsoleLogger.LOG_LEVEL = previous;
  }
}
