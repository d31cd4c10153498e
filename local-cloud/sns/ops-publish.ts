import { AwsError } from '../core/protocols/errors';
import type { OperationTable } from '../core/protocols/operations';
import type { StoredNotification } from './deliverer';
import { effectiveDelivery, MANAGED_RETRY } from './delivery-policy';
import { snsTimestamp } from './envelope';
import { batchError, invalidParameter } from './errors';
import { filterMatches } from './filter-policy';
import {
  bodiesOf,
  checkAttributes,
  checkSubject,
  MAX_MESSAGE_BYTES,
  messageBytes,
} from './messages';
import { parseTopicArn } from './naming';
import {
  requireTopic,
  signatureVersionOf,
  unsubscribeUrl,
  type Input,
  type SnsRuntime,
} from './runtime';
import type { DeliveryRecord } from './store';
import { deadLetterTargetOf, filterPolicyOf } from './subscriptions';

const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * Publish and PublishBatch: check the message, then fan it out to every confirmed subscription
 * whose filter policy it passes, all deliveries stored in one transaction before the answer.
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 * https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html
 */
export function publishOperations(rt: SnsRuntime): OperationTable {
  return {
    Publish: (input) => {
      if (input.PhoneNumber !== undefined) {
        throw invalidParameter('PhoneNumber: the local cloud does not send SMS');
      }
      const arn = input.TopicArn ?? input.TargetArn;
      if (arn === undefined) {
        throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
      }
      if (typeof arn !== 'string' || !parseTopicArn(arn)) throw invalidParameter('TopicArn');
      const prepared = prepare(rt, arn, input);
      rt.deliverer.add(prepared.deliveries);
      return { MessageId: prepared.messageId };
    },
    PublishBatch: {
      required: ['TopicArn', 'PublishBatchRequestEntries'],
      handler: (input) => publishBatch(rt, input),
    },
  };
}

function prepare(rt: SnsRuntime, topicArn: string, input: Input) {
  const topic = requireTopic(rt, topicArn);
  const bodyFor = bodiesOf(input.Message, input.MessageStructure);
  const subject = checkSubject(input.Subject);
  const attributes = checkAttributes(input.MessageAttributes);
  const size = messageBytes(String(input.Message), attributes);
  if (size > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');

  const messageId = crypto.randomUUID();
  const now = rt.ctx.clock.now();
  const timestamp = snsTimestamp(now);
  const deliveries: DeliveryRecord[] = [];
  for (const sub of rt.store.subscriptions(topic.arn)) {
    if (sub.pending) continue;
    const message = bodyFor(sub.protocol);
    const policy = filterPolicyOf(sub.attributes);
    if (policy && !filterMatches(policy, { attributes, body: message })) continue;
    const http = sub.protocol !== 'sqs';
    const delivery = http
      ? effectiveDelivery(topic.attributes.DeliveryPolicy, sub.attributes.DeliveryPolicy)
      : { retry: MANAGED_RETRY, contentType: 'text/plain; charset=UTF-8' };
    const deadLetterArn = deadLetterTargetOf(sub.attributes);
    const payload: StoredNotification = {
      message,
      ...(subject !== undefined ? { subject } : {}),
      timestamp,
      // Attributes still select subscriptions, but are delivered only with a String message
      // structure, not JSON.
      // https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html
      attributes: input.MessageStructure === 'json' ? {} : attributes,
      signatureVersion: signatureVersionOf(topic),
      raw: sub.attributes.RawMessageDelivery === 'true',
      unsubscribeUrl: unsubscribeUrl(rt, sub.arn),
      retry: delivery.retry,
      contentType: delivery.contentType,
      ...(deadLetterArn ? { deadLetterArn } : {}),
    };
    deliveries.push({
      id: crypto.randomUUID(),
      kind: 'Notification',
      messageId,
      topicArn: topic.arn,
      subscriptionArn: sub.arn,
      protocol: sub.protocol,
      endpoint: sub.endpoint,
      payload: payload as unknown as Record<string, unknown>,
      attempts: 0,
      dueAt: now,
      createdAt: now,
    });
  }
  return { messageId, deliveries, size };
}

/**
 * PublishBatch: up to ten entries with distinct ids, 256 KiB in all; each entry succeeds or
 * fails on its own (a failed entry reports its error code and who is at fault).
 */
function publishBatch(rt: SnsRuntime, input: Input) {
  const topic = requireTopic(rt, input.TopicArn);
  const entries = input.PublishBatchRequestEntries;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw batchError('EmptyBatchRequest', 'The batch request does not contain any entries.');
  }
  if (entries.length > 10) {
    throw batchError(
      'TooManyEntriesInBatchRequest',
      'The batch request contains more entries than permissible.',
    );
  }
  const seen = new Set<string>();
  for (const entry of entries as Input[]) {
    const id = entry?.Id;
    if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) {
      throw batchError(
        'InvalidBatchEntryId',
        'The Id of a batch entry in a batch request does not abide by the specification.',
      );
    }
    if (seen.has(id)) {
      throw batchError(
        'BatchEntryIdsNotDistinct',
        'Two or more batch entries in the request have the same Id.',
      );
    }
    seen.add(id);
  }
  const Successful: { Id: string; MessageId: string }[] = [];
  const Failed: { Id: string; Code: string; Message: string; SenderFault: boolean }[] = [];
  const deliveries: DeliveryRecord[] = [];
  let total = 0;
  for (const entry of entries as Input[]) {
    try {
      const prepared = prepare(rt, topic.arn, entry);
      total += prepared.size;
      deliveries.push(...prepared.deliveries);
      Successful.push({ Id: entry.Id as string, MessageId: prepared.messageId });
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      Failed.push({
        Id: entry.Id as string,
        Code: error.type,
        Message: error.message,
        SenderFault: error.fault === 'Sender',
      });
    }
  }
  if (total > MAX_MESSAGE_BYTES) {
    throw batchError(
      'BatchRequestTooLong',
      'The length of all the messages put together is more than the limit.',
    );
  }
  rt.deliverer.add(deliveries);
  return { Successful, Failed };
}
