import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { expect, test } from 'vitest';
import { createManualClock } from '../../../local-cloud/core/clock';
import { localCloudTest } from '../../support/local-cloud';

/** FIFO basics: groups, order, one in-flight batch per group, deduplication. */
const clock = createManualClock();
const t = localCloudTest({ clock });
const sqs = () => t.client(SQSClient);
const create = async (QueueName: string, Attributes: Record<string, string> = {}) =>
  (
    await sqs().send(
      new CreateQueueCommand({ QueueName, Attributes: { FifoQueue: 'true', ...Attributes } }),
    )
  ).QueueUrl!;
const receive = (QueueUrl: string, MaxNumberOfMessages = 10) =>
  sqs()
    .send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages,
        MessageSystemAttributeNames: ['All'],
      }),
    )
    .then((r) => r.Messages ?? []);

test('messages of a group come in order, one batch in flight per group', async () => {
  const QueueUrl = await create('orders.fifo', { ContentBasedDeduplication: 'true' });
  const sent = await sqs().send(
    new SendMessageBatchCommand({
      QueueUrl,
      Entries: ['a1', 'b1', 'a2', 'a3', 'b2'].map((body) => ({
        Id: body,
        MessageBody: body,
        MessageGroupId: body[0]!,
      })),
    }),
  );
  const sequence = sent.Successful!.map((s) => BigInt(s.SequenceNumber!));
  expect([...sequence].sort((x, y) => (x < y ? -1 : 1))).toEqual(sequence);

  const first = await receive(QueueUrl, 2);
  expect(first.map((m) => m.Body)).toEqual(['a1', 'b1']);
  expect(first[0]!.Attributes).toMatchObject({
    MessageGroupId: 'a',
    SequenceNumber: sent.Successful![0]!.SequenceNumber,
  });
  // Both groups have a message in flight: nothing more until one is deleted or times out.
  expect(await receive(QueueUrl)).toEqual([]);
  await sqs().send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first[0]!.ReceiptHandle }));
  expect((await receive(QueueUrl)).map((m) => m.Body)).toEqual(['a2', 'a3']);
  // Every visibility runs out: the oldest (b1) comes first, and b2 stays behind it.
  clock.advance(30_000);
  expect((await receive(QueueUrl, 1)).map((m) => m.Body)).toEqual(['b1']);
  expect((await receive(QueueUrl)).map((m) => m.Body)).toEqual(['a2', 'a3']);
});

test('deduplication: the same MessageDeduplicationId within 5 minutes is accepted once', async () => {
  const QueueUrl = await create('dedup.fifo');
  const send = (MessageDeduplicationId: string) =>
    sqs().send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'pay',
        MessageGroupId: 'g',
        MessageDeduplicationId,
      }),
    );
  const one = await send('order-1');
  const dup = await send('order-1');
  expect(dup.MessageId).toBe(one.MessageId);
  expect(dup.SequenceNumber).toBe(one.SequenceNumber);
  expect((await receive(QueueUrl)).map((m) => m.Body)).toEqual(['pay']);
  clock.advance(5 * 60_000);
  const later = await send('order-1');
  expect(later.MessageId).not.toBe(one.MessageId);
});

test('FIFO requires MessageGroupId and a deduplication id or ContentBasedDeduplication', async () => {
  const QueueUrl = await create('strict.fifo');
  await expect(
    sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageDeduplicationId: 'd' })),
  ).rejects.toMatchObject({ name: 'MissingParameter' });
  await expect(
    sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g' })),
  ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  await expect(
    sqs().send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'x',
        MessageGroupId: 'g',
        MessageDeduplicationId: 'd',
        DelaySeconds: 3,
      }),
    ),
  ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
});
