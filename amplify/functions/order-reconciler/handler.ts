import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../shared/dynamodb';
import { ENV, requireEnv } from '../shared/env';
import type { OrderItem } from '../shared/order-item';
import { INTAKE_PENDING_SHARDS, ORDERS_TABLE } from '../shared/table-schema';

const sqs = new SQSClient({});

/**
 * An order still queued this long after it was (last) sent is presumed lost: its SendMessage
 * failed after the order was written, or the message was purged. Five minutes is far longer
 * than an idle queue takes and long enough that a draining backlog is rarely sent twice; a
 * duplicate costs only a worker's idempotent no-op.
 */
export const RESEND_AFTER_SECONDS = 300;
/** Per shard and run: a run is short, and the next one (a minute later) takes the rest. */
const MAX_PER_SHARD = 500;

/** EventBridge's scheduled event, or a manual run: `{ "olderThanSeconds": 0 }` re-sends all. */
export interface ReconcileEvent {
  olderThanSeconds?: number;
}

export interface ReconcileResult {
  resent: number;
  failed: number;
}

/**
 * Re-sends queued orders whose workflow has not started, so nothing the API accepted is ever
 * lost between its write and its SendMessage. Reads the sparse `byIntakePending` index (only
 * orders not yet started are in it), sends each stored message again, and moves its `queuedAt`
 * on, so the same order is looked at again only after another full threshold.
 */
export async function handler(event: ReconcileEvent = {}): Promise<ReconcileResult> {
  const olderThan = event.olderThanSeconds ?? RESEND_AFTER_SECONDS;
  const cutoff = new Date(Date.now() - olderThan * 1000).toISOString();
  const result: ReconcileResult = { resent: 0, failed: 0 };
  for (const shard of INTAKE_PENDING_SHARDS) {
    const stuck = await stuckOrders(shard, cutoff);
    for (let i = 0; i < stuck.length; i += 10) {
      const batch = stuck.slice(i, i + 10);
      const sent = await resend(batch);
      result.resent += sent.length;
      result.failed += batch.length - sent.length;
      await Promise.all(sent.map(markResent));
    }
  }
  if (result.resent + result.failed > 0) console.info('reconciler', result);
  return result;
}

/** What the byIntakePending index carries of an order: its key and the projected message. */
type StuckOrder = Required<Pick<OrderItem, 'orderId' | 'intakeMessage'>>;

async function stuckOrders(shard: string, cutoff: string): Promise<StuckOrder[]> {
  const index = ORDERS_TABLE.byIntakePendingIndex;
  const found: StuckOrder[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ddb().send(
      new QueryCommand({
        TableName: requireEnv(ENV.ordersTableName),
        IndexName: index.name,
        KeyConditionExpression: '#pending = :shard AND #queuedAt < :cutoff',
        ExpressionAttributeNames: { '#pending': index.partitionKey, '#queuedAt': index.sortKey },
        ExpressionAttributeValues: { ':shard': shard, ':cutoff': cutoff },
        Limit: MAX_PER_SHARD - found.length,
        ExclusiveStartKey: startKey,
      }),
    );
    found.push(...((page.Items ?? []) as StuckOrder[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey && found.length < MAX_PER_SHARD);
  return found;
}

async function resend(batch: StuckOrder[]): Promise<StuckOrder[]> {
  const { Failed = [] } = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: requireEnv(ENV.intakeQueueUrl),
      Entries: batch.map((order, i) => ({ Id: String(i), MessageBody: order.intakeMessage })),
    }),
  );
  for (const failure of Failed) console.error('reconciler: re-send failed', failure);
  const failed = new Set(Failed.map((failure) => failure.Id));
  return batch.filter((_, i) => !failed.has(String(i)));
}

async function markResent(order: StuckOrder): Promise<void> {
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: requireEnv(ENV.ordersTableName),
        Key: { orderId: order.orderId },
        UpdateExpression: 'SET #queuedAt = :now',
        // Started meanwhile: the worker removed it from the index; leave it out.
        ConditionExpression: 'attribute_exists(#pending)',
        ExpressionAttributeNames: {
          '#queuedAt': ORDERS_TABLE.byIntakePendingIndex.sortKey,
          '#pending': ORDERS_TABLE.byIntakePendingIndex.partitionKey,
        },
        ExpressionAttributeValues: { ':now': new Date().toISOString() },
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}
