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

/**
 * Fires `fn` when `clock` reaches `dueAt`, a deadline on the clock's own time line that is
 * already time-scaled (as services store them). It goes through `clock.setTimer`, so whatever
 * drives the clock (real time, a manual clock in tests) drives this timer too.
 */
export function setTimerAt(clock: Clock, fn: () => void, dueAt: number): () => void {
  const remaining = Math.max(0, dueAt - clock.now());
  // setTimer divides a delay by the time scale; this one is scaled already, so undo that.
  const scale = clock.timeScale ?? 1;
  return clock.setTimer(fn, remaining === 0 ? 0 : remaining * scale);
}

/** A clock that only moves when told to: tests drive waits, retries and timeouts with it. */
export interface ManualClock extends Clock {
  readonly timeScale: 1;
  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way, earliest first
   * (equal due times in the order they were set); `now()` reads each timer's due time while it
   * fires. A timer set with no delay fires on the next call, `advance(0)` included.
   */
  advance(ms: number): void;
  /** Due times (ms since the epoch) of the timers not yet fired or cancelled, earliest first. */
  pendingTimers(): number[];
}

export function createManualClock(startMs = Date.now()): ManualClock {
  let now = startMs;
  let nextId = 0;
  const timers = new Map<number, { dueAt: number; fn: () => void }>();
  const earliestDue = (until: number) => {
    let found: [number, { dueAt: number; fn: () => void }] | undefined;
    // Map iteration follows insertion, so among equal due times the first set wins.
    for (const entry of timers) {
      if (entry[1].dueAt <= until && (!found || entry[1].dueAt < found[1].dueAt)) found = entry;
    }
    return found;
  };
  return {
    timeScale: 1,
    now: () => now,
    setTimer(fn, delayMs) {
      const id = nextId++;
      timers.set(id, { dueAt: now + Math.max(0, delayMs), fn });
      return () => {
        timers.delete(id);
      };
    },
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new Error(`advance() needs a finite, non-negative number of ms, got ${ms}`);
      }
      const target = now + ms;
      for (let due = earliestDue(target); due; due = earliestDue(target)) {
        timers.delete(due[0]);
        now = Math.max(now, due[1].dueAt);
        due[1].fn();
      }
      now = target;
    },
    pendingTimers: () => [...timers.values()].map((t) => t.dueAt).sort((a, b) => a - b),
  };
}
