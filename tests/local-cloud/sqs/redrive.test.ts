import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  ResourceNotFoundException,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { expect, test } from 'vitest';
import { createManualClock } from '../../../local-cloud/core/clock';
import { localCloudTest } from '../../support/local-cloud';

/** Dead-letter queues: redrive after maxReceiveCount, and a move task back to the source. */
const clock = createManualClock();
const t = localCloudTest({ clock });
const sqs = () => t.client(SQSClient);
const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
const create = async (QueueName: string, Attributes?: Record<string, string>) =>
  (await sqs().send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl!;
const receive = (QueueUrl: string, MaxNumberOfMessages = 10) =>
  sqs()
    .send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    )
    .then((r) => r.Messages ?? []);
const visibleCount = async (QueueUrl: string) =>
  Number(
    (
      await sqs().send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      )
    ).Attributes!.ApproximateNumberOfMessages,
  );

async function withDlq(name: string, maxReceiveCount: number) {
  const dlq = await create(`${name}-dlq`);
  const source = await create(name, {
    VisibilityTimeout: '10',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn(`${name}-dlq`), maxReceiveCount }),
  });
  return { dlq, source };
}

test('after maxReceiveCount receives a message moves to the DLQ, keeping id, body, attributes, SentTimestamp', async () => {
  const { dlq, source } = await withDlq('payments', 2);
  const sentAt = clock.now();
  const sent = await sqs().send(
    new SendMessageCommand({
      QueueUrl: source,
      MessageBody: 'poison',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } },
    }),
  );
  for (const count of ['1', '2']) {
    const [message] = await receive(source);
    expect(message!.Attributes!.ApproximateReceiveCount).toBe(count);
    clock.advance(10_000);
  }
  // The third receive would exceed maxReceiveCount 2: the message goes to the DLQ instead.
  expect(await receive(source)).toEqual([]);
  const [dead] = await receive(dlq);
  expect(dead).toMatchObject({
    MessageId: sent.MessageId,
    Body: 'poison',
    MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } },
    Attributes: {
      SentTimestamp: String(sentAt),
      ApproximateReceiveCount: '1',
      DeadLetterQueueSourceArn: arn('payments'),
    },
  });
});

test('StartMessageMoveTask moves the DLQ back to each source queue; ListMessageMoveTasks reports it', async () => {
  const { dlq, source } = await withDlq('shipping', 1);
  for (let i = 0; i < 3; i++) {
    await sqs().send(new SendMessageCommand({ QueueUrl: source, MessageBody: `m${i}` }));
  }
  expect(await receive(source)).toHaveLength(3);
  clock.advance(10_000);
  expect(await receive(source)).toEqual([]);
  expect(await visibleCount(dlq)).toBe(3);

  const { TaskHandle } = await sqs().send(
    new StartMessageMoveTaskCommand({ SourceArn: arn('shipping-dlq') }),
  );
  expect(TaskHandle).toBeDefined();
  clock.advance(0);
  expect(await visibleCount(dlq)).toBe(0);
  const back = await receive(source);
  expect(back.map((m) => m.Body).sort()).toEqual(['m0', 'm1', 'm2']);
  expect(back[0]!.Attributes!.ApproximateReceiveCount).toBe('1');
  const { Results } = await sqs().send(
    new ListMessageMoveTasksCommand({ SourceArn: arn('shipping-dlq') }),
  );
  expect(Results).toEqual([
    expect.objectContaining({
      Status: 'COMPLETED',
      SourceArn: arn('shipping-dlq'),
      ApproximateNumberOfMessagesMoved: 3,
      ApproximateNumberOfMessagesToMove: 3,
    }),
  ]);
  expect(Results![0]!.TaskHandle).toBeUndefined();
});

test('a move task runs a batch per second at MaxNumberOfMessagesPerSecond, to a destination, and can be cancelled', async () => {
  const { dlq, source } = await withDlq('rated', 1);
  const elsewhere = await create('rated-elsewhere');
  for (let i = 0; i < 5; i++) {
    await sqs().send(new SendMessageCommand({ QueueUrl: source, MessageBody: `r${i}` }));
  }
  await receive(source);
  clock.advance(10_000);
  await receive(source);
  expect(await visibleCount(dlq)).toBe(5);
  const { TaskHandle } = await sqs().send(
    new StartMessageMoveTaskCommand({
      SourceArn: arn('rated-dlq'),
      DestinationArn: arn('rated-elsewhere'),
      MaxNumberOfMessagesPerSecond: 2,
    }),
  );
  clock.advance(0);
  expect(await visibleCount(elsewhere)).toBe(2);
  await expect(
    sqs().send(new StartMessageMoveTaskCommand({ SourceArn: arn('rated-dlq') })),
  ).rejects.toMatchObject({ name: 'UnsupportedOperation' });
  const running = await sqs().send(
    new ListMessageMoveTasksCommand({ SourceArn: arn('rated-dlq') }),
  );
  expect(running.Results![0]).toMatchObject({
    Status: 'RUNNING',
    TaskHandle,
    MaxNumberOfMessagesPerSecond: 2,
  });
  clock.advance(1_000);
  expect(await visibleCount(elsewhere)).toBe(4);
  const cancelled = await sqs().send(new CancelMessageMoveTaskCommand({ TaskHandle }));
  expect(cancelled.ApproximateNumberOfMessagesMoved).toBe(4);
  clock.advance(5_000);
  expect(await visibleCount(elsewhere)).toBe(4);
  expect(await visibleCount(dlq)).toBe(1);
  const listed = await sqs().send(new ListMessageMoveTasksCommand({ SourceArn: arn('rated-dlq') }));
  expect(listed.Results![0]!.Status).toBe('CANCELLED');
});

test('the source of a move task must be a dead-letter queue', async () => {
  await create('not-a-dlq');
  await expect(
    sqs().send(new StartMessageMoveTaskCommand({ SourceArn: arn('not-a-dlq') })),
  ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  await expect(
    sqs().send(new StartMessageMoveTaskCommand({ SourceArn: arn('missing') })),
  ).rejects.toBeInstanceOf(ResourceNotFoundException);
});
