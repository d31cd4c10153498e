import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from './dynamodb';
import { ENV, requireEnv } from './env';
import type { OrderStatus, OrderUpdate, StepName, StepStatus, UpdateFacts } from './order-status';
import { recordStatus } from './record-status';
import type { CaughtError } from './workflow-types';

/**
 * Closes the step that was last left open (STARTED or WAITING) with `status`. Used where no
 * handler of that step runs at its end: the warehouse callback (success, timeout, rejection)
 * is decided outside any Lambda, and a Catch only hands compensation `{Error, Cause}`.
 * `which` names the step the caller means, so a retried caller whose own attempt was left
 * open (a Lambda timeout after STARTED) never closes itself with someone else's message.
 */
export interface StepClosing {
  status: StepStatus;
  orderStatus: OrderStatus;
  message: string;
  facts?: UpdateFacts;
  which: { only: StepName } | { except: readonly StepName[] };
}

export async function closeOpenStep(
  orderId: string,
  { status, orderStatus, message, facts, which }: StepClosing,
): Promise<void> {
  const { Item } = await ddb().send(
    new GetCommand({
      TableName: requireEnv(ENV.ordersTableName),
      Key: { orderId },
      ConsistentRead: true,
      ProjectionExpression: '#updates',
      ExpressionAttributeNames: { '#updates': 'updates' },
    }),
  );
  const last = (Item?.updates as OrderUpdate[] | undefined)?.at(-1);
  if (!last || (last.status !== 'STARTED' && last.status !== 'WAITING')) return;
  if ('only' in which ? last.step !== which.only : which.except.includes(last.step)) return;
  await recordStatus({
    orderId,
    step: last.step,
    attempt: last.attempt,
    status,
    orderStatus,
    message,
    facts,
  });
}

/** Compensation never closes its own open attempts: its retries record their own outcome. */
export const COMPENSATION_STEPS: readonly StepName[] = ['RefundPayment', 'ReleaseInventory'];

/** How compensation closes the step whose error the Catch handed it. */
export function closeFailedStep(orderId: string, caught: CaughtError): Promise<void> {
  return closeOpenStep(orderId, {
    status: 'FAILED',
    orderStatus: 'COMPENSATING',
    message: describeCaughtError(caught),
    facts: { reason: caught.Error },
    which: { except: COMPENSATION_STEPS },
  });
}

export function describeCaughtError(caught: CaughtError): string {
  switch (caught.Error) {
    case 'States.Timeout':
      return 'The warehouse did not pack the order in time.';
    case 'States.HeartbeatTimeout':
      return 'The warehouse stopped reporting progress.';
    case 'WarehouseRejected':
      return caught.Cause
        ? `The warehouse rejected the order: ${caught.Cause}`
        : 'The warehouse rejected the order.';
    default:
      return caught.Cause ? `${caught.Error}: ${caught.Cause}` : caught.Error;
  }
}
