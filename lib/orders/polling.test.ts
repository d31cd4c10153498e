import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  earlyPollRetryAfter,
  MAX_POLL_DELAY_SECONDS,
  planNextPoll,
  pollDelaySeconds,
  type PollState,
  unconditionalReadRetryAfter,
} from './polling';

const t0 = Date.parse('2026-11-27T10:00:00Z');
const order = (seq: number, currentStep: 'ChargePayment' | 'AwaitWarehouse', updatedAt = t0) => ({
  seq,
  currentStep,
  updatedAt: new Date(updatedAt).toISOString(),
});

afterEach(() => vi.unstubAllEnvs());

describe('planNextPoll', () => {
  it('first asks when the current step is expected to finish', () => {
    // ChargePayment is expected to take 5 s; 1 s has passed.
    const plan = planNextPoll(t0 + 1000, order(3, 'ChargePayment'));
    expect(plan).toEqual({ lastSeq: 3, unchanged: 0, nextPollAt: t0 + 1000 + 4000 });
  });

  it('backs off exponentially while nothing changes, up to a cap', () => {
    let state: PollState | undefined;
    const delays: number[] = [];
    let now = t0;
    for (let i = 0; i < 6; i++) {
      state = planNextPoll(now, order(7, 'AwaitWarehouse', t0), state);
      delays.push((state.nextPollAt - now) / 1000);
      now = state.nextPollAt;
    }
    expect(delays[0]).toBe(120);
    expect(delays[1]).toBe(60); // overdue: a quarter of the step, doubled once
    expect(delays[2]).toBe(120);
    expect(delays[3]).toBe(240);
    expect(delays[4]).toBe(MAX_POLL_DELAY_SECONDS);
    expect(delays[5]).toBe(MAX_POLL_DELAY_SECONDS);
  });

  it('resets the back-off when the order moves on', () => {
    const stale: PollState = { lastSeq: 2, unchanged: 4, nextPollAt: t0 };
    expect(planNextPoll(t0, order(3, 'ChargePayment'), stale).unchanged).toBe(0);
  });

  it('never asks sooner than a second, and scales for demos', () => {
    expect(pollDelaySeconds(0.2)).toBe(1);
    vi.stubEnv('ORDER_POLL_TIME_SCALE', '0.05');
    expect(pollDelaySeconds(120)).toBe(6);
  });
});

describe('earlyPollRetryAfter', () => {
  const state: PollState = { lastSeq: 5, unchanged: 1, nextPollAt: t0 + 10_000 };

  it('refuses an unchanged poll before nextPollAt with the seconds left', () => {
    expect(earlyPollRetryAfter(t0 + 2_500, order(5, 'ChargePayment'), state)).toBe(8);
  });

  it('serves a poll at or after nextPollAt, or within the tolerance', () => {
    expect(earlyPollRetryAfter(t0 + 10_000, order(5, 'ChargePayment'), state)).toBeUndefined();
    expect(earlyPollRetryAfter(t0 + 9_700, order(5, 'ChargePayment'), state)).toBeUndefined();
  });

  it('serves an early poll when something changed (a catch-up read is never empty)', () => {
    expect(earlyPollRetryAfter(t0 + 1_000, order(6, 'ChargePayment'), state)).toBeUndefined();
  });

  it('serves the first poll', () => {
    expect(earlyPollRetryAfter(t0, order(5, 'ChargePayment'))).toBeUndefined();
  });
});

describe('unconditionalReadRetryAfter', () => {
  it('serves a read without an ETag at most every two seconds', () => {
    const state: PollState = {
      lastSeq: 1,
      unchanged: 0,
      nextPollAt: t0 + 60_000,
      lastUnconditionalAt: t0,
    };
    expect(unconditionalReadRetryAfter(t0 + 500, state)).toBe(2);
    expect(unconditionalReadRetryAfter(t0 + 1_500, state)).toBe(1);
    expect(unconditionalReadRetryAfter(t0 + 2_000, state)).toBeUndefined();
    expect(unconditionalReadRetryAfter(t0)).toBeUndefined();
  });
});
