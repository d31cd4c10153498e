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
