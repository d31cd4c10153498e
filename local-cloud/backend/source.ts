import { existsSync } from 'node:fs';
import path from 'node:path';
import type { LocalBackend } from './model';
import { generateLocalOutputs, type LocalOutputs } from './outputs';
import { readAssembly } from './read-assembly';

/** Where the local cloud serves the backend; local URLs and ids derive from it. */
export interface GatewayAddress {
  baseUrl: string;
  region: string;
}

/**
 * What `startLocalCloud` deploys. Read once the port is bound, because a backend's local values
 * (the GraphQL URL, the token issuer) contain the gateway's address.
 */
export interface BackendSource {
  load(at: GatewayAddress): LocalBackend;
  /** `amplify_outputs.json` for this gateway, when the backend is an Amplify app. */
  outputs?(at: GatewayAddress): Promise<LocalOutputs>;
}

/**
 * An Amplify Gen 2 backend from its synthesized cloud assembly (`npm run synth`): everything
 * `ampx sandbox` would deploy, with each function's code taken from its source folder
 * (`<functionsDir>/<name>/handler.ts`), as Lambda would run the bundle built from it.
 */
export function amplifyBackend(options: {
  assemblyDir: string;
  /** Default: `amplify/functions` under the working directory. */
  functionsDir?: string;
}): BackendSource {
  const functionsDir = options.functionsDir ?? path.resolve('amplify', 'functions');
  return {
    load(at) {
      const model = readAssembly(options.assemblyDir, at);
      for (const fn of model.functions) {
        const codePath = path.join(functionsDir, fn.name, 'handler.ts');
        if (existsSync(codePath)) fn.code = { path: codePath };
      }
      return model;
    },
    outputs: (at) => generateLocalOutputs(options.assemblyDir, at),
  };
}

/** A backend given as data (tests and benchmarks that describe their own resources). */
export const staticBackend = (backend: LocalBackend): BackendSource => ({ load: () => backend });
