import { SFNClient } from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../shared/dynamodb';
import { ENV, requireEnv } from '../shared/env';
import { orderIdOf } from '../shared/intake-message';
import { recordStatus } from '../shared/record-status';
import { startNamedExecution } from '../shared/start-execution';
import type { SqsBatchResponse, SqsEvent, SqsRecord } from '../shared/sqs-event';

// Module scope, as a warm Lambda keeps it; `AWS_ENDPOINT_URL` points it at the local cloud.
const sfn = new SFNClient({});

/**
 * The intake queue's consumer (figure 25 of the pattern): starts one workflow per queued order.
 * Records are handled concurrently and reported one by one (`ReportBatchItemFailures`), so one
 * bad order is retried, and after the queue's `maxReceiveCount` sent to the dead-letter queue,
 * without redelivering the orders of its batch that did start.
 */
export async function handler(event: SqsEvent): Promise<SqsBatchResponse> {
  const outcomes = await Promise.allSettled(event.Records.map(startQueuedOrder));
  const batchItemFailures = outcomes.flatMap((outcome, i) => {
    if (outcome.status === 'fulfilled') return [];
    const record = event.Records[i]!;
    console.error('intake: order not started', {
      messageId: record.messageId,
      receiveCount: record.attributes?.ApproximateReceiveCount,
      error: String(outcome.reason),
    });
    return [{ itemIdentifier: record.messageId }];
  });
  return { batchItemFailures };
}

/**
 * Safe to run any number of times for one message (SQS delivers at least once, and the
 * reconciler re-sends orders it finds still queued): the Queued update is recorded once by its
 * key, the execution is started by name, and marking the order started is a plain overwrite.
 * The update comes first, so it can never land after the workflow's own first update and take
 * the order's status back.
 */
async function startQueuedOrder(record: SqsRecord): Promise<void> {
  const orderId = orderIdOf(record.body);
  await recordStatus({
    orderId,
    step: 'Queued',
    status: 'SUCCEEDED',
    attempt: 0,
    orderStatus: 'PENDING',
    message: 'Picked up from the queue; starting.',
  });
  await startNamedExecution(sfn, requireEnv(ENV.orderWorkflowArn), orderId, record.body);
  await ddb().send(
    new UpdateCommand({
      TableName: requireEnv(ENV.ordersTableName),
      Key: { orderId },
      // Out of the reconciler's index: nothing is left to re-send for this order.
      UpdateExpression:
        'SET #startedAt = if_not_exists(#startedAt, :now) REMOVE #pending, #message',
      ConditionExpression: 'attribute_exists(orderId)',
      ExpressionAttributeNames: {
        '#startedAt': 'executionStartedAt',
        '#pending': 'intakePending',
        '#message': 'intakeMessage',
      },
      ExpressionAttributeValues: { ':now': new Date().toISOString() },
    }),
  );
}
