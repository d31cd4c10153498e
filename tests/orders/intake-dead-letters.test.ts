import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '../local-cloud/helpers';
import { startOfflineStack, type OfflineStack } from '../support/offline-stack';

/**
 * A message no worker can start (here: not even JSON) is received MaxReceiveCount (5) times,
 * reported as a batch item failure each time, and then moved to the dead-letter queue by the
 * queue's RedrivePolicy, where an operator can look at it and move it back. The clock runs 100
 * times faster, so the 180 s visibility timeout takes 1.8 s.
 */
let stack: OfflineStack;
let sqs: SQSClient;
const url = (name: string) => stack.cloud.backend.queues!.find((q) => q.name === name)!;
beforeAll(async () => {
  stack = await startOfflineStack({ timeScale: 100 });
  sqs = new SQSClient({
    endpoint: stack.cloud.url,
    region: stack.cloud.region,
    credentials: stack.cloud.credentials,
  });
}, 60_000);
afterAll(() => stack?.close());

async function depth(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

it('sends a poison message to the dead-letter queue after five receives, and redrives it', async () => {
  const intake = url('OrderIntakeQueue');
  const deadLetters = url('OrderIntakeDeadLetters');
  const { MessageId } = await sqs.send(
    new SendMessageCommand({ QueueUrl: intake.url, MessageBody: '{"orderId": oops' }),
  );

  await waitFor(async () => ((await depth(deadLetters.url)) === 1 ? true : undefined), {
    timeoutMs: 60_000,
    intervalMs: 200,
  });
  expect(await depth(intake.url)).toBe(0);
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: deadLetters.url,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      VisibilityTimeout: 0,
    }),
  );
  // The same message, with the body it was sent with, after the worker failed it five times.
  expect(Messages).toHaveLength(1);
  expect(Messages[0]).toMatchObject({ MessageId, Body: '{"orderId": oops' });

  // Moved back to the queue it came from (no DestinationArn), where the worker fails it again.
  await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: deadLetters.arn }));
  await waitFor(
    async () => {
      const { Results = [] } = await sqs.send(
        new ListMessageMoveTasksCommand({ SourceArn: deadLetters.arn }),
      );
      return Results[0]?.Status === 'COMPLETED' ? Results[0] : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 100 },
  ).then((task) => expect(task.ApproximateNumberOfMessagesMoved).toBe(1));
  await waitFor(async () => ((await depth(deadLetters.url)) === 1 ? true : undefined), {
    timeoutMs: 60_000,
    intervalMs: 200,
  });
}, 150_000);
