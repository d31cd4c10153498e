import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, isConditionalCheckFailed } from '../shared/dynamodb';
import { ENV, requireEnv } from '../shared/env';
import { WORKFLOW_ERRORS, WorkflowError } from '../shared/errors';
import type { OrderItem, StoredPayment } from '../shared/order-item';
import { runStep } from '../shared/run-step';
import { decideCharge } from '../shared/test-cards';
import type { ChargePaymentInput, ChargePaymentOutput } from '../shared/workflow-types';

/**
 * Simulated card charge driven by the test-card table. The charge is recorded on the order
 * under a condition, so a retry after a lost response returns the first charge instead of
 * charging twice.
 */
export async function handler(event: ChargePaymentInput): Promise<ChargePaymentOutput> {
  return runStep(
    {
      orderId: event.orderId,
      step: 'ChargePayment',
      attempt: event.attempt,
      runningStatus: 'PROCESSING',
    },
    async () => {
      const result = await charge(event);
      return {
        result,
        message: `Charged ${formatAmount(result.amountCents, result.currency)} to card ending ${event.payment.cardLast4}.`,
      };
    },
  );
}

async function charge(event: ChargePaymentInput): Promise<ChargePaymentOutput> {
  const decision = decideCharge(event.payment.testCard, event.attempt);
  if (decision === 'decline') {
    throw new WorkflowError(WORKFLOW_ERRORS.paymentDeclined, 'The card was declined.');
  }
  if (decision === 'transient-failure') {
    throw new WorkflowError(
      WORKFLOW_ERRORS.paymentTransient,
      `The payment provider did not answer (attempt ${event.attempt + 1}).`,
    );
  }
  const ordersTable = requireEnv(ENV.ordersTableName);
  const payment: StoredPayment = {
    status: 'CHARGED',
    chargeId: `ch_${event.orderId}`,
    amountCents: event.totalCents,
    currency: event.currency,
    chargedAt: new Date().toISOString(),
  };
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: ordersTable,
        Key: { orderId: event.orderId },
        UpdateExpression: 'SET #payment = :payment',
        ConditionExpression: 'attribute_not_exists(#payment)',
        ExpressionAttributeNames: { '#payment': 'payment' },
        ExpressionAttributeValues: { ':payment': payment },
      }),
    );
    return toOutput(payment);
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const { Item } = await ddb().send(
      new GetCommand({
        TableName: ordersTable,
        Key: { orderId: event.orderId },
        ConsistentRead: true,
      }),
    );
    return toOutput((Item as Pick<OrderItem, 'payment'> | undefined)?.payment as StoredPayment);
  }
}

function toOutput(payment: {
  chargeId: string;
  amountCents: number;
  currency: string;
  chargedAt: string;
}): ChargePaymentOutput {
  const { chargeId, amountCents, currency, chargedAt } = payment;
  return { chargeId, amountCents, currency, chargedAt };
}

export function formatAmount(cents: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);
}
