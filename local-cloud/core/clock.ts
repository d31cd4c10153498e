import type { Clock } from './service';

/** Node's setTimeout fires at once for delays above 2^31-1 ms; longer waits are chained. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Reads `LOCAL_CLOUD_TIME_SCALE`: a speed-up factor for waits, retry intervals and timeouts.
 * `1000` turns a 10 s Wait into 10 ms; `Infinity` (or `inf`) makes every wait immediate.
 */
export function timeScaleFromEnv(value = process.env.LOCAL_CLOUD_TIME_SCALE): number {
  if (value === undefined || value.trim() === '') return 1;
  if (/^inf(inity)?$/i.test(value.trim())) return Number.POSITIVE_INFINITY;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new Error(
      `LOCAL_CLOUD_TIME_SCALE must be a positive number or "Infinity", got "${value}"`,
    );
  }
  return scale;
}

export function scaleDelay(delayMs: number, timeScale = 1): number {
  if (timeScale === Number.POSITIVE_INFINITY) return 0;
  return Math.max(0, delayMs / timeScale);
}

/**
 * A timeout (TimeoutSeconds, HeartbeatSeconds) under the time scale. With an infinite scale
 * waits take no time, but a timeout scaled to zero would fire before any task could answer, so
 * timeouts are then off (undefined).
 */
export function scaleTimeout(delayMs: number, timeScale = 1): number | undefined {
  if (timeScale === Number.POSITIVE_INFINITY) return undefined;
  return scaleDelay(delayMs, timeScale);
}

export function createClock(timeScale = 1): Clock {
  return {
    timeScale,
    now: () => Date.now(),
    setTimer(fn, delayMs) {
      return setScaledTimer(fn, Date.now() + scaleDelay(delayMs, timeScale));
    },
  };
}

/** Fires `fn` at the wall-clock time `dueAt` (ms), chaining timers past setTimeout's limit. */
export function setScaledTimer(fn: () => void, dueAt: number): () => void {
  let handle: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = () => {
    const remaining = dueAt - Date.now();
    if (remaining <= 0) {
      handle = undefined;
      if (!cancelled) fn();
      return;
    }
    handle = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS));
  };
  // A zero delay still goes through setTimeout so callers never re-enter synchronously.
  handle = setTimeout(arm, Math.max(0, Math.min(dueAt - Date.now(), MAX_TIMER_MS)));
  return () => {
    cancelled = true;
    if (handle) clearTimeout(handle);
  };
}
