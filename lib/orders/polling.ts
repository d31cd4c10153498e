import { EXPECTED_STEP_SECONDS, type StepName } from '@/amplify/functions/shared/order-status';

/**
 * When a polling client may ask again, after the seed's advice: poll after the expected
 * duration of the current step, back off exponentially while nothing changes, and enforce it
 * with throttling (429 + Retry-After).
 *
 * What counts as an "empty poll" is decided with HTTP's own tool: a poll carrying
 * `If-None-Match` with the current ETag says "I already have this". Those are throttled until
 * `nextPollAt`. A poll with an older ETag is behind and always served. A read without any ETag
 * (a first load, a reload, a second tab) cannot be judged empty, so it only has a short floor
 * (`UNCONDITIONAL_READ_INTERVAL_MS`) to stop a client from evading the schedule by dropping the
 * header. A client that honours `nextPollAt` never sees a 429.
 */
export const MAX_POLL_DELAY_SECONDS = 300;
/** Early polls within this margin are served: timers fire late, clocks differ a little. */
export const EARLY_POLL_TOLERANCE_MS = 500;

/**
 * `ORDER_POLL_TIME_SCALE` shrinks every delay for demos and tests (0.05 turns the two-minute
 * warehouse wait into six seconds). Off (1) by default.
 */
function timeScale(): number {
  const scale = Number(process.env.ORDER_POLL_TIME_SCALE ?? 1);
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

export function pollDelaySeconds(seconds: number): number {
  return Math.max(1, Math.round(seconds * timeScale() * 1000) / 1000);
}

/** Reads without an ETag, per user and order, are served at most this often. */
export const UNCONDITIONAL_READ_INTERVAL_MS = 2_000;

export interface PollState {
  /** The order's `seq` the client last received. */
  lastSeq: number;
  /** How many polls in a row found nothing new. */
  unchanged: number;
  /** Epoch ms before which an unchanged poll is refused. */
  nextPollAt: number;
  /** Epoch ms of the last read without an ETag. */
  lastUnconditionalAt?: number;
}

/** Seconds an unconditional read must wait, or undefined when it may be served. */
export function unconditionalReadRetryAfter(now: number, state?: PollState) {
  if (state?.lastUnconditionalAt === undefined) return undefined;
  const wait = state.lastUnconditionalAt + UNCONDITIONAL_READ_INTERVAL_MS - now;
  return wait > 0 ? Math.ceil(wait / 1000) : undefined;
}

export interface OrderProgress {
  seq: number;
  currentStep?: StepName;
  /** When the current step last changed (ISO). */
  updatedAt: string;
}

/** Seconds the client must still wait, or undefined when this poll may be served. */
export function earlyPollRetryAfter(now: number, order: OrderProgress, state?: PollState) {
  if (!state || state.lastSeq !== order.seq) return undefined;
  const wait = state.nextPollAt - now;
  return wait > EARLY_POLL_TOLERANCE_MS ? Math.ceil(wait / 1000) : undefined;
}

export function planNextPoll(now: number, order: OrderProgress, previous?: PollState): PollState {
  const unchanged = previous && previous.lastSeq === order.seq ? previous.unchanged + 1 : 0;
  const expected = EXPECTED_STEP_SECONDS[order.currentStep ?? 'ReserveInventory'];
  const elapsed = (now - Date.parse(order.updatedAt)) / 1000;
  // First ask when the step should be done; past that, not sooner than a quarter of it.
  const remaining = Math.max(expected - elapsed, expected / 4);
  const delay = Math.min(MAX_POLL_DELAY_SECONDS, remaining * 2 ** unchanged);
  return {
    lastSeq: order.seq,
    unchanged,
    nextPollAt: now + pollDelaySeconds(delay) * 1000,
  };
}
