import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, isConditionalCheckFailed } from '../shared/dynamodb';
import { ENV, requireEnv } from '../shared/env';
import type { WarehouseListingFields } from '../shared/order-item';
import { recordStatus } from '../shared/record-status';
import { WAREHOUSE_STATUS_AWAITING } from '../shared/table-schema';
import type { AwaitWarehouseInput, AwaitWarehouseOutput } from '../shared/workflow-types';

/**
 * Puts the order on the warehouse work list with its task token. The workflow then waits until
 * the warehouse console calls SendTaskSuccess/Failure with that token, or the step times out.
 * A retry gets a new token and simply overwrites the old one: only the latest is live.
 */
export async function handler(event: AwaitWarehouseInput): Promise<AwaitWarehouseOutput> {
  const listing = await list(event, warehouseListing(event, new Date()));
  await recordStatus({
    orderId: event.orderId,
    step: 'AwaitWarehouse',
    attempt: event.attempt,
    status: 'WAITING',
    orderStatus: 'AWAITING_WAREHOUSE',
    message: `Waiting for the warehouse to pack the order (until ${listing.deadline}).`,
    facts: { until: listing.deadline },
  });
  return listing;
}

/**
 * Lists the order once per token. A replay with the same token (a crash replay, a lost
 * response) keeps the first listing: the task's timeout started then, so its deadline must not
 * move. A new token (a retry of the step) is a new task with its own deadline.
 */
async function list(
  event: AwaitWarehouseInput,
  listing: AwaitWarehouseOutput,
): Promise<AwaitWarehouseOutput> {
  const tableName = requireEnv(ENV.ordersTableName);
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: tableName,
        Key: { orderId: event.orderId },
        UpdateExpression:
          'SET #warehouseStatus = :awaiting, #awaitingSince = :listedAt, #taskToken = :taskToken, ' +
          '#warehouseDeadline = :deadline, #heartbeatSeconds = :heartbeatSeconds',
        ConditionExpression: 'attribute_not_exists(#taskToken) OR #taskToken <> :taskToken',
        ExpressionAttributeNames: {
          '#warehouseStatus': 'warehouseStatus',
          '#awaitingSince': 'awaitingSince',
          '#taskToken': 'taskToken',
          '#warehouseDeadline': 'warehouseDeadline',
          '#heartbeatSeconds': 'heartbeatSeconds',
        },
        ExpressionAttributeValues: {
          ':awaiting': WAREHOUSE_STATUS_AWAITING,
          ':listedAt': listing.listedAt,
          ':taskToken': event.taskToken,
          ':deadline': listing.deadline,
          ':heartbeatSeconds': event.heartbeatSeconds,
        },
      }),
    );
    return listing;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const { Item } = await ddb().send(
      new GetCommand({
        TableName: tableName,
        Key: { orderId: event.orderId },
        ConsistentRead: true,
      }),
    );
    const listed = Item as WarehouseListingFields | undefined;
    return {
      listedAt: listed?.awaitingSince as string,
      deadline: listed?.warehouseDeadline as string,
    };
  }
}

export function warehouseListing(
  event: Pick<AwaitWarehouseInput, 'timeoutSeconds'>,
  now: Date,
): AwaitWarehouseOutput {
  return {
    listedAt: now.toISOString(),
    deadline: new Date(now.getTime() + event.timeoutSeconds * 1000).toISOString(),
  };
}
