import { randomBytes } from 'node:crypto';
import type { ServiceContext } from '../core/service';
import type { Deliverer, StoredConfirmation } from './deliverer';
import { effectiveDelivery } from './delivery-policy';
import { snsTimestamp } from './envelope';
import { invalidParameter, topicNotFound } from './errors';
import { parseTopicArn } from './naming';
import type { SignatureVersion } from './signer';
import type { DeliveryRecord, SnsStore, SubscriptionRecord, TopicRecord } from './store';
import type { Topics } from './topics';

/** What every operation family works with (one frame object, not positional parameters). */
export interface SnsRuntime {
  ctx: ServiceContext;
  store: SnsStore;
  topics: Topics;
  deliverer: Deliverer;
}

export type Input = Record<string, unknown>;

export function requireTopic(rt: SnsRuntime, arn: unknown): TopicRecord {
  // A malformed ARN is a bad parameter; a well-formed one that names nothing is NotFound.
  if (typeof arn !== 'string' || !parseTopicArn(arn)) throw invalidParameter('TopicArn');
  const topic = rt.topics.get(arn);
  if (!topic) throw topicNotFound();
  return topic;
}

export const PAGE_SIZE = 100;

/** A page of a sorted list, `NextToken` naming the last item returned (opaque to callers). */
export function page<T>(items: T[], keyOf: (item: T) => string, nextToken: unknown) {
  const after =
    typeof nextToken === 'string' && nextToken !== ''
      ? Buffer.from(nextToken, 'base64url').toString('utf8')
      : undefined;
  const rest = after === undefined ? items : items.filter((item) => keyOf(item) > after);
  const shown = rest.slice(0, PAGE_SIZE);
  return {
    items: shown,
    NextToken:
      rest.length > shown.length
        ? Buffer.from(keyOf(shown.at(-1)!), 'utf8').toString('base64url')
        : undefined,
  };
}

export const signatureVersionOf = (topic: TopicRecord): SignatureVersion =>
  topic.attributes.SignatureVersion === '2' ? '2' : '1';

export const unsubscribeUrl = (rt: SnsRuntime, subscriptionArn: string) =>
  `${rt.ctx.baseUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;

const subscribeUrl = (rt: SnsRuntime, topicArn: string, token: string) =>
  `${rt.ctx.baseUrl}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`;

/** A confirmation token: long, random, and only ever sent to the endpoint. */
export const newToken = () => randomBytes(64).toString('hex');

/**
 * A SubscriptionConfirmation or UnsubscribeConfirmation for an HTTP/S subscription, retried by
 * the subscription's effective delivery policy like any message to that endpoint.
 */
export function confirmationDelivery(
  rt: SnsRuntime,
  kind: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation',
  topic: TopicRecord,
  sub: SubscriptionRecord,
  token: string,
): DeliveryRecord {
  const now = rt.ctx.clock.now();
  const payload: StoredConfirmation = {
    message:
      kind === 'SubscriptionConfirmation'
        ? `You have chosen to subscribe to the topic ${topic.arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`
        : `You have chosen to deactivate subscription ${sub.arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
    timestamp: snsTimestamp(now),
    token,
    subscribeUrl: subscribeUrl(rt, topic.arn, token),
    signatureVersion: signatureVersionOf(topic),
    retry: effectiveDelivery(topic.attributes.DeliveryPolicy, sub.attributes.DeliveryPolicy).retry,
  };
  return {
    id: crypto.randomUUID(),
    kind,
    messageId: crypto.randomUUID(),
    topicArn: topic.arn,
    subscriptionArn: sub.arn,
    protocol: sub.protocol,
    endpoint: sub.endpoint,
    payload: payload as unknown as Record<string, unknown>,
    attempts: 0,
    dueAt: now,
    createdAt: now,
  };
}
