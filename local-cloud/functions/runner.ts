import { pathToFileURL } from 'node:url';
import { functionNameFromReference } from './naming';

/** The second argument Lambda passes a Node handler (the parts handlers plausibly read). */
export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  awsRequestId: string;
  memoryLimitInMB: string;
  getRemainingTimeInMillis(): number;
  callbackWaitsForEmptyEventLoop: boolean;
}

export type LambdaHandler = (event: unknown, context: LambdaContext) => unknown;

/** Where a function's code lives: a module path (dynamic import) or an in-memory handler. */
export type HandlerSource = LambdaHandler | { modulePath: string; exportName?: string };

/** Maps a function reference (ARN or name) to its code; undefined = no such function. */
export type ResolveHandler = (functionArn: string) => HandlerSource | undefined;

export class FunctionNotFoundError extends Error {
  constructor(reference: string) {
    super(`Function not found: ${reference}`);
    this.name = 'Lambda.ResourceNotFoundException';
  }
}

/**
 * Runs Lambda handlers in-process, the way the local cloud stands in for Lambda: modules are
 * imported once (tsx and vitest both resolve `.ts`) and called with a Lambda-like context.
 * Deviation from AWS: no isolation, no cold starts, no memory/time limit enforcement
 * (the Step Functions task timeout still applies), and `process.env` is shared by all handlers;
 * it is set once at startup (see `applyFunctionEnvironment`), not per invocation, because
 * concurrent invocations would otherwise see each other's values.
 */
export class LambdaRunner {
  private readonly loaded = new Map<string, Promise<LambdaHandler>>();

  constructor(
    private readonly resolve: ResolveHandler,
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  /** True when `reference` names a function this runner can run. */
  has(reference: string): boolean {
    return this.resolve(reference) !== undefined;
  }

  async invoke(reference: string, event: unknown, timeoutMs = 900_000): Promise<unknown> {
    const handler = await this.load(reference);
    const name = functionNameFromReference(reference) ?? reference;
    const deadline = Date.now() + timeoutMs;
    const context: LambdaContext = {
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: reference.startsWith('arn:')
        ? reference
        : `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`,
      awsRequestId: crypto.randomUUID(),
      memoryLimitInMB: '128',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      callbackWaitsForEmptyEventLoop: true,
    };
    // A deep copy, because a real Lambda receives serialised JSON and cannot mutate our state.
    const payload = event === undefined ? {} : JSON.parse(JSON.stringify(event));
    const result = await handler(payload, context);
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  }

  private load(reference: string): Promise<LambdaHandler> {
    const source = this.resolve(reference);
    if (!source) return Promise.reject(new FunctionNotFoundError(reference));
    if (typeof source === 'function') return Promise.resolve(source);
    const key = `${source.modulePath}#${source.exportName ?? 'handler'}`;
    let loading = this.loaded.get(key);
    if (!loading) {
      loading = import(pathToFileURL(source.modulePath).href).then(
        (mod: Record<string, unknown>) => {
          const fn = mod[source.exportName ?? 'handler'];
          if (typeof fn !== 'function') {
            throw new Error(
              `${source.modulePath} does not export ${source.exportName ?? 'handler'}()`,
            );
          }
          return fn as LambdaHandler;
        },
      );
      loading.catch(() => this.loaded.delete(key));
      this.loaded.set(key, loading);
    }
    return loading;
  }
}

/** Sets the handlers' environment once, at startup (process.env is global; see LambdaRunner). */
export function applyFunctionEnvironment(env: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(env ?? {})) process.env[name] = value;
}
