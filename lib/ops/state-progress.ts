import type { HistoryEvent } from '@aws-sdk/client-sfn';

/**
 * What one execution did in each state of its state machine, folded from its event history
 * (`GetExecutionHistory`, oldest first). The console colours the graph from it: a state is
 * `retrying` from a failed attempt until the next one is scheduled or a Catch takes over,
 * `caught` when it exited after its last attempt failed (a Catch moved on), `failed` when the
 * execution ended in it. History event types and details as in the API reference:
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */
export type StateOutcome =
  'not-reached' | 'running' | 'retrying' | 'succeeded' | 'caught' | 'failed' | 'stopped';

export interface StateProgress {
  outcome: Exclude<StateOutcome, 'not-reached'>;
  /** Task attempts made (a retry is an attempt after the first); 0 for states without work. */
  attempts: number;
  enteredAt: string;
  exitedAt?: string;
  /** The latest failure in this state, retried or not. */
  error?: { error?: string; cause?: string };
}

export interface ExecutionProgress {
  states: Record<string, StateProgress>;
  /** State names in the order they were entered (a redriven state appears again). */
  path: string[];
  /** Transitions taken, `from → to`, for highlighting edges. */
  transitions: { from: string; to: string }[];
}

/** Events that start one attempt of a task's work. */
const ATTEMPT_STARTS = new Set(['LambdaFunctionScheduled', 'TaskScheduled', 'ActivityScheduled']);
/** Events that end an attempt unsuccessfully (a Retry or Catch decides what follows). */
const ATTEMPT_FAILURES = new Set([
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'LambdaFunctionStartFailed',
  'LambdaFunctionScheduleFailed',
  'TaskFailed',
  'TaskTimedOut',
  'TaskStartFailed',
  'TaskSubmitFailed',
  'ActivityFailed',
  'ActivityTimedOut',
  'ActivityScheduleFailed',
]);
const ATTEMPT_SUCCESSES = new Set([
  'LambdaFunctionSucceeded',
  'TaskSucceeded',
  'ActivitySucceeded',
]);
const EXECUTION_ENDS: Record<string, StateProgress['outcome']> = {
  ExecutionFailed: 'failed',
  ExecutionTimedOut: 'failed',
  ExecutionAborted: 'stopped',
};

export function foldHistory(events: readonly HistoryEvent[]): ExecutionProgress {
  const states: Record<string, StateProgress> = {};
  const path: string[] = [];
  const transitions: { from: string; to: string }[] = [];
  // The state the execution is in; a state's work events belong to it (no Parallel/Map here).
  let current: { name: string; lastAttemptFailed: boolean } | undefined;

  for (const event of events) {
    const type = event.type ?? '';
    const at = event.timestamp ? new Date(event.timestamp).toISOString() : '';
    if (type.endsWith('StateEntered') && event.stateEnteredEventDetails?.name) {
      const name = event.stateEnteredEventDetails.name;
      const previous = path.at(-1);
      if (previous && previous !== name) transitions.push({ from: previous, to: name });
      path.push(name);
      const known = states[name];
      states[name] = {
        attempts: known?.attempts ?? 0,
        error: known?.error,
        enteredAt: at,
        // A Fail state ends the execution as it is entered; it never exits.
        outcome: type === 'FailStateEntered' ? 'failed' : 'running',
      };
      current = { name, lastAttemptFailed: false };
      continue;
    }
    const state = current && states[current.name];
    if (!current || !state) continue;
    if (ATTEMPT_STARTS.has(type)) {
      state.attempts += 1;
      state.outcome = 'running';
      current.lastAttemptFailed = false;
    } else if (ATTEMPT_FAILURES.has(type)) {
      state.outcome = 'retrying';
      state.error = failureOf(event);
      current.lastAttemptFailed = true;
    } else if (ATTEMPT_SUCCESSES.has(type)) {
      current.lastAttemptFailed = false;
    } else if (type.endsWith('StateExited')) {
      state.outcome = current.lastAttemptFailed ? 'caught' : 'succeeded';
      state.exitedAt = at;
    } else if (type in EXECUTION_ENDS && state.outcome !== 'failed') {
      state.outcome = EXECUTION_ENDS[type]!;
      state.exitedAt = at;
    }
  }
  return { states, path, transitions };
}

function failureOf(event: HistoryEvent): { error?: string; cause?: string } {
  const details =
    event.lambdaFunctionFailedEventDetails ??
    event.lambdaFunctionTimedOutEventDetails ??
    event.lambdaFunctionStartFailedEventDetails ??
    event.lambdaFunctionScheduleFailedEventDetails ??
    event.taskFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.taskStartFailedEventDetails ??
    event.taskSubmitFailedEventDetails ??
    event.activityFailedEventDetails ??
    event.activityTimedOutEventDetails ??
    event.activityScheduleFailedEventDetails;
  return { error: details?.error, cause: details?.cause };
}
