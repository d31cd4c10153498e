import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, isConditionalCheckFailed } from '../shared/dynamodb';
import { ENV, requireEnv } from '../shared/env';
import { closeFailedStep } from '../shared/open-step';
import type { OrderItem } from '../shared/order-item';
import { runStep } from '../shared/run-step';
import type { CompensationInput, RefundPaymentOutput } from '../shared/workflow-types';

/**
 * Compensation for a failure after ChargePayment. Flips the recorded charge from CHARGED to
 * REFUNDED under a condition: a replay, or a charge that never happened, refunds nothing.
 */
export async function handler(event: CompensationInput): Promise<RefundPaymentOutput> {
  await closeFailedStep(event.orderId, event.error);
  return runStep(
    {
      orderId: event.orderId,
      step: 'RefundPayment',
      attempt: event.attempt,
      runningStatus: 'COMPENSATING',
    },
    async () => {
      const result = await refund(event.orderId);
      return {
        result,
        message: result.refunded ? 'Payment refunded.' : 'Nothing was charged, nothing to refund.',
      };
    },
  );
}

async function refund(orderId: string): Promise<RefundPaymentOutput> {
  const ordersTable = requireEnv(ENV.ordersTableName);
  try {
    const { Attributes } = await ddb().send(
      new UpdateCommand({
        TableName: ordersTable,
        Key: { orderId },
        UpdateExpression: 'SET #payment.#status = :refunded, #payment.#refundedAt = :now',
        ConditionExpression: '#payment.#status = :charged',
        ExpressionAttributeNames: {
          '#payment': 'payment',
          '#status': 'status',
          '#refundedAt': 'refundedAt',
        },
        ExpressionAttributeValues: {
          ':refunded': 'REFUNDED',
          ':charged': 'CHARGED',
          ':now': new Date().toISOString(),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const refunded = Attributes as Pick<OrderItem, 'payment'> | undefined;
    return { refunded: true, chargeId: refunded?.payment?.chargeId };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const { Item } = await ddb().send(
      new GetCommand({ TableName: ordersTable, Key: { orderId }, ConsistentRead: true }),
    );
    const payment = (Item as Pick<OrderItem, 'payment'> | undefined)?.payment;
    return payment?.status === 'REFUNDED'
      ? { refunded: true, chargeId: payment.chargeId }
      : { refunded: false };
  }
}
