/**
 * The engine's only ways to wait for time, both on the host's Clock (`setTimerAt`), so a
 * time-scaled clock speeds them up and a manual clock in tests drives them. Deadlines are on
 * the clock's time line and already time-scaled, as the store keeps them.
 */
import type { Clock } from '../../core/service';
import { setTimerAt } from '../../core/clock';
import { StatesError } from '../language/errors';
import type { AbortScope } from './abort-scope';

/** Resolves at `dueAt`, or rejects with ABORTED if the scope aborts first. */
export function sleepUntil(clock: Clock, abort: AbortScope, dueAt: number): Promise<void> {
  if (dueAt <= clock.now()) return abort.guard(Promise.resolve());
  let cancel: (() => void) | undefined;
  const sleeping = new Promise<void>((resolve) => {
    cancel = setTimerAt(clock, resolve, dueAt);
  });
  return abort.guard(sleeping).finally(() => cancel?.());
}

/** `promise`, or States.Timeout after `timeoutMs` (already scaled); undefined means no limit. */
export function withTimeout<T>(
  clock: Clock,
  promise: Promise<T>,
  timeoutMs: number | undefined,
): Promise<T> {
  if (timeoutMs === undefined) return promise;
  let cancel: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    cancel = setTimerAt(
      clock,
      () => reject(new StatesError('States.Timeout', 'Task timed out')),
      clock.now() + timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => cancel?.());
}
