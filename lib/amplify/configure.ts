import { Amplify, type ResourcesConfig } from 'aws-amplify';

/** The generated `amplify_outputs.json`, as handed to the browser by the root layout. */
export type AmplifyOutputsJson = {
  auth: { user_pool_id: string; user_pool_client_id: string; aws_region: string };
  data: { url: string };
  custom?: { userPoolEndpoint?: string };
} & Record<string, unknown>;

let configured: Promise<void> | undefined;

/**
 * Configures Amplify once per page load, the same way in both modes. The only difference is
 * data-driven: the local outputs name a Cognito endpoint, which the outputs schema has no field
 * for, so it is added to the parsed config (aws-amplify accepts `userPoolEndpoint`).
 * Await it before the first Amplify call.
 */
export function configureAmplify(outputs: AmplifyOutputsJson): Promise<void> {
  configured ??= (async () => {
    if (process.env.NEXT_PUBLIC_LOCAL_CLOUD === '1') {
      // Dead code in cloud builds: Next.js inlines the variable and drops the import.
      const { installLocalRealtimeShim } = await import('./local-realtime-shim');
      installLocalRealtimeShim(outputs.data.url);
    }
    Amplify.configure(outputs);
    const userPoolEndpoint = outputs.custom?.userPoolEndpoint;
    if (userPoolEndpoint) {
      const config = Amplify.getConfig();
      const cognito = { ...config.Auth?.Cognito, userPoolEndpoint };
      Amplify.configure({ ...config, Auth: { Cognito: cognito } as ResourcesConfig['Auth'] });
    }
  })();
  return configured;
}
