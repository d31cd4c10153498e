import type { OperationTable } from '../core/protocols/operations';
import { xmlMap } from '../core/protocols/aws-query';
import { authorizationError, invalidParameter, subscriptionNotFound } from './errors';
import { subscriptionArnFor, topicArnOfSubscription } from './naming';
import {
  confirmationDelivery,
  newToken,
  page,
  requireTopic,
  type Input,
  type SnsRuntime,
} from './runtime';
import type { SubscriptionRecord } from './store';
import {
  checkEndpoint,
  checkProtocol,
  checkSubscriptionAttributes,
  sameAttributes,
  subscriptionAttributes,
} from './subscriptions';

/** What ListSubscriptions shows for a subscription still waiting for its confirmation. */
const PENDING_ARN = 'PendingConfirmation';
/** What Subscribe returns for one (unless ReturnSubscriptionArn). */
const PENDING_ANSWER = 'pending confirmation';

const stringMap = (value: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries((value ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v ?? '')]),
  );

/**
 * Subscribe, confirmation and unsubscribe, listings and subscription attributes.
 * https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.confirm.html
 */
export function subscriptionOperations(rt: SnsRuntime): OperationTable {
  const requireSubscription = (arn: unknown): SubscriptionRecord => {
    if (typeof arn !== 'string' || !topicArnOfSubscription(arn)) {
      throw invalidParameter('SubscriptionArn');
    }
    const sub = rt.store.subscription(arn);
    if (!sub) throw subscriptionNotFound();
    return sub;
  };
  const listed = (sub: SubscriptionRecord) => ({
    SubscriptionArn: sub.pending ? PENDING_ARN : sub.arn,
    Owner: rt.ctx.accountId,
    Protocol: sub.protocol,
    Endpoint: sub.endpoint,
    TopicArn: sub.topicArn,
  });

  return {
    Subscribe: {
      required: ['TopicArn', 'Protocol'],
      handler: (input) => subscribe(rt, input),
    },
    ConfirmSubscription: {
      required: ['TopicArn', 'Token'],
      handler: (input, call) => {
        const topic = requireTopic(rt, input.TopicArn);
        const sub =
          typeof input.Token === 'string' ? rt.store.subscriptionByToken(input.Token) : undefined;
        if (!sub || sub.topicArn !== topic.arn) throw invalidParameter('Invalid token');
        if (sub.pending) {
          // Only a signed API call is an authenticated confirmation; opening the SubscribeURL
          // (a plain GET) is not, so it cannot ask for authenticated unsubscribes either.
          const authenticated = call.req.method !== 'GET';
          rt.store.putSubscription({
            ...sub,
            pending: false,
            confirmationWasAuthenticated: authenticated,
            authenticatedUnsubscribe:
              authenticated && String(input.AuthenticateOnUnsubscribe).toLowerCase() === 'true',
          });
        }
        return { SubscriptionArn: sub.arn };
      },
    },
    Unsubscribe: {
      required: ['SubscriptionArn'],
      handler: (input, call) => {
        const sub = requireSubscription(input.SubscriptionArn);
        if (call.req.method === 'GET' && sub.authenticatedUnsubscribe) {
          throw authorizationError(
            'This subscription was confirmed with AuthenticateOnUnsubscribe: unsubscribing needs a signed request',
          );
        }
        const topic = rt.topics.get(sub.topicArn);
        const farewell =
          topic && !sub.pending && sub.protocol !== 'sqs'
            ? [confirmationDelivery(rt, 'UnsubscribeConfirmation', topic, sub, newToken())]
            : [];
        rt.deliverer.add(farewell, () => rt.store.deleteSubscription(sub));
        return {};
      },
    },
    ListSubscriptions: (input) => {
      const { items, NextToken } = page(rt.store.subscriptions(), (s) => s.arn, input.NextToken);
      return { Subscriptions: items.map(listed), NextToken };
    },
    ListSubscriptionsByTopic: {
      required: ['TopicArn'],
      handler: (input) => {
        const topic = requireTopic(rt, input.TopicArn);
        const { items, NextToken } = page(
          rt.store.subscriptions(topic.arn),
          (s) => s.arn,
          input.NextToken,
        );
        return { Subscriptions: items.map(listed), NextToken };
      },
    },
    GetSubscriptionAttributes: {
      required: ['SubscriptionArn'],
      handler: (input) => {
        const sub = requireSubscription(input.SubscriptionArn);
        return {
          Attributes: xmlMap(
            subscriptionAttributes(sub, rt.topics.get(sub.topicArn), rt.ctx.accountId),
          ),
        };
      },
    },
    SetSubscriptionAttributes: {
      required: ['SubscriptionArn', 'AttributeName'],
      handler: (input) => {
        const sub = requireSubscription(input.SubscriptionArn);
        const name = String(input.AttributeName);
        const attributes = checkSubscriptionAttributes(sub.protocol, {
          ...sub.attributes,
          [name]: typeof input.AttributeValue === 'string' ? input.AttributeValue : '',
        });
        rt.store.putSubscription({ ...sub, attributes });
        return {};
      },
    },
  };
}

/**
 * Subscribe: an SQS queue of the same account is confirmed at once; an HTTP/S endpoint gets a
 * SubscriptionConfirmation and receives nothing else until it confirms. Subscribing the same
 * endpoint again returns the existing subscription (and re-sends a pending one's confirmation).
 * https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
 */
function subscribe(rt: SnsRuntime, input: Input) {
  const topic = requireTopic(rt, input.TopicArn);
  const protocol = checkProtocol(input.Protocol);
  const endpoint = checkEndpoint(protocol, input.Endpoint);
  const attributes = checkSubscriptionAttributes(protocol, stringMap(input.Attributes));
  const returnArn = String(input.ReturnSubscriptionArn).toLowerCase() === 'true';
  const answer = (sub: SubscriptionRecord) => ({
    SubscriptionArn: sub.pending && !returnArn ? PENDING_ANSWER : sub.arn,
  });

  const existing = rt.store
    .subscriptions(topic.arn)
    .find((s) => s.protocol === protocol && s.endpoint === endpoint);
  if (existing) {
    if (input.Attributes !== undefined && !sameAttributes(existing.attributes, attributes)) {
      throw invalidParameter(
        'Attributes Reason: Subscription already exists with different attributes',
      );
    }
    if (existing.pending && existing.token) {
      rt.deliverer.add([
        confirmationDelivery(rt, 'SubscriptionConfirmation', topic, existing, existing.token),
      ]);
    }
    return answer(existing);
  }

  const http = protocol !== 'sqs';
  const sub: SubscriptionRecord = {
    arn: subscriptionArnFor(topic.arn),
    topicArn: topic.arn,
    protocol,
    endpoint,
    attributes,
    pending: http,
    token: http ? newToken() : null,
    confirmationWasAuthenticated: !http,
    authenticatedUnsubscribe: false,
    createdAt: rt.ctx.clock.now(),
  };
  rt.deliverer.add(
    http ? [confirmationDelivery(rt, 'SubscriptionConfirmation', topic, sub, sub.token!)] : [],
    () => rt.store.putSubscription(sub),
  );
  return answer(sub);
}
