import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../shared/dynamodb';
import { ENV, requireEnv } from '../shared/env';
import { closeFailedStep, describeCaughtError } from '../shared/open-step';
import type { OrderItem } from '../shared/order-item';
import { WORKFLOW_ERRORS, WorkflowError } from '../shared/errors';
import type { CancellationReason, ReservedLine } from '../shared/reservation';
import { runStep } from '../shared/run-step';
import type { CompensationInput, ReleaseInventoryOutput } from '../shared/workflow-types';

/**
 * The last compensation step of every failed order. It returns exactly what was reserved (read
 * from the order, not from the workflow input), marks the reservation released in the same
 * transaction so a replay cannot add stock twice, takes the order off the warehouse work list,
 * and records the order's terminal FAILED status.
 */
export async function handler(event: CompensationInput): Promise<ReleaseInventoryOutput> {
  const reason = describeCaughtError(event.error);
  await closeFailedStep(event.orderId, event.error);
  return runStep(
    {
      orderId: event.orderId,
      step: 'ReleaseInventory',
      attempt: event.attempt,
      runningStatus: 'COMPENSATING',
    },
    async () => {
      const result = await release(event.orderId);
      const done = result.lines.length > 0 ? 'Stock released.' : 'No stock was reserved.';
      return {
        result,
        message: `${done} Order failed: ${reason}`,
        orderStatus: 'FAILED',
        facts: { reason: event.error.Error },
      };
    },
  );
}

async function release(orderId: string): Promise<ReleaseInventoryOutput> {
  const ordersTable = requireEnv(ENV.ordersTableName);
  const inventoryTable = requireEnv(ENV.inventoryTableName);
  const { Item } = await ddb().send(
    new GetCommand({ TableName: ordersTable, Key: { orderId }, ConsistentRead: true }),
  );
  const reservation = (Item as Pick<OrderItem, 'reservation'> | undefined)?.reservation;
  if (!reservation || reservation.releasedAt) {
    await leaveWorkList(ordersTable, orderId);
    return { released: Boolean(reservation), lines: reservation?.lines ?? [] };
  }
  const lines: ReservedLine[] = reservation.lines;
  try {
    await ddb().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: ordersTable,
              Key: { orderId },
              UpdateExpression:
                'SET #reservation.#releasedAt = :now REMOVE #warehouseStatus, #taskToken',
              ConditionExpression:
                'attribute_exists(#reservation) AND attribute_not_exists(#reservation.#releasedAt)',
              ExpressionAttributeNames: {
                '#reservation': 'reservation',
                '#releasedAt': 'releasedAt',
                '#warehouseStatus': 'warehouseStatus',
                '#taskToken': 'taskToken',
              },
              ExpressionAttributeValues: { ':now': new Date().toISOString() },
            },
          },
          ...lines.map((line) => ({
            Update: {
              TableName: inventoryTable,
              Key: { sku: line.sku },
              UpdateExpression: 'ADD #available :quantity',
              ExpressionAttributeNames: { '#available': 'available' },
              ExpressionAttributeValues: { ':quantity': line.quantity },
            },
          })),
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
    const reasons = (error as Error & { CancellationReasons?: CancellationReason[] })
      .CancellationReasons;
    // Item 0 is the order's guard: a concurrent replay released it first, nothing left to do.
    if (reasons?.[0]?.Code === 'ConditionalCheckFailed') return { released: true, lines };
    // Anything else (a transaction conflict on a busy sku) must be retried, never dropped:
    // a compensation that gives up leaks stock.
    throw new WorkflowError(WORKFLOW_ERRORS.transient, `Release conflicted: ${error.message}`);
  }
  return { released: true, lines };
}

async function leaveWorkList(ordersTable: string, orderId: string): Promise<void> {
  await ddb().send(
    new UpdateCommand({
      TableName: ordersTable,
      Key: { orderId },
      UpdateExpression: 'REMOVE #warehouseStatus, #taskToken',
      ExpressionAttributeNames: {
        '#warehouseStatus': 'warehouseStatus',
        '#taskToken': 'taskToken',
      },
    }),
  );
}
