import { describe, expect, test } from 'vitest';
import {
  DEFAULT_HTTP_RETRY,
  effectiveDelivery,
  parseSubscriptionDeliveryPolicy,
  retryDelaySeconds,
  totalRetrySeconds,
  type RetryPolicy,
} from '../../../local-cloud/sns/delivery-policy';

/** Delivery policies on their own: schedules, precedence and checks. */
const schedule = (policy: RetryPolicy) =>
  Array.from({ length: policy.numRetries + 1 }, (_, i) => retryDelaySeconds(policy, i + 1));

describe('retry schedules', () => {
  test('the default: three retries, 20 s apart, then none', () => {
    expect(schedule(DEFAULT_HTTP_RETRY)).toEqual([20, 20, 20, undefined]);
  });

  test('every backoff function rises from min to max without leaving the range', () => {
    for (const backoffFunction of ['linear', 'arithmetic', 'geometric', 'exponential'] as const) {
      const policy: RetryPolicy = {
        ...DEFAULT_HTTP_RETRY,
        minDelayTarget: 1,
        maxDelayTarget: 60,
        numRetries: 10,
        backoffFunction,
      };
      const delays = schedule(policy).slice(0, 10) as number[];
      expect(
        delays.every((d, i) => i === 0 || d >= delays[i - 1]!),
        backoffFunction,
      ).toBe(true);
      expect(delays[0]).toBeGreaterThanOrEqual(1);
      expect(delays.at(-1)).toBe(60);
      expect(totalRetrySeconds(policy)).toBe(delays.reduce((a, b) => a + b, 0));
    }
  });
});

describe('precedence', () => {
  const topic = (disable: boolean) =>
    JSON.stringify({
      http: {
        defaultHealthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 1, numRetries: 1 },
        disableSubscriptionOverrides: disable,
        defaultRequestPolicy: { headerContentType: 'application/json' },
      },
    });
  const subscription = JSON.stringify({
    healthyRetryPolicy: { numRetries: 7, minDelayTarget: 3, maxDelayTarget: 3 },
  });

  test('subscription over topic over default; disableSubscriptionOverrides keeps the topic', () => {
    expect(effectiveDelivery(undefined, undefined)).toEqual({
      retry: DEFAULT_HTTP_RETRY,
      contentType: 'text/plain; charset=UTF-8',
    });
    expect(effectiveDelivery(topic(false), subscription).retry.numRetries).toBe(7);
    expect(effectiveDelivery(topic(false), undefined)).toMatchObject({
      retry: { numRetries: 1 },
      contentType: 'application/json',
    });
    expect(effectiveDelivery(topic(true), subscription).retry.numRetries).toBe(1);
  });
});

describe('checks', () => {
  const refuse = (policy: object) => {
    try {
      parseSubscriptionDeliveryPolicy(JSON.stringify(policy));
    } catch (error) {
      return (error as Error).message;
    }
    return undefined;
  };

  test('ranges, phase counts, backoff names and the 3,600 s total', () => {
    expect(
      refuse({ healthyRetryPolicy: { numRetries: 100, minDelayTarget: 1, maxDelayTarget: 36 } }),
    ).toBeUndefined();
    expect(refuse({ healthyRetryPolicy: { numRetries: 101 } })).toMatch(/numRetries/);
    expect(refuse({ healthyRetryPolicy: { minDelayTarget: 0 } })).toMatch(/minDelayTarget/);
    expect(refuse({ healthyRetryPolicy: { minDelayTarget: 30, maxDelayTarget: 10 } })).toMatch(
      /less than or equal/,
    );
    expect(refuse({ healthyRetryPolicy: { numRetries: 2, numNoDelayRetries: 3 } })).toMatch(
      /numRetries must be at least/,
    );
    expect(refuse({ healthyRetryPolicy: { backoffFunction: 'cubic' } })).toMatch(/backoffFunction/);
    expect(
      refuse({ healthyRetryPolicy: { numRetries: 100, minDelayTarget: 60, maxDelayTarget: 60 } }),
    ).toMatch(/3600/);
    expect(refuse({ throttlePolicy: { maxReceivesPerSecond: 0 } })).toMatch(/maxReceivesPerSecond/);
    expect(refuse({ requestPolicy: { headerContentType: 'image/png' } })).toMatch(
      /headerContentType/,
    );
  });
});
