import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../shared/dynamodb';
import { ENV, requireEnv } from '../shared/env';
import { recordStatus } from '../shared/record-status';
import { WAREHOUSE_STATUS_AWAITING } from '../shared/table-schema';
import type { AwaitWarehouseInput, AwaitWarehouseOutput } from '../shared/workflow-types';

/**
 * Puts the order on the warehouse work list with its task token. The workflow then waits until
 * the warehouse console calls SendTaskSuccess/Failure with that token, or the step times out.
 * A retry gets a new token and simply overwrites the old one: only the latest is live.
 */
export async function handler(event: AwaitWarehouseInput): Promise<AwaitWarehouseOutput> {
  const now = new Date();
  const listing = warehouseListing(event, now);
  await ddb().send(
    new UpdateCommand({
      TableName: requireEnv(ENV.ordersTableName),
      Key: { orderId: event.orderId },
      UpdateExpression:
        'SET #warehouseStatus = :awaiting, #awaitingSince = :listedAt, #taskToken = :taskToken, ' +
        '#warehouseDeadline = :deadline, #heartbeatSeconds = :heartbeatSeconds',
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
  await recordStatus({
    orderId: event.orderId,
    step: 'AwaitWarehouse',
    attempt: event.attempt,
    status: 'WAITING',
    orderStatus: 'AWAITING_WAREHOUSE',
    message: `Waiting for the warehouse to pack the order (until ${listing.deadline}).`,
  });
  return listing;
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
