/** A Step Functions error: `name` is what Retry/Catch `ErrorEquals` match, `cause` is free text. */
export class StatesError extends Error {
  constructor(
    name: string,
    readonly cause: string = '',
  ) {
    super(cause || name);
    this.name = name;
  }
}

/** Errors that `States.ALL` does not catch, as in AWS (they are terminal). */
const UNCATCHABLE = new Set(['States.Runtime', 'States.DataLimitExceeded']);

/**
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 * `States.Timeout` is a Task that "ran longer than the TimeoutSeconds value, or failed to send a
 * heartbeat for a period longer than the HeartbeatSeconds value", so it also matches
 * `States.HeartbeatTimeout`; `States.TaskFailed` matches any task failure except a timeout.
 */
export function errorMatches(errorEquals: readonly string[], errorName: string): boolean {
  if (errorEquals.includes(errorName)) return true;
  if (errorEquals.includes('States.ALL')) return !UNCATCHABLE.has(errorName);
  if (errorName === 'States.HeartbeatTimeout' && errorEquals.includes('States.Timeout'))
    return true;
  return (
    errorEquals.includes('States.TaskFailed') &&
    errorName !== 'States.Timeout' &&
    errorName !== 'States.HeartbeatTimeout' &&
    !UNCATCHABLE.has(errorName)
  );
}

export const runtimeError = (message: string) => new StatesError('States.Runtime', message);

/** Turns whatever a handler threw into the error Step Functions would report. */
export function toStatesError(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  if (error instanceof Error) {
    const cause = JSON.stringify({ errorMessage: error.message, errorType: error.name });
    return new StatesError(error.name || 'Error', cause);
  }
  return new StatesError(
    'Error',
    JSON.stringify({ errorMessage: String(error), errorType: 'Error' }),
  );
}
