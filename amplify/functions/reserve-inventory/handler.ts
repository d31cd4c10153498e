import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../shared/dynamodb';
import { ENV, requireEnv } from '../shared/env';
import { WORKFLOW_ERRORS, WorkflowError } from '../shared/errors';
import type { OrderItem } from '../shared/order-item';
import {
  classifyCancellation,
  MAX_DISTINCT_SKUS_PER_ORDER,
  mergeLines,
  type CancellationReason,
  type ReservedLine,
} from '../shared/reservation';
import { runStep } from '../shared/run-step';
import type { ReserveInventoryInput, ReserveInventoryOutput } from '../shared/workflow-types';

/**
 * All-or-nothing stock reservation: one transaction decrements every line under an
 * `available >= quantity` condition and marks the order as reserved. The order-side condition
 * makes a retry or replay a no-op that returns the first reservation.
 */
export async function handler(event: ReserveInventoryInput): Promise<ReserveInventoryOutput> {
  return runStep(
    {
      orderId: event.orderId,
      step: 'ReserveInventory',
      attempt: event.attempt,
      runningStatus: 'PROCESSING',
    },
    async () => {
      const result = await reserve(event);
      const count = result.lines.reduce((sum, line) => sum + line.quantity, 0);
      return { result, message: `Reserved ${count} item(s).` };
    },
  );
}

async function reserve(event: ReserveInventoryInput): Promise<ReserveInventoryOutput> {
  const lines = mergeLines(event.lines);
  if (lines.length > MAX_DISTINCT_SKUS_PER_ORDER) {
    throw new Error(`Too many distinct products (${lines.length}) for one reservation`);
  }
  const ordersTable = requireEnv(ENV.ordersTableName);
  const inventoryTable = requireEnv(ENV.inventoryTableName);
  const reservation: ReserveInventoryOutput = { reservedAt: new Date().toISOString(), lines };
  try {
    await ddb().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: ordersTable,
              Key: { orderId: event.orderId },
              UpdateExpression: 'SET #reservation = :reservation',
              ConditionExpression: 'attribute_not_exists(#reservation)',
              ExpressionAttributeNames: { '#reservation': 'reservation' },
              ExpressionAttributeValues: { ':reservation': reservation },
            },
          },
          ...lines.map((line) => ({
            Update: {
              TableName: inventoryTable,
              Key: { sku: line.sku },
              UpdateExpression: 'SET #available = #available - :quantity',
              ConditionExpression: 'attribute_exists(#available) AND #available >= :quantity',
              ExpressionAttributeNames: { '#available': 'available' },
              ExpressionAttributeValues: { ':quantity': line.quantity },
            },
          })),
        ],
      }),
    );
    return reservation;
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
    const reasons = (error as Error & { CancellationReasons?: CancellationReason[] })
      .CancellationReasons;
    const verdict = classifyCancellation(reasons ?? [], lines);
    if (verdict.kind === 'already-reserved') return existingReservation(ordersTable, event.orderId);
    if (verdict.kind === 'out-of-stock') {
      throw new WorkflowError(
        WORKFLOW_ERRORS.outOfStock,
        `Not enough stock for: ${verdict.skus.join(', ')}`,
        { skus: verdict.skus },
      );
    }
    throw new WorkflowError(WORKFLOW_ERRORS.transient, `Reservation conflicted: ${error.message}`);
  }
}

async function existingReservation(
  ordersTable: string,
  orderId: string,
): Promise<ReserveInventoryOutput> {
  const { Item } = await ddb().send(
    new GetCommand({ TableName: ordersTable, Key: { orderId }, ConsistentRead: true }),
  );
  const reservation = (Item as Pick<OrderItem, 'reservation'> | undefined)?.reservation;
  if (!reservation) throw new Error(`Order ${orderId} lost its reservation`);
  return { reservedAt: reservation.reservedAt, lines: reservation.lines as ReservedLine[] };
}
