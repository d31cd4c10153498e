import { createHash } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, isConditionalCheckFailed } from '../shared/dynamodb';
import { ENV, requireEnv } from '../shared/env';
import { closeOpenStep } from '../shared/open-step';
import type { OrderItem } from '../shared/order-item';
import { runStep } from '../shared/run-step';
import type { ShipOrderInput, ShipOrderOutput } from '../shared/workflow-types';

/**
 * Hands the packed order to the (simulated) carrier. The tracking number derives from the order
 * id and the shipment is written under a condition, so a replay ships nothing twice. Removing
 * `warehouseStatus` takes the order off the sparse work-list index.
 */
export async function handler(event: ShipOrderInput): Promise<ShipOrderOutput> {
  // The warehouse's SendTaskSuccess ended AwaitWarehouse outside any Lambda; record it here.
  await closeOpenStep(event.orderId, {
    status: 'SUCCEEDED',
    orderStatus: 'PROCESSING',
    message: 'The warehouse packed the order.',
    which: { only: 'AwaitWarehouse' },
  });
  return runStep(
    {
      orderId: event.orderId,
      step: 'ShipOrder',
      attempt: event.attempt,
      runningStatus: 'PROCESSING',
    },
    async () => {
      const result = await ship(event);
      return {
        result,
        message: `Shipped with ${result.carrier}, tracking number ${result.trackingNumber}.`,
        orderStatus: 'SHIPPED',
        facts: { carrier: result.carrier, trackingNumber: result.trackingNumber },
      };
    },
  );
}

async function ship(event: ShipOrderInput): Promise<ShipOrderOutput> {
  const ordersTable = requireEnv(ENV.ordersTableName);
  const shipment: ShipOrderOutput = {
    trackingNumber: trackingNumberFor(event.orderId),
    carrier: 'Demo Parcel',
    shippedAt: new Date().toISOString(),
  };
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: ordersTable,
        Key: { orderId: event.orderId },
        UpdateExpression: 'SET #shipment = :shipment REMOVE #warehouseStatus, #taskToken',
        ConditionExpression: 'attribute_not_exists(#shipment)',
        ExpressionAttributeNames: {
          '#shipment': 'shipment',
          '#warehouseStatus': 'warehouseStatus',
          '#taskToken': 'taskToken',
        },
        ExpressionAttributeValues: { ':shipment': shipment },
      }),
    );
    return shipment;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const { Item } = await ddb().send(
      new GetCommand({
        TableName: ordersTable,
        Key: { orderId: event.orderId },
        ConsistentRead: true,
      }),
    );
    return (Item as Pick<OrderItem, 'shipment'> | undefined)?.shipment as ShipOrderOutput;
  }
}

export function trackingNumberFor(orderId: string): string {
  const digest = createHash('sha256').update(orderId).digest('hex').slice(0, 12).toUpperCase();
  return `DP${digest}`;
}
