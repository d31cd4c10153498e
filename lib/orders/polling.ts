import {
  EXPECTED_STEP_SECONDS,
  type StepName,
  type StepStatus,
} from '@/amplify/functions/shared/order-status';
import workflow from '@/amplify/workflow/order-workflow.asl.json';

/**
 * When a polling client may ask again (`nextPollAt`), and how that is enforced.
 *
 * The throttle is decided on what the server kept per caller and order (`PollState`: the `seq`
 * it last served and when, and the next allowed time), never on what the client claims to hold.
 * Before `nextPollAt` a request gets an answer only if the order changed since that caller's
 * last answer; otherwise 429 with Retry-After. So:
 * - A forged or stale `If-None-Match` buys nothing: the ETag only picks 304 or 200 for a request
 *   that is served anyway.
 * - A read without any ETag (a reload, a second tab: it holds nothing, so it needs the body) is
 *   let through early once per poll window, without moving the schedule. Dropping the header
 *   therefore gains a client at most one extra answer per window, and a page that honours
 *   `nextPollAt` is never pushed back by its own reload.
 * A client that asks at or after `nextPollAt` is always served, so it never sees a 429 (unless
 * two of its requests race for the same window: one wins, see `read-order.ts`).
 *
 * The schedule follows what the server knows of the workflow: the steps' expected durations
 * until the order settles (see `FOLLOWED_BY`), the end of a scheduled retry back-off, the
 * warehouse step's deadline; past those it backs off exponentially while nothing changes, up
 * to 5 minutes, or `WATCHED_MAX_DELAY_SECONDS` for an order a page is showing.
 */
export const MAX_POLL_DELAY_SECONDS = 300;
/**
 * The back-off cap for an order a page is watching. Someone is looking at it, so the page should
 * learn of a change within half a minute; 25 s leaves room for a late timer and the round trip.
 */
export const WATCHED_MAX_DELAY_SECONDS = 25;
/** Early polls within this margin are served: timers fire late, clocks differ a little. */
export const EARLY_POLL_TOLERANCE_MS = 500;
/** A timed-out warehouse task goes on to compensation: ask shortly after the deadline. */
const AFTER_DEADLINE_MS = 2_000;

/**
 * How the tracking page says it is showing the order: `Prefer: watch` (RFC 7240 style; the
 * server answers `Preference-Applied: watch`). It only lowers the back-off cap; the throttle
 * holds all the same, so claiming it falsely gains little.
 */
export const WATCH_PREFERENCE = 'watch';

export function prefersWatch(prefer: string | null | undefined): boolean {
  return (prefer ?? '')
    .split(',')
    .some((token) => token.split(';')[0]!.trim().toLowerCase() === WATCH_PREFERENCE);
}

/**
 * `ORDER_POLL_TIME_SCALE` shrinks every delay for demos and tests (0.05 turns the two-minute
 * warehouse wait into six seconds). Off (1) by default.
 */
function timeScale(): number {
  const scale = Number(process.env.ORDER_POLL_TIME_SCALE ?? 1);
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

/** A delay (nominal seconds) after the time scale, never under a second. */
export function pollDelaySeconds(seconds: number): number {
  return Math.max(1, Math.round(seconds * timeScale() * 1000) / 1000);
}

/** Workflow durations (nominal seconds) as real milliseconds, after the time scale. */
function scaledMs(seconds: number): number {
  return seconds * timeScale() * 1000;
}

export interface PollState {
  /** The order's `seq` this caller was last served. */
  lastSeq: number;
  /** Epoch ms of that answer. */
  servedAt: number;
  /** How many answers in a row found nothing new. */
  unchanged: number;
  /** Epoch ms before which an unchanged order is not served again. */
  nextPollAt: number;
  /** The `nextPollAt` of the window whose one early unconditional read was used. */
  graceWindow?: number;
}

export interface OrderProgress {
  seq: number;
  currentStep?: StepName;
  /** The status of the latest update: FAILED while the order runs means a retry is due. */
  stepStatus?: StepStatus;
  /** `$$.State.RetryCount` of the latest update (0 on the first try). */
  attempt?: number;
  /** When the latest update was recorded (ISO). */
  updatedAt: string;
  /** When the warehouse task times out (ISO), while the order waits for the warehouse. */
  warehouseDeadline?: string;
}

export type PollDecision =
  { serve: true; grace: boolean } | { serve: false; retryAfterSeconds: number };

/**
 * Whether this request is answered. `unconditional`: it carries no `If-None-Match` at all.
 * The ETag's value does not matter here (see the module comment).
 */
export function decidePoll(
  now: number,
  order: Pick<OrderProgress, 'seq'>,
  state: PollState | undefined,
  unconditional: boolean,
): PollDecision {
  if (!state || state.lastSeq !== order.seq) return { serve: true, grace: false };
  const wait = state.nextPollAt - now;
  if (wait <= EARLY_POLL_TOLERANCE_MS) return { serve: true, grace: false };
  if (unconditional && state.graceWindow !== state.nextPollAt) return { serve: true, grace: true };
  return { serve: false, retryAfterSeconds: Math.ceil(wait / 1000) };
}

interface Retrier {
  IntervalSeconds?: number;
  BackoffRate?: number;
  MaxAttempts?: number;
  MaxDelaySeconds?: number;
}

/**
 * The longest wait before the retry of `step` after its try `attempt` (its retry count) failed,
 * from the workflow definition itself, so it cannot drift from it. FULL jitter waits anywhere up
 * to that, so by then the retry has started. 0 when no retrier has retries left (`MaxAttempts`
 * counts retries): the Catch moves on at once.
 */
export function retryBackoffSeconds(step: StepName, attempt: number): number {
  const state = (workflow.States as Record<string, { Retry?: Retrier[] }>)[step];
  const waits = (state?.Retry ?? [])
    .filter((r) => attempt < (r.MaxAttempts ?? 3))
    .map((r) =>
      Math.min(
        r.MaxDelaySeconds ?? Infinity,
        (r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** attempt,
      ),
    );
  return Math.max(0, ...waits);
}

/**
 * The step that follows `step` when it succeeds, up to the point a client is waiting for: the
 * warehouse's decision (a person, minutes to hours) or the end. The automatic steps in between
 * take seconds each, and a page that shows them as they happen has the live subscription; a poll
 * at the end of every one of them would cost a request each and tell the outcome no sooner.
 */
const FOLLOWED_BY: Partial<Record<StepName, StepName>> = {
  Queued: 'ReserveInventory',
  ReserveInventory: 'ChargePayment',
  ChargePayment: 'AwaitWarehouse',
  RefundPayment: 'ReleaseInventory',
};

/** Expected seconds from the start of `step` until the warehouse decides or the order ends. */
export function secondsToSettle(step: StepName): number {
  const next = FOLLOWED_BY[step];
  return EXPECTED_STEP_SECONDS[step] + (next ? secondsToSettle(next) : 0);
}

/** Epoch ms by which the order should have settled: a retry's back-off, then the steps' runs. */
function expectedSettledAt(order: OrderProgress): number {
  const step = order.currentStep ?? 'ReserveInventory';
  const since = Date.parse(order.updatedAt);
  const backoff = order.stepStatus === 'FAILED' ? retryBackoffSeconds(step, order.attempt ?? 0) : 0;
  return since + scaledMs(backoff + secondsToSettle(step));
}

/** The step's deadline bounds the wait: at the latest it times out and the order moves on. */
function deadlineBoundMs(now: number, order: OrderProgress): number {
  if (order.currentStep !== 'AwaitWarehouse' || !order.warehouseDeadline) return Infinity;
  const left = Date.parse(order.warehouseDeadline) + AFTER_DEADLINE_MS - now;
  return left > 0 ? left : Infinity;
}

/**
 * The caller's next poll window after serving `order` now. The first ask is when the order is
 * expected to settle; once overdue, not sooner than a quarter of that, doubling while nothing
 * changes. Whichever cap applies, and the warehouse deadline, bound it.
 */
export function planNextPoll(
  now: number,
  order: OrderProgress,
  previous?: PollState,
  watched = false,
): PollState {
  const unchanged = previous && previous.lastSeq === order.seq ? previous.unchanged + 1 : 0;
  const settling = scaledMs(secondsToSettle(order.currentStep ?? 'ReserveInventory'));
  const remaining = Math.max(expectedSettledAt(order) - now, settling / 4);
  const cap = scaledMs(watched ? WATCHED_MAX_DELAY_SECONDS : MAX_POLL_DELAY_SECONDS);
  const delay = Math.min(cap, remaining * 2 ** unchanged, deadlineBoundMs(now, order));
  return {
    lastSeq: order.seq,
    servedAt: now,
    unchanged,
    nextPollAt: now + Math.max(1000, Math.round(delay)),
  };
}
