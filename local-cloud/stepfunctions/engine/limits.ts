/**
 * The Step Functions quotas that keep one execution from taking the process down with it.
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
import { StatesError, runtimeError } from '../language/errors';

/**
 * "Maximum execution history size: 25,000 events"; an execution that reaches it fails with
 * States.Runtime. https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html
 * We stop appending state events at 24,999 so the ExecutionFailed event is the 25,000th.
 */
export const MAX_HISTORY_EVENTS = 25_000;

export const historyLimitReached = () =>
  runtimeError(
    `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`,
  );

/** "Maximum input or output size for a task, state, or execution: 256 KiB of UTF-8 data". */
export const MAX_PAYLOAD_BYTES = 262_144;

/**
 * Throws States.DataLimitExceeded if `json` (a serialized payload) is over 256 KiB in UTF-8.
 * AWS checks a state's input after Parameters, its output, and a connector's (task's) output:
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 * `States.ALL` does not catch it (language/errors.ts).
 */
export function checkPayloadSize(json: string, what: string): void {
  // A UTF-16 code unit is 1 to 3 UTF-8 bytes: most payloads are decided without encoding them.
  if (json.length * 3 <= MAX_PAYLOAD_BYTES) return;
  const bytes = json.length > MAX_PAYLOAD_BYTES ? json.length : Buffer.byteLength(json, 'utf8');
  if (bytes <= MAX_PAYLOAD_BYTES) return;
  throw new StatesError(
    'States.DataLimitExceeded',
    `${what} has a size of at least ${bytes} bytes, which exceeds the maximum number of bytes service limit (${MAX_PAYLOAD_BYTES}).`,
  );
}

/**
 * "In this mode, the Map state supports up to 40 concurrent iterations"; a MaxConcurrency of 0
 * (the default) means no limit of its own, so the 40 apply.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html
 */
export const MAX_INLINE_MAP_CONCURRENCY = 40;
