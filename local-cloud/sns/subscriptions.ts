import {
  effectiveDelivery,
  effectiveSubscriptionPolicy,
  parseSubscriptionDeliveryPolicy,
} from './delivery-policy';
import { invalidParameter } from './errors';
import {
  FILTER_SCOPES,
  parseFilterPolicy,
  type FilterPolicy,
  type FilterScope,
} from './filter-policy';
import { parseQueueArn } from './naming';
import type { Protocol, SubscriptionRecord, TopicRecord } from './store';

/**
 * Subscription endpoints and attributes.
 * https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
 * https://docs.aws.amazon.com/sns/latest/api/API_SetSubscriptionAttributes.html
 */

const PROTOCOLS = new Set<Protocol>(['http', 'https', 'sqs']);
const AWS_PROTOCOLS = new Set(['email', 'email-json', 'sms', 'application', 'lambda', 'firehose']);
/**
 * The local cloud must never call out to the internet (it runs offline, and a webhook URL
 * pasted from a partner's docs must not receive test traffic): HTTP/S endpoints are limited to
 * loopback hosts.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export function checkProtocol(protocol: unknown): Protocol {
  const name = typeof protocol === 'string' ? protocol.toLowerCase() : '';
  if (PROTOCOLS.has(name as Protocol)) return name as Protocol;
  if (AWS_PROTOCOLS.has(name)) {
    throw invalidParameter(
      `Protocol: the local cloud delivers to http, https and sqs endpoints, not ${name}`,
    );
  }
  throw invalidParameter(`Amazon SNS does not support this protocol string: ${String(protocol)}`);
}

export function checkEndpoint(protocol: Protocol, endpoint: unknown): string {
  if (typeof endpoint !== 'string' || endpoint === '') {
    throw invalidParameter('Endpoint');
  }
  if (protocol === 'sqs') {
    if (!parseQueueArn(endpoint)) throw invalidParameter('SQS endpoint ARN');
    return endpoint;
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalidParameter('Endpoint must match the specified protocol');
  }
  if (url.protocol !== `${protocol}:`) {
    throw invalidParameter('Endpoint must match the specified protocol');
  }
  if (!LOOPBACK_HOSTS.has(url.hostname.toLowerCase())) {
    throw invalidParameter(
      `Endpoint: the local cloud delivers only to loopback hosts (127.0.0.1, ::1, localhost), not ${url.hostname}`,
    );
  }
  return endpoint;
}

/** The attributes Subscribe and SetSubscriptionAttributes may set. */
const SETTABLE = new Set([
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
]);

/**
 * Checks a subscription's settable attributes as a whole (FilterPolicy depends on
 * FilterPolicyScope) and returns them with empty values removed (an empty policy clears it).
 */
export function checkSubscriptionAttributes(
  protocol: Protocol,
  attributes: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (!SETTABLE.has(name)) throw invalidParameter('AttributeName');
    if (value !== '') out[name] = value;
  }
  if (out.FilterPolicy === '{}') delete out.FilterPolicy;
  if (out.RawMessageDelivery !== undefined) {
    const raw = out.RawMessageDelivery.toLowerCase();
    if (raw !== 'true' && raw !== 'false') {
      throw invalidParameter(
        `Attributes Reason: RawMessageDelivery: Invalid value [${out.RawMessageDelivery}]. Must be true or false.`,
      );
    }
    out.RawMessageDelivery = raw;
  }
  if (
    out.FilterPolicyScope !== undefined &&
    !FILTER_SCOPES.includes(out.FilterPolicyScope as FilterScope)
  ) {
    throw invalidParameter(
      `Attributes Reason: FilterPolicyScope: Invalid value [${out.FilterPolicyScope}]. Please use either MessageBody or MessageAttributes`,
    );
  }
  if (out.FilterPolicy !== undefined) filterPolicyOf(out);
  if (out.DeliveryPolicy !== undefined) {
    if (protocol !== 'http' && protocol !== 'https') {
      throw invalidParameter(
        `Attributes Reason: Delivery protocol [${protocol}] does not support delivery policies`,
      );
    }
    parseSubscriptionDeliveryPolicy(out.DeliveryPolicy);
  }
  if (out.RedrivePolicy !== undefined) deadLetterTargetOf(out);
  return out;
}

export function filterPolicyOf(attributes: Record<string, string>): FilterPolicy | undefined {
  if (attributes.FilterPolicy === undefined) return undefined;
  const scope = (attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterScope;
  return parseFilterPolicy(attributes.FilterPolicy, scope);
}

/** The RedrivePolicy's dead-letter queue ARN: `{"deadLetterTargetArn": "arn:aws:sqs:…"}`. */
export function deadLetterTargetOf(attributes: Record<string, string>): string | undefined {
  if (attributes.RedrivePolicy === undefined) return undefined;
  let target: unknown;
  try {
    target = (JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: unknown })
      ?.deadLetterTargetArn;
  } catch {
    throw invalidParameter('RedrivePolicy: failed to parse JSON');
  }
  if (typeof target !== 'string' || !parseQueueArn(target)) {
    throw invalidParameter('RedrivePolicy: deadLetterTargetArn is an invalid arn');
  }
  return target;
}

/** GetSubscriptionAttributes: what the subscription was given and what SNS computes. */
export function subscriptionAttributes(
  sub: SubscriptionRecord,
  topic: TopicRecord | undefined,
  owner: string,
): Record<string, string> {
  const http = sub.protocol === 'http' || sub.protocol === 'https';
  return {
    ...sub.attributes,
    ...(sub.attributes.FilterPolicy !== undefined
      ? { FilterPolicyScope: sub.attributes.FilterPolicyScope ?? 'MessageAttributes' }
      : {}),
    RawMessageDelivery: sub.attributes.RawMessageDelivery ?? 'false',
    SubscriptionArn: sub.arn,
    TopicArn: sub.topicArn,
    Owner: owner,
    Protocol: sub.protocol,
    Endpoint: sub.endpoint,
    PendingConfirmation: String(sub.pending),
    ConfirmationWasAuthenticated: String(sub.confirmationWasAuthenticated),
    ...(http
      ? {
          EffectiveDeliveryPolicy: effectiveSubscriptionPolicy(
            effectiveDelivery(topic?.attributes.DeliveryPolicy, sub.attributes.DeliveryPolicy),
          ),
        }
      : {}),
  };
}

/** Subscribe with an existing topic, protocol and endpoint: same attributes or refused. */
export function sameAttributes(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}
