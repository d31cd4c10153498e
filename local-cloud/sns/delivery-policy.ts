import { invalidParameter } from './errors';

/**
 * HTTP/S delivery policies: what SNS does after a failed attempt. A policy has four phases
 * (immediate retries, pre-backoff at minDelayTarget, backoff from min to max, post-backoff at
 * maxDelayTarget); numRetries counts them all. Topic policies live under the `http` key
 * (`defaultHealthyRetryPolicy`, `disableSubscriptionOverrides`, …), subscription policies at the
 * top level (`healthyRetryPolicy`, …). The total retry time may not exceed 3,600 s.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html
 * https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html#creating-delivery-policy
 */

export type BackoffFunction = 'linear' | 'arithmetic' | 'geometric' | 'exponential';

export interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  numMaxDelayRetries: number;
  backoffFunction: BackoffFunction;
}

/** What one delivery runs by: its retry schedule and the Content-Type of its POST. */
export interface EffectiveDelivery {
  retry: RetryPolicy;
  contentType: string;
}

/** "3 retries, 20 seconds apart": SNS's default for HTTP/S endpoints. */
export const DEFAULT_HTTP_RETRY: RetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  numMaxDelayRetries: 0,
  backoffFunction: 'linear',
};

/**
 * The fixed policy for AWS-managed endpoints (SQS): 3 immediate retries, 2 one second apart,
 * 10 backing off from 1 to 20 s, then 100,000 at 20 s. Customers cannot change it.
 */
export const MANAGED_RETRY: RetryPolicy = {
  minDelayTarget: 1,
  maxDelayTarget: 20,
  numRetries: 100_015,
  numNoDelayRetries: 3,
  numMinDelayRetries: 2,
  numMaxDelayRetries: 100_000,
  backoffFunction: 'exponential',
};

export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

const MAX_TOTAL_RETRY_S = 3600;
const MAX_RETRIES = 100;
const MAX_DELAY_S = 3600;
const BACKOFF = new Set<BackoffFunction>(['linear', 'arithmetic', 'geometric', 'exponential']);
/** The Content-Type values the developer guide lists for `headerContentType`. */
const CONTENT_TYPES = new Set([
  'text/plain',
  'application/json',
  'application/xml',
  'text/plain; charset=UTF-8',
  'application/json; charset=UTF-8',
  'application/xml; charset=UTF-8',
]);

const fail = (reason: string): never => {
  throw invalidParameter(`DeliveryPolicy: ${reason}`);
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function integer(spec: Record<string, unknown>, key: string, fallback: number, max: number) {
  const value = spec[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    fail(`${key} must be an integer between 0 and ${max}`);
  }
  return value as number;
}

function parseRetry(spec: unknown, where: string): RetryPolicy {
  if (!isObject(spec)) return fail(`${where} must be an object`);
  const retry: RetryPolicy = {
    minDelayTarget: integer(spec, 'minDelayTarget', DEFAULT_HTTP_RETRY.minDelayTarget, MAX_DELAY_S),
    maxDelayTarget: integer(spec, 'maxDelayTarget', DEFAULT_HTTP_RETRY.maxDelayTarget, MAX_DELAY_S),
    numRetries: integer(spec, 'numRetries', DEFAULT_HTTP_RETRY.numRetries, MAX_RETRIES),
    numNoDelayRetries: integer(spec, 'numNoDelayRetries', 0, MAX_RETRIES),
    numMinDelayRetries: integer(spec, 'numMinDelayRetries', 0, MAX_RETRIES),
    numMaxDelayRetries: integer(spec, 'numMaxDelayRetries', 0, MAX_RETRIES),
    backoffFunction: (spec.backoffFunction ?? 'linear') as BackoffFunction,
  };
  if (!BACKOFF.has(retry.backoffFunction)) {
    fail('backoffFunction must be one of linear, arithmetic, geometric, exponential');
  }
  if (retry.minDelayTarget < 1) fail('minDelayTarget must be at least 1');
  if (retry.minDelayTarget > retry.maxDelayTarget) {
    fail('minDelayTarget must be less than or equal to maxDelayTarget');
  }
  if (
    retry.numNoDelayRetries + retry.numMinDelayRetries + retry.numMaxDelayRetries >
    retry.numRetries
  ) {
    fail('numRetries must be at least numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries');
  }
  if (totalRetrySeconds(retry) > MAX_TOTAL_RETRY_S) {
    fail(`the total retry time may not exceed ${MAX_TOTAL_RETRY_S} seconds`);
  }
  return retry;
}

function throttle(spec: unknown): void {
  // Accepted and kept, not enforced: the local cloud delivers as fast as endpoints answer.
  if (spec === undefined || spec === null) return;
  if (!isObject(spec)) fail('throttlePolicy must be an object');
  const rate = (spec as Record<string, unknown>).maxReceivesPerSecond;
  if (rate !== undefined && (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 1)) {
    fail('maxReceivesPerSecond must be a positive integer');
  }
}

function contentType(spec: unknown): string | undefined {
  if (spec === undefined || spec === null) return undefined;
  if (!isObject(spec)) return fail('requestPolicy must be an object');
  const type = spec.headerContentType;
  if (type === undefined) return undefined;
  if (typeof type !== 'string' || !CONTENT_TYPES.has(type)) {
    fail(`headerContentType ${String(type)} is not supported`);
  }
  return type as string;
}

function parseJson(json: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return fail('failed to parse JSON');
  }
  if (!isObject(parsed)) fail('must be a JSON object');
  return parsed as Record<string, unknown>;
}

export interface TopicHttpPolicy {
  retry?: RetryPolicy;
  contentType?: string;
  disableSubscriptionOverrides: boolean;
}

/** A topic's DeliveryPolicy attribute: only its `http` section concerns HTTP/S endpoints. */
export function parseTopicDeliveryPolicy(json: string): TopicHttpPolicy {
  const http = parseJson(json).http;
  if (http === undefined) return { disableSubscriptionOverrides: false };
  if (!isObject(http)) return fail('http must be an object');
  throttle(http.defaultThrottlePolicy);
  return {
    ...(http.defaultHealthyRetryPolicy !== undefined
      ? { retry: parseRetry(http.defaultHealthyRetryPolicy, 'defaultHealthyRetryPolicy') }
      : {}),
    ...(contentType(http.defaultRequestPolicy)
      ? { contentType: contentType(http.defaultRequestPolicy) }
      : {}),
    disableSubscriptionOverrides: http.disableSubscriptionOverrides === true,
  };
}

export interface SubscriptionHttpPolicy {
  retry?: RetryPolicy;
  contentType?: string;
}

export function parseSubscriptionDeliveryPolicy(json: string): SubscriptionHttpPolicy {
  const policy = parseJson(json);
  throttle(policy.throttlePolicy);
  return {
    ...(policy.healthyRetryPolicy !== undefined
      ? { retry: parseRetry(policy.healthyRetryPolicy, 'healthyRetryPolicy') }
      : {}),
    ...(contentType(policy.requestPolicy)
      ? { contentType: contentType(policy.requestPolicy) }
      : {}),
  };
}

/** The topic's EffectiveDeliveryPolicy attribute: its DeliveryPolicy over SNS's defaults. */
export function effectiveTopicPolicy(deliveryPolicy: string | undefined): string {
  const topic = deliveryPolicy ? parseTopicDeliveryPolicy(deliveryPolicy) : undefined;
  return JSON.stringify({
    http: {
      defaultHealthyRetryPolicy: topic?.retry ?? DEFAULT_HTTP_RETRY,
      disableSubscriptionOverrides: topic?.disableSubscriptionOverrides ?? false,
      defaultRequestPolicy: { headerContentType: topic?.contentType ?? DEFAULT_CONTENT_TYPE },
    },
  });
}

/**
 * What an HTTP/S subscription runs by: its own policy unless the topic disables overrides,
 * then the topic's, then SNS's default.
 */
export function effectiveDelivery(
  topicPolicy: string | undefined,
  subscriptionPolicy: string | undefined,
): EffectiveDelivery {
  const topic = topicPolicy ? parseTopicDeliveryPolicy(topicPolicy) : undefined;
  const own =
    subscriptionPolicy && !topic?.disableSubscriptionOverrides
      ? parseSubscriptionDeliveryPolicy(subscriptionPolicy)
      : undefined;
  return {
    retry: own?.retry ?? topic?.retry ?? DEFAULT_HTTP_RETRY,
    contentType: own?.contentType ?? topic?.contentType ?? DEFAULT_CONTENT_TYPE,
  };
}

/** A subscription's EffectiveDeliveryPolicy attribute, in the subscription policy's shape. */
export function effectiveSubscriptionPolicy(delivery: EffectiveDelivery): string {
  return JSON.stringify({
    healthyRetryPolicy: delivery.retry,
    sicklyRetryPolicy: null,
    throttlePolicy: null,
    requestPolicy: { headerContentType: delivery.contentType },
    guaranteed: false,
  });
}

/**
 * Seconds to wait before retry `n` (1-based), or undefined once the policy is exhausted. The
 * guide draws the four backoff functions without formulas; these curves rise from min to max
 * the way its chart shows (linear straight, arithmetic and exponential slow then steep,
 * geometric a constant ratio). SNS adds jitter; the local cloud does not, so schedules are exact.
 */
export function retryDelaySeconds(policy: RetryPolicy, n: number): number | undefined {
  if (n < 1 || n > policy.numRetries) return undefined;
  const { minDelayTarget: min, maxDelayTarget: max } = policy;
  if (n <= policy.numNoDelayRetries) return 0;
  if (n <= policy.numNoDelayRetries + policy.numMinDelayRetries) return min;
  const backoffCount =
    policy.numRetries -
    policy.numNoDelayRetries -
    policy.numMinDelayRetries -
    policy.numMaxDelayRetries;
  const i = n - policy.numNoDelayRetries - policy.numMinDelayRetries;
  if (i > backoffCount) return max;
  const t = i / backoffCount;
  switch (policy.backoffFunction) {
    case 'linear':
      return min + (max - min) * t;
    case 'arithmetic':
      return min + (max - min) * t * t;
    case 'geometric':
      return min * Math.pow(max / min, t);
    case 'exponential':
      return min + ((max - min) * (Math.pow(2, 10 * t) - 1)) / (Math.pow(2, 10) - 1);
  }
}

export function totalRetrySeconds(policy: RetryPolicy): number {
  let total = 0;
  for (let n = 1; n <= policy.numRetries; n++) total += retryDelaySeconds(policy, n) ?? 0;
  return total;
}
