import { pathToFileURL } from 'node:url';
import type { InvokeResult, LambdaContext, LambdaHandler } from './types';

/**
 * Runs a handler given as a function, in the caller's thread. For benchmarks of the Step
 * Functions engine and for unit tests of the local cloud only: it has none of Lambda's
 * isolation (no own environment, no timeout, no memory limit). Functions of a backend run in
 * the Lambda runtime instead.
 */
export async function invokeInProcess(
  handler: LambdaHandler,
  event: unknown,
  context: Omit<LambdaContext, 'getRemainingTimeInMillis'> & { timeoutMs: number },
): Promise<InvokeResult> {
  const started = performance.now();
  const { timeoutMs, ...rest } = context;
  const deadline = Date.now() + timeoutMs;
  try {
    // Copies through JSON both ways, because a real Lambda receives serialised JSON.
    const result = await handler(JSON.parse(JSON.stringify(event ?? {})), {
      ...rest,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    });
    const payload = result === undefined ? null : JSON.parse(JSON.stringify(result));
    return { ok: true, payload, durationMs: performance.now() - started, coldStart: false };
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    return {
      ok: false,
      error: {
        errorType: error.name || 'Error',
        errorMessage: error.message,
        trace: (error.stack ?? '').split('\n'),
      },
      durationMs: performance.now() - started,
      coldStart: false,
    };
  }
}

const loaded = new Map<string, Promise<LambdaHandler>>();

/** Imports a handler module once (tsx and vitest both resolve `.ts`). */
export function loadHandlerModule(
  modulePath: string,
  exportName = 'handler',
): Promise<LambdaHandler> {
  const key = `${modulePath}#${exportName}`;
  let loading = loaded.get(key);
  if (!loading) {
    loading = import(pathToFileURL(modulePath).href).then((mod: Record<string, unknown>) => {
      const fn = mod[exportName];
      if (typeof fn !== 'function')
        throw new Error(`${modulePath} does not export ${exportName}()`);
      return fn as LambdaHandler;
    });
    loading.catch(() => loaded.delete(key));
    loaded.set(key, loading);
  }
  return loading;
}
