import type { Clock } from '../../core/service';

/**
 * Waits `ms` on the local cloud's clock (so LOCAL_CLOUD_TIME_SCALE and manual clocks drive it);
 * resolves early, without throwing, when `signal` aborts.
 */
export function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      cancel();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const cancel = clock.setTimer(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Doubling delays from `baseMs`, capped at `maxMs`: the n-th (1-based) wait of a streak. */
export const backoffMs = (attempt: number, baseMs: number, maxMs: number): number =>
  Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
