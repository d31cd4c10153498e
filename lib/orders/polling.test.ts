import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  decidePoll,
  MAX_POLL_DELAY_SECONDS,
  type OrderProgress,
  planNextPoll,
  pollDelaySeconds,
  type PollState,
  prefersWatch,
  retryBackoffSeconds,
  secondsToSettle,
  WATCHED_MAX_DELAY_SECONDS,
} from './polling';

const t0 = Date.parse('2026-11-27T10:00:00Z');
const order = (
  seq: number,
  currentStep: OrderProgress['currentStep'],
  updatedAt = t0,
  more: Partial<OrderProgress> = {},
): OrderProgress => ({
  seq,
  currentStep,
  stepStatus: 'STARTED',
  attempt: 0,
  updatedAt: new Date(updatedAt).toISOString(),
  ...more,
});

/** Seconds between each poll and the next when the client asks exactly on time. */
function delaysOf(progress: OrderProgress, polls: number, watched = false, start = t0) {
  let state: PollState | undefined;
  let now = start;
  const delays: number[] = [];
  for (let i = 0; i < polls; i++) {
    state = planNextPoll(now, progress, state, watched);
    delays.push((state.nextPollAt - now) / 1000);
    now = state.nextPollAt;
  }
  return delays;
}

afterEach(() => vi.unstubAllEnvs());

describe('planNextPoll', () => {
  it('first asks when the order is expected to settle: at the warehouse, or at its end', () => {
    // ChargePayment (5 s) leads to the warehouse (120 s); 1 s has passed.
    const plan = planNextPoll(t0 + 1000, order(3, 'ChargePayment'));
    expect(plan).toEqual({
      lastSeq: 3,
      servedAt: t0 + 1000,
      unchanged: 0,
      nextPollAt: t0 + 125_000,
    });
    // Compensation runs to the end by itself: RefundPayment (5 s), then ReleaseInventory (2 s).
    expect(planNextPoll(t0 + 1000, order(3, 'RefundPayment')).nextPollAt).toBe(t0 + 7_000);
    expect(secondsToSettle('ReserveInventory')).toBe(127);
  });

  it('backs off exponentially while nothing changes, up to a cap', () => {
    expect(delaysOf(order(7, 'AwaitWarehouse'), 6)).toEqual([
      120,
      60, // overdue: a quarter of the step, doubled once
      120,
      240,
      MAX_POLL_DELAY_SECONDS,
      MAX_POLL_DELAY_SECONDS,
    ]);
  });

  it('caps the back-off lower for an order a page is watching', () => {
    const delays = delaysOf(order(7, 'AwaitWarehouse'), 6, true);
    expect(delays).toEqual(Array(6).fill(WATCHED_MAX_DELAY_SECONDS));
  });

  it('asks right after the warehouse deadline rather than backing off past it', () => {
    const deadline = t0 + 200_000;
    const waiting = order(7, 'AwaitWarehouse', t0, {
      stepStatus: 'WAITING',
      warehouseDeadline: new Date(deadline).toISOString(),
    });
    // 120 s, then 60 s (t0 + 180 s); the doubled 120 s would overshoot the deadline by 100 s.
    const plan = planNextPoll(t0 + 180_000, waiting, {
      lastSeq: 7,
      servedAt: t0 + 120_000,
      unchanged: 1,
      nextPollAt: t0 + 180_000,
    });
    expect(plan.nextPollAt).toBe(deadline + 2_000);
  });

  it('waits out a scheduled retry back-off before expecting the retried step', () => {
    // RefundPayment's try 1 failed at t0: its retry starts within 2 s (1 s × 2¹), then 5 + 2 s.
    const failed = order(4, 'RefundPayment', t0, { stepStatus: 'FAILED', attempt: 1 });
    expect(planNextPoll(t0, failed).nextPollAt).toBe(t0 + 9_000);
    // A step still running is expected after the durations alone.
    expect(planNextPoll(t0, order(4, 'RefundPayment')).nextPollAt).toBe(t0 + 7_000);
  });

  it('resets the back-off when the order moves on', () => {
    const stale: PollState = { lastSeq: 2, servedAt: t0, unchanged: 4, nextPollAt: t0 };
    expect(planNextPoll(t0, order(3, 'ChargePayment'), stale).unchanged).toBe(0);
  });

  it('never asks sooner than a second, and scales for demos', () => {
    expect(planNextPoll(t0 + 60_000, order(1, 'ShipOrder')).nextPollAt).toBe(t0 + 61_000);
    expect(pollDelaySeconds(0.2)).toBe(1);
    vi.stubEnv('ORDER_POLL_TIME_SCALE', '0.05');
    expect(pollDelaySeconds(120)).toBe(6);
    expect(delaysOf(order(7, 'AwaitWarehouse'), 1)).toEqual([6]);
  });
});

describe('retryBackoffSeconds', () => {
  it('reads the longest back-off of the step from the workflow, capped, and 0 when spent', () => {
    expect(retryBackoffSeconds('ChargePayment', 0)).toBe(1);
    expect(retryBackoffSeconds('ChargePayment', 2)).toBe(4);
    // Only the payment retrier (4 retries, at most 10 s apart) has one left after the third.
    expect(retryBackoffSeconds('ChargePayment', 3)).toBe(8);
    expect(retryBackoffSeconds('ChargePayment', 4)).toBe(0);
    expect(retryBackoffSeconds('RefundPayment', 4)).toBe(8); // 16, capped
    expect(retryBackoffSeconds('ReserveInventory', 3)).toBe(0);
  });
});

describe('decidePoll', () => {
  const state: PollState = { lastSeq: 5, servedAt: t0, unchanged: 1, nextPollAt: t0 + 10_000 };
  const unchangedOrder = { seq: 5 };

  it('refuses a conditional poll of an unchanged order before nextPollAt', () => {
    expect(decidePoll(t0 + 2_500, unchangedOrder, state, false)).toEqual({
      serve: false,
      retryAfterSeconds: 8,
    });
  });

  it('serves at or after nextPollAt, or within the tolerance', () => {
    expect(decidePoll(t0 + 10_000, unchangedOrder, state, false)).toEqual({
      serve: true,
      grace: false,
    });
    expect(decidePoll(t0 + 9_700, unchangedOrder, state, false).serve).toBe(true);
  });

  it('serves early when the order changed since the caller was last answered', () => {
    expect(decidePoll(t0 + 1_000, { seq: 6 }, state, false)).toEqual({ serve: true, grace: false });
  });

  it('serves the first poll', () => {
    expect(decidePoll(t0, unchangedOrder, undefined, false).serve).toBe(true);
  });

  it('lets one read without an ETag through early per window, then refuses', () => {
    expect(decidePoll(t0 + 1_000, unchangedOrder, state, true)).toEqual({
      serve: true,
      grace: true,
    });
    const used = { ...state, graceWindow: state.nextPollAt };
    expect(decidePoll(t0 + 1_500, unchangedOrder, used, true)).toEqual({
      serve: false,
      retryAfterSeconds: 9,
    });
    // The next window brings a new grace.
    const next = { ...used, nextPollAt: t0 + 30_000 };
    expect(decidePoll(t0 + 11_000, unchangedOrder, next, true).serve).toBe(true);
  });
});

describe('prefersWatch', () => {
  it('finds the watch preference among others, case and parameters aside', () => {
    expect(prefersWatch('watch')).toBe(true);
    expect(prefersWatch('respond-async, Watch; ttl=30')).toBe(true);
    expect(prefersWatch('return=minimal')).toBe(false);
    expect(prefersWatch('watcher')).toBe(false);
    expect(prefersWatch(null)).toBe(false);
  });
});
