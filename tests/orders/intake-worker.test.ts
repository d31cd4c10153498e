import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DescribeExecutionCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SqsBatchResponse } from '../../amplify/functions/shared/sqs-event';
import type { ReconcileResult } from '../../amplify/functions/order-reconciler/handler';
import { startOfflineStack, type OfflineStack } from '../support/offline-stack';
import {
  documentClient,
  loadRoutes,
  orderBody,
  orderItem,
  postOrder,
  tablesOf,
  waitForStatus,
} from './order-api';

/**
 * The intake worker and the reconciler against the real local services. The app is given a
 * queue URL that does not exist, so its SendMessage fails after the order is written: exactly
 * the gap the reconciler closes. The worker is invoked through Lambda here, as its event
 * source mapping would invoke it, so each delivery is under the test's control.
 */
let stack: OfflineStack;
let queueUrl: string;
beforeAll(async () => {
  stack = await startOfflineStack({
    timeScale: 20,
    intakeQueueUrl: 'http://127.0.0.1:1/000000000000/NoSuchQueue',
  });
  queueUrl = stack.cloud.backend.queues!.find((q) => q.name === 'OrderIntakeQueue')!.url;
}, 60_000);
afterAll(() => stack?.close());

async function invoke<T>(name: string, event: unknown): Promise<T> {
  const result = await stack.cloud.services.lambda.invoke(name, event);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.payload as T;
}

function record(messageId: string, body: string) {
  return { messageId, receiptHandle: `handle-${messageId}`, body, attributes: {} };
}

/** Places an order whose message never reaches the queue; returns it as written. */
async function queuedOrder(email: string) {
  const routes = await loadRoutes();
  const token = await stack.shopper(email);
  const response = await postOrder(routes, token, orderBody());
  // Accepted all the same: the order is durable, and the reconciler will send it.
  expect(response.status).toBe(202);
  const { orderId } = (await response.json()) as { orderId: string };
  const item = (await orderItem(documentClient(stack), tablesOf(stack), orderId))!;
  expect(item).toMatchObject({ orderStatus: 'QUEUED', intakeMessage: expect.any(String) });
  return { orderId, message: item.intakeMessage as string };
}

it('starts an order once however often its message arrives, before and after the execution closed', async () => {
  const { orderId, message } = await queuedOrder('worker-twice@example.com');
  const twice = await Promise.all([
    invoke<SqsBatchResponse>('intake-worker', { Records: [record('m1', message)] }),
    invoke<SqsBatchResponse>('intake-worker', { Records: [record('m2', message)] }),
  ]);
  expect(twice).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
  const item = await waitForStatus(documentClient(stack), tablesOf(stack), orderId, [
    'AWAITING_WAREHOUSE',
  ]);
  const updates = item.updates as { step: string; status: string }[];
  expect(updates.filter((u) => u.step === 'Queued' && u.status === 'SUCCEEDED')).toHaveLength(1);

  // Redelivered after the execution has closed: StartExecution answers ExecutionAlreadyExists,
  // which means done, not a failure to retry.
  const sfn = new SFNClient({ endpoint: stack.cloud.url, region: stack.cloud.region });
  const executionArn = item.executionArn as string;
  await sfn.send(new StopExecutionCommand({ executionArn }));
  expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('ABORTED');
  expect(
    await invoke<SqsBatchResponse>('intake-worker', { Records: [record('m3', message)] }),
  ).toEqual({ batchItemFailures: [] });
});

it('reports only the records that failed: a malformed body and an unknown order', async () => {
  const { orderId, message } = await queuedOrder('worker-partial@example.com');
  const unknown = JSON.stringify({ ...JSON.parse(message), orderId: crypto.randomUUID() });
  const response = await invoke<SqsBatchResponse>('intake-worker', {
    Records: [record('good', message), record('malformed', '{not json'), record('stray', unknown)],
  });
  expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([
    'malformed',
    'stray',
  ]);
  await waitForStatus(documentClient(stack), tablesOf(stack), orderId, ['AWAITING_WAREHOUSE']);
  // The unknown order left no stray item behind.
  const strayId = JSON.parse(unknown).orderId as string;
  expect(await orderItem(documentClient(stack), tablesOf(stack), strayId)).toBeUndefined();
});

it('re-sends an order whose SendMessage failed, and the queue carries it to the workflow', async () => {
  const { orderId } = await queuedOrder('reconciled@example.com');
  // Not yet old enough for the scheduled run's threshold.
  expect(await invoke<ReconcileResult>('order-reconciler', {})).toEqual({ resent: 0, failed: 0 });
  const result = await invoke<ReconcileResult>('order-reconciler', { olderThanSeconds: 0 });
  expect(result.resent).toBeGreaterThanOrEqual(1);
  expect(result.failed).toBe(0);
  // The event source mapping hands the re-sent message to the worker.
  const item = await waitForStatus(documentClient(stack), tablesOf(stack), orderId, [
    'AWAITING_WAREHOUSE',
  ]);
  expect(item.intakePending).toBeUndefined();
  // Nothing is left queued once the worker has deleted it.
  const sqs = new SQSClient({ endpoint: stack.cloud.url, region: stack.cloud.region });
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
  );
  expect(Number(Attributes?.ApproximateNumberOfMessages ?? 0)).toBe(0);
});
