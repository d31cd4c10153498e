/** Wait: https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html */
import { scaleDelay } from '../../../core/clock';
import { applyOutputPath } from '../../language/data-flow';
import { runtimeError } from '../../language/errors';
import { readReferencePath } from '../../language/json-path';
import { contextObject, effectiveInput, nextOf, type Outcome, type StateFrame } from '../frame';
import { sleepUntil } from '../timers';

/**
 * RFC 3339 with an uppercase T, and Z or a numeric offset, as the Wait page requires
 * ("2024-08-18T17:33:00Z").
 */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Wait failures are States.Runtime, with the causes AWS gives for a SecondsPath that is not an
 * integer or is negative, and a TimestampPath that is not a timestamp.
 */
function secondsFrom(path: string, value: unknown): number {
  const shown = `${path} == ${JSON.stringify(value)}`;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw runtimeError(`The SecondsPath parameter cannot be parsed as a long value: ${shown}`);
  }
  if (value < 0)
    throw runtimeError(`The SecondsPath parameter references a negative value: ${shown}`);
  return value;
}

function timestampFrom(field: string, value: unknown): number {
  const at = typeof value === 'string' && RFC3339.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) {
    throw runtimeError(
      `The ${field} parameter does not reference a valid ISO-8601 extended offset date-time format string: ${JSON.stringify(value)}`,
    );
  }
  // "Step Functions considers the time value up to seconds and truncates milliseconds."
  return Math.floor(at / 1000) * 1000;
}

/** The deadline on the clock's (time-scaled) time line. */
function deadline(frame: StateFrame, effective: unknown): number {
  const { state, run } = frame;
  const clock = run.host.clock;
  const now = clock.now();
  const scale = clock.timeScale ?? 1;
  const read = (path: string) => readReferencePath(path, effective, contextObject(frame));
  let seconds = state.Seconds;
  if (seconds === undefined && state.SecondsPath !== undefined) {
    seconds = secondsFrom(state.SecondsPath, read(state.SecondsPath));
  }
  if (seconds !== undefined) return now + scaleDelay(seconds * 1000, scale);
  let at: number | undefined;
  if (state.Timestamp !== undefined) at = timestampFrom('Timestamp', state.Timestamp);
  else if (state.TimestampPath !== undefined) {
    at = timestampFrom('TimestampPath', read(state.TimestampPath));
  }
  if (at === undefined) {
    throw runtimeError('Wait state needs Seconds, SecondsPath, Timestamp or TimestampPath');
  }
  return now + scaleDelay(Math.max(0, at - now), scale);
}

export async function runWait(frame: StateFrame): Promise<Outcome> {
  const { state, scope, run } = frame;
  const effective = effectiveInput(frame);
  // After a restart the deadline is the one computed before the crash, not a fresh one.
  const resumeAt = frame.resume?.resumeAt;
  const dueAt = resumeAt ?? deadline(frame, effective);
  if (scope.root && resumeAt === undefined) run.host.store.setResume(run.arn, { resumeAt: dueAt });
  await sleepUntil(run.host.clock, scope.abort, dueAt);
  return {
    output: applyOutputPath(state.OutputPath, effective, contextObject(frame)),
    next: nextOf(state),
  };
}
