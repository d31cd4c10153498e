import {
  BatchEntryIdsNotDistinct,
  BatchRequestTooLong,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  EmptyBatchRequest,
  GetQueueAttributesCommand,
  InvalidBatchEntryId,
  InvalidMessageContents,
  MessageNotInflight,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  TooManyEntriesInBatchRequest,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { describe, expect, test } from 'vitest';
import { createManualClock } from '../../../local-cloud/core/clock';
import { md5OfAttributes } from '../../../local-cloud/sqs/md5';
import { localCloudTest } from '../../support/local-cloud';

/**
 * Messages with the official client, its MD5 checks on (the default): send, receive, delete,
 * visibility, batches. The clock is manual, so visibility timeouts pass when the test says.
 */
const clock = createManualClock();
const t = localCloudTest({ clock });
const sqs = () => t.client(SQSClient);
const create = async (QueueName: string, Attributes?: Record<string, string>) =>
  (await sqs().send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl!;
const receive = (
  QueueUrl: string,
  extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {},
) =>
  sqs()
    .send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['All'], ...extra }))
    .then((r) => r.Messages ?? []);
const counts = async (QueueUrl: string) =>
  (
    await sqs().send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    )
  ).Attributes;

describe('SendMessage, ReceiveMessage, DeleteMessage', () => {
  test('a message goes round with body digest, id, system attributes', async () => {
    const QueueUrl = await create('basic');
    const body = 'Order 42 — ✓ 😀 <xml/> & "quotes"\n\ttab';
    const sent = await sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.MD5OfMessageBody).toBeDefined();
    expect(sent.SequenceNumber).toBeUndefined();

    const [message] = await receive(QueueUrl);
    expect(message).toMatchObject({
      MessageId: sent.MessageId,
      Body: body,
      MD5OfBody: sent.MD5OfMessageBody,
    });
    expect(message!.Attributes).toMatchObject({
      ApproximateReceiveCount: '1',
      SentTimestamp: String(clock.now()),
      ApproximateFirstReceiveTimestamp: String(clock.now()),
      SenderId: '000000000000',
    });
    expect(await counts(QueueUrl)).toEqual({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '1',
      ApproximateNumberOfMessagesDelayed: '0',
    });
    await sqs().send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message!.ReceiptHandle }));
    expect(await counts(QueueUrl)).toMatchObject({ ApproximateNumberOfMessagesNotVisible: '0' });
    // Deleting again, or receiving from an empty queue, is fine.
    await sqs().send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message!.ReceiptHandle }));
    expect(await receive(QueueUrl)).toEqual([]);
  });

  test('message attributes: digest as documented, filtered by name, prefix and All', async () => {
    const QueueUrl = await create('with-attributes');
    const MessageAttributes: Record<string, MessageAttributeValue> = {
      'order.id': { DataType: 'String', StringValue: 'o-1' },
      'order.total': { DataType: 'Number', StringValue: '12.50' },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
      custom: { DataType: 'String.uuid', StringValue: 'f00' },
    };
    const sent = await sqs().send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'x',
        MessageAttributes,
        MessageSystemAttributes: {
          AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-abc' },
        },
      }),
    );
    const wire = {
      'order.id': { DataType: 'String', StringValue: 'o-1' },
      'order.total': { DataType: 'Number', StringValue: '12.50' },
      blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]).toString('base64') },
      custom: { DataType: 'String.uuid', StringValue: 'f00' },
    };
    expect(sent.MD5OfMessageAttributes).toBe(md5OfAttributes(wire));
    expect(sent.MD5OfMessageSystemAttributes).toBe(
      md5OfAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-abc' } }),
    );

    const [byPrefix] = await receive(QueueUrl, {
      MessageAttributeNames: ['order.*'],
      VisibilityTimeout: 0,
    });
    expect(Object.keys(byPrefix!.MessageAttributes!).sort()).toEqual(['order.id', 'order.total']);
    expect(byPrefix!.MD5OfMessageAttributes).toBe(
      md5OfAttributes({ 'order.id': wire['order.id'], 'order.total': wire['order.total'] }),
    );
    expect(byPrefix!.Attributes!.AWSTraceHeader).toBe('Root=1-abc');

    const [all] = await receive(QueueUrl, { MessageAttributeNames: ['All'] });
    expect(all!.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(all!.MessageAttributes!.blob!.BinaryValue).toEqual(new Uint8Array([0, 1, 2, 255]));
    expect(all!.Attributes!.ApproximateReceiveCount).toBe('2');

    await expect(
      sqs().send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: 'x',
          MessageAttributes: { bad: { DataType: 'Integer', StringValue: '1' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(
      sqs().send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: 'x',
          MessageAttributes: { n: { DataType: 'Number', StringValue: 'twelve' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  test('bodies: characters outside the allowed set are InvalidMessageContents; >256 KiB is refused', async () => {
    const QueueUrl = await create('limits');
    await expect(
      sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'bell \u0007' })),
    ).rejects.toBeInstanceOf(InvalidMessageContents);
    await expect(
      sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(262_145) })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('262144 bytes'),
    });
    await expect(
      sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(262_144) })),
    ).resolves.toBeDefined();
  });

  test('DelaySeconds keeps a message back; MaxNumberOfMessages is 1 to 10', async () => {
    const QueueUrl = await create('delayed');
    await sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 5 }));
    expect(await counts(QueueUrl)).toMatchObject({ ApproximateNumberOfMessagesDelayed: '1' });
    expect(await receive(QueueUrl)).toEqual([]);
    clock.advance(5_000);
    expect((await receive(QueueUrl)).map((m) => m.Body)).toEqual(['later']);
    await expect(receive(QueueUrl, { MaxNumberOfMessages: 11 })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    await expect(receive(QueueUrl, { WaitTimeSeconds: 21 })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });

  test('messages older than MessageRetentionPeriod are dropped', async () => {
    const QueueUrl = await create('retention', { MessageRetentionPeriod: '60' });
    await sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'old' }));
    clock.advance(30_000);
    await sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'young' }));
    clock.advance(31_000);
    expect(await counts(QueueUrl)).toMatchObject({ ApproximateNumberOfMessages: '1' });
    expect((await receive(QueueUrl, { MaxNumberOfMessages: 10 })).map((m) => m.Body)).toEqual([
      'young',
    ]);
  });

  test('a malformed receipt handle is ReceiptHandleIsInvalid', async () => {
    const QueueUrl = await create('handles');
    await expect(
      sqs().send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'not-a-handle' })),
    ).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
  });
});

describe('visibility', () => {
  test('a received message comes back after its timeout with ApproximateReceiveCount + 1', async () => {
    const QueueUrl = await create('visibility', { VisibilityTimeout: '30' });
    await sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'again' }));
    const [first] = await receive(QueueUrl);
    clock.advance(29_000);
    expect(await receive(QueueUrl)).toEqual([]);
    clock.advance(1_000);
    const [second] = await receive(QueueUrl);
    expect(second).toMatchObject({
      MessageId: first!.MessageId,
      Attributes: { ApproximateReceiveCount: '2' },
    });
    expect(second!.ReceiptHandle).not.toBe(first!.ReceiptHandle);
    // The old handle is accepted but does not delete the message someone else now holds.
    await sqs().send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first!.ReceiptHandle }));
    expect(await counts(QueueUrl)).toMatchObject({ ApproximateNumberOfMessagesNotVisible: '1' });
    await sqs().send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second!.ReceiptHandle }));
    expect(await counts(QueueUrl)).toMatchObject({ ApproximateNumberOfMessagesNotVisible: '0' });
  });

  test('ChangeMessageVisibility extends or releases; an expired one is MessageNotInflight', async () => {
    const QueueUrl = await create('change-visibility');
    await sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'm' }));
    const [message] = await receive(QueueUrl, { VisibilityTimeout: 10 });
    await sqs().send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: message!.ReceiptHandle,
        VisibilityTimeout: 60,
      }),
    );
    clock.advance(30_000);
    expect(await receive(QueueUrl)).toEqual([]);
    await sqs().send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: message!.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const [again] = await receive(QueueUrl, { VisibilityTimeout: 5 });
    expect(again!.MessageId).toBe(message!.MessageId);
    clock.advance(5_000);
    await expect(
      sqs().send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: again!.ReceiptHandle,
          VisibilityTimeout: 5,
        }),
      ),
    ).rejects.toBeInstanceOf(MessageNotInflight);
    await expect(
      sqs().send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: again!.ReceiptHandle,
          VisibilityTimeout: 43_201,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});

describe('batches', () => {
  test('SendMessageBatch: per-entry failures in Failed, the rest sent', async () => {
    const QueueUrl = await create('batch');
    const result = await sqs().send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'ok-1', MessageBody: 'one' },
          { Id: 'bad', MessageBody: 'nul \u0000' },
          { Id: 'ok-2', MessageBody: 'two', DelaySeconds: 0 },
          { Id: 'too-late', MessageBody: 'x', DelaySeconds: 901 },
        ],
      }),
    );
    expect(result.Successful?.map((s) => s.Id)).toEqual(['ok-1', 'ok-2']);
    expect(result.Successful![0]!.MD5OfMessageBody).toBeDefined();
    expect(result.Failed).toEqual([
      { Id: 'bad', SenderFault: true, Code: 'InvalidMessageContents', Message: expect.any(String) },
      {
        Id: 'too-late',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message: expect.any(String),
      },
    ]);
    const messages = await receive(QueueUrl, { MaxNumberOfMessages: 10 });
    expect(messages.map((m) => m.Body).sort()).toEqual(['one', 'two']);

    const deleted = await sqs().send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', ReceiptHandle: messages[0]!.ReceiptHandle },
          { Id: 'b', ReceiptHandle: 'garbage' },
        ],
      }),
    );
    expect(deleted.Successful).toEqual([{ Id: 'a' }]);
    expect(deleted.Failed).toEqual([
      { Id: 'b', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: expect.any(String) },
    ]);
    const changed = await sqs().send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', ReceiptHandle: messages[1]!.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'b', ReceiptHandle: messages[0]!.ReceiptHandle, VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(changed.Successful).toEqual([{ Id: 'a' }]);
    expect(changed.Failed?.map((f) => f.Id)).toEqual(['b']);
  });

  test('batch-level errors', async () => {
    const QueueUrl = await create('batch-errors');
    const send = (Entries: { Id: string; MessageBody: string }[]) =>
      sqs().send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    await expect(send([])).rejects.toBeInstanceOf(EmptyBatchRequest);
    await expect(
      send(Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' }))),
    ).rejects.toBeInstanceOf(TooManyEntriesInBatchRequest);
    await expect(
      send([
        { Id: 'same', MessageBody: 'x' },
        { Id: 'same', MessageBody: 'y' },
      ]),
    ).rejects.toBeInstanceOf(BatchEntryIdsNotDistinct);
    await expect(send([{ Id: 'no spaces', MessageBody: 'x' }])).rejects.toBeInstanceOf(
      InvalidBatchEntryId,
    );
    await expect(
      send([
        { Id: 'a', MessageBody: 'x'.repeat(200_000) },
        { Id: 'b', MessageBody: 'x'.repeat(200_000) },
      ]),
    ).rejects.toBeInstanceOf(BatchRequestTooLong);
  });
});
