import type { FunctionError } from './types';

/**
 * Invoke's 429 when a function's reserved concurrency is in use. Lambda's body carries the
 * reason `ReservedFunctionConcurrentInvocationLimitExceeded` and the message `Rate Exceeded.`
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html, TooManyRequestsException).
 */
export class TooManyRequestsError extends Error {
  readonly reason = 'ReservedFunctionConcurrentInvocationLimitExceeded';
  constructor(readonly functionName: string) {
    super('Rate Exceeded.');
    this.name = 'TooManyRequestsException';
  }
}

/** Invoke's 404, worded as Lambda words it. */
export class FunctionNotFoundError extends Error {
  constructor(readonly functionArn: string) {
    super(`Function not found: ${functionArn}`);
    this.name = 'ResourceNotFoundException';
  }
}

/**
 * The errors the Lambda service itself (not the function's code) reports when it ends an
 * execution environment. Shapes as the Invoke payload carries them:
 * - timeout: `Sandbox.Timedout`, `RequestId: <id> Error: Task timed out after 3.00 seconds`
 *   (troubleshooting page: https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html
 *   names the type; the message format is the one AWS's runtime interface emulator writes);
 * - out of memory: `Runtime.OutOfMemory` (the error type current runtimes report in the REPORT
 *   line and the payload; older ones reported `Runtime.ExitError` with `signal: killed`);
 * - the runtime process ended: `Runtime.ExitError`, `RequestId: <id> Error: Runtime exited with
 *   error: exit status 1` (or `signal: killed`), as Go's exec error prints it.
 * The environment is reset after each of them, so the next invocation is a cold start
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html, "Invoke phase").
 */
export function timedOutError(requestId: string, timeoutSeconds: number): FunctionError {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  };
}

export function outOfMemoryError(requestId: string): FunctionError {
  return {
    errorType: 'Runtime.OutOfMemory',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
  };
}

/** Go's wording for the signals a runtime process dies of (`signal: killed` is SIGKILL). */
const SIGNAL_WORDS: Record<string, string> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGINT: 'interrupt',
};

export function exitError(
  requestId: string,
  exit: { code: number | null; signal: string | null },
): FunctionError {
  const how = exit.signal
    ? `signal: ${SIGNAL_WORDS[exit.signal] ?? exit.signal}`
    : `exit status ${exit.code ?? 0}`;
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${how}`,
  };
}
