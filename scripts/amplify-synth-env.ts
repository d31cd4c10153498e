/**
 * The environment `tsx amplify/backend.ts` needs to synthesize offline: the CDK app reads its
 * output folder and context (the Amplify backend identifier) from these variables, exactly as
 * `ampx` would pass them.
 */
export interface SynthOptions {
  outdir: string;
  /** A sandbox-like identity; only used to name stacks. */
  namespace?: string;
  name?: string;
  type?: 'sandbox' | 'branch' | 'standalone';
  /** Skip esbuild bundling of the Lambdas (tests that only read templates). */
  skipBundling?: boolean;
}

export function synthEnv(options: SynthOptions): NodeJS.ProcessEnv {
  const context: Record<string, unknown> = {
    'amplify-backend-namespace': options.namespace ?? 'orderstore',
    'amplify-backend-name': options.name ?? 'offline',
    'amplify-backend-type': options.type ?? 'sandbox',
  };
  if (options.skipBundling) context['aws:cdk:bundling-stacks'] = [];
  return {
    ...process.env,
    CDK_OUTDIR: options.outdir,
    CDK_CONTEXT_JSON: JSON.stringify(context),
    // ampx and the backend libraries otherwise wait on telemetry that never settles offline.
    AMPLIFY_DISABLE_TELEMETRY: '1',
  };
}
