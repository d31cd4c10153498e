import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, isConditionalCheckFailed } from './dynamodb';
import { ENV, requireEnv } from './env';
import {
  nextPollAtFor,
  updateKey,
  type OrderStatus,
  type OrderUpdate,
  type StepName,
  type StepStatus,
} from './order-status';
import { publishOrderUpdate } from './publish';

export interface StatusChange {
  orderId: string;
  step: StepName;
  status: StepStatus;
  attempt: number;
  orderStatus: OrderStatus;
  message?: string;
}

/** The slice of the Orders item the recorder owns. */
interface OrderStatusFields {
  seq?: number;
  updates?: OrderUpdate[];
}

const MAX_WRITE_CONFLICTS = 5;

/**
 * Writes the change to the order item first (durable, with the next per-order `seq`), then
 * publishes it. A replayed handler finds its update key already recorded and re-publishes the
 * stored update with its original `seq`, which clients drop as a duplicate.
 */
export async function recordStatus(
  change: StatusChange,
  now: () => Date = () => new Date(),
): Promise<OrderUpdate> {
  const update = await writeStatus(change, now);
  try {
    await publishOrderUpdate(update);
  } catch (error) {
    // Best effort on purpose: the update is already durable and subscribers catch up by
    // reading the order on reconnect, so a notification outage must not fail the order.
    console.error('publishOrderUpdate failed', { orderId: update.orderId, seq: update.seq, error });
  }
  return update;
}

async function writeStatus(change: StatusChange, now: () => Date): Promise<OrderUpdate> {
  const tableName = requireEnv(ENV.ordersTableName);
  const key = updateKey(change.step, change.status, change.attempt);
  for (let conflict = 0; conflict < MAX_WRITE_CONFLICTS; conflict++) {
    const current = await readStatusFields(tableName, change.orderId);
    const recorded = current.updates?.find((u) => updateKey(u.step, u.status, u.attempt) === key);
    if (recorded) return recorded;

    const seq = (current.seq ?? 0) + 1;
    const at = now();
    const update: OrderUpdate = {
      orderId: change.orderId,
      seq,
      step: change.step,
      status: change.status,
      attempt: change.attempt,
      message: change.message ?? null,
      orderStatus: change.orderStatus,
      nextPollAt: nextPollAtFor(change.step, change.orderStatus, at),
      timestamp: at.toISOString(),
    };
    try {
      await ddb().send(
        new UpdateCommand({
          TableName: tableName,
          Key: { orderId: change.orderId },
          // Optimistic lock on seq: two writers cannot both take the same number.
          ConditionExpression: 'attribute_not_exists(#seq) OR #seq = :previous',
          UpdateExpression:
            'SET #seq = :seq, #updates = list_append(if_not_exists(#updates, :empty), :update), ' +
            '#orderStatus = :orderStatus, #currentStep = :step, #currentAttempt = :attempt, ' +
            '#nextPollAt = :nextPollAt, #updatedAt = :timestamp',
          ExpressionAttributeNames: {
            '#seq': 'seq',
            '#updates': 'updates',
            '#orderStatus': 'orderStatus',
            '#currentStep': 'currentStep',
            '#currentAttempt': 'currentAttempt',
            '#nextPollAt': 'nextPollAt',
            '#updatedAt': 'updatedAt',
          },
          ExpressionAttributeValues: {
            ':previous': current.seq ?? 0,
            ':seq': seq,
            ':empty': [],
            ':update': [update],
            ':orderStatus': update.orderStatus,
            ':step': update.step,
            ':attempt': update.attempt,
            ':nextPollAt': update.nextPollAt,
            ':timestamp': update.timestamp,
          },
        }),
      );
      return update;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
  throw new Error(`recordStatus: too many concurrent writers on order ${change.orderId}`);
}

async function readStatusFields(tableName: string, orderId: string): Promise<OrderStatusFields> {
  const { Item } = await ddb().send(
    new GetCommand({
      TableName: tableName,
      Key: { orderId },
      ConsistentRead: true,
      ProjectionExpression: '#seq, #updates',
      ExpressionAttributeNames: { '#seq': 'seq', '#updates': 'updates' },
    }),
  );
  return (Item ?? {}) as OrderStatusFields;
}
