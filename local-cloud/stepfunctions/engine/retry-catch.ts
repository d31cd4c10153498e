/**
 * Retry and Catch around one Task, Parallel or Map state, and the data flow after its result
 * (ResultSelector, ResultPath, OutputPath).
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 *
 * Durability: at top level every retry writes its counters and deadline as the resume point
 * before it sleeps, so a restart continues the same backoff with the budget already spent.
 */
import { scaleDelay } from '../../core/clock';
import { applyOutputPath, applyResultPath, resolveTemplate } from '../language/data-flow';
import { errorMatches, toStatesError, type StatesError } from '../language/errors';
import { retryDelayMs } from '../language/retry';
import { ABORTED } from './abort-scope';
import { contextObject, nextOf, type Outcome, type StateFrame } from './frame';
import { sleepUntil } from './timers';

/** One attempt of the state; `resumeToken` is the open task token after a restart. */
export type Attempt = (frame: StateFrame, resumeToken: string | undefined) => Promise<unknown>;

export async function withRetryAndCatch(frame: StateFrame, attempt: Attempt): Promise<Outcome> {
  const { state, scope, run } = frame;
  let pendingUntil = frame.resume?.resumeAt;
  let resumeToken = frame.resume?.token;
  for (;;) {
    try {
      if (pendingUntil !== undefined) await sleepUntil(run.host.clock, scope.abort, pendingUntil);
      pendingUntil = undefined;
      // InputPath may read $$.State.RetryCount, so each attempt evaluates it again.
      frame.effective = undefined;
      const token = resumeToken;
      resumeToken = undefined;
      const raw = await attempt(frame, token);
      const ctx = contextObject(frame);
      const result =
        state.ResultSelector !== undefined ? resolveTemplate(state.ResultSelector, raw, ctx) : raw;
      const output = applyOutputPath(
        state.OutputPath,
        applyResultPath(state.ResultPath, frame.input, result),
        ctx,
      );
      return { output, next: nextOf(state) };
    } catch (thrown) {
      if (thrown === ABORTED || scope.abort.aborted) throw ABORTED;
      const error = toStatesError(thrown);
      const delayUntil = scheduleRetry(frame, error);
      if (delayUntil !== undefined) {
        pendingUntil = delayUntil;
        continue;
      }
      return catchError(frame, error);
    }
  }
}

/** The deadline of the next attempt, or undefined if no retrier matches or it is spent. */
function scheduleRetry(frame: StateFrame, error: StatesError): number | undefined {
  const { state, scope, run, retry } = frame;
  const retriers = state.Retry ?? [];
  const index = retriers.findIndex((r) => errorMatches(r.ErrorEquals, error.name));
  const retrier = retriers[index];
  const spent = retry.counters[index] ?? 0;
  if (!retrier || spent >= (retrier.MaxAttempts ?? 3)) return undefined;
  const delay = retryDelayMs(retrier, spent);
  retry.counters[index] = spent + 1;
  retry.count += 1;
  const clock = run.host.clock;
  const dueAt = clock.now() + scaleDelay(delay, clock.timeScale ?? 1);
  if (scope.root) {
    run.host.store.setResume(run.arn, {
      retryCounters: retry.counters,
      retryCount: retry.count,
      resumeAt: dueAt,
    });
  }
  return dueAt;
}

/** The first matching catcher's Next, with the error at its ResultPath; else rethrows. */
function catchError(frame: StateFrame, error: StatesError): Outcome {
  const catcher = (frame.state.Catch ?? []).find((c) => errorMatches(c.ErrorEquals, error.name));
  if (!catcher) throw error;
  const output = applyResultPath(catcher.ResultPath, frame.input, {
    Error: error.name,
    Cause: error.cause,
  });
  return { output, next: catcher.Next };
}
