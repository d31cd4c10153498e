import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import {
  CreateTopicCommand,
  InvalidParameterException,
  InvalidParameterValueException,
  NotFoundException,
  PublishBatchCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  type MessageAttributeValue,
} from '@aws-sdk/client-sns';
import { beforeAll, describe, expect, test } from 'vitest';
import { localCloudTest } from '../../support/local-cloud';
import { waitFor } from '../helpers';
import { Receiver, receiverForTests } from './receiver';

/**
 * Publishing with the official client: what an HTTP endpoint and an SQS queue receive (the
 * envelope, headers, raw delivery, per-protocol bodies), filter policies, PublishBatch and
 * Publish's checks.
 */
const t = localCloudTest();
const receiver = receiverForTests();
const sns = () => t.client(SNSClient);
const sqs = () => t.client(SQSClient);

/** A topic with `endpoint` subscribed over HTTP and confirmed through its SubscribeURL. */
async function confirmedHttpTopic(
  name: string,
  endpoint: Receiver,
  attributes?: Record<string, string>,
) {
  const { TopicArn } = await sns().send(new CreateTopicCommand({ Name: name }));
  const before = endpoint.ofType('SubscriptionConfirmation').length;
  await sns().send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'http',
      Endpoint: endpoint.url,
      Attributes: attributes,
    }),
  );
  const confirmations = await endpoint.waitFor('SubscriptionConfirmation', before + 1);
  const res = await fetch(confirmations.at(-1)!.json.SubscribeURL!);
  const SubscriptionArn = /<SubscriptionArn>([^<]+)</.exec(await res.text())![1]!;
  return { TopicArn: TopicArn!, SubscriptionArn };
}

async function queue(name: string) {
  const { QueueUrl } = await sqs().send(new CreateQueueCommand({ QueueName: name }));
  return { QueueUrl: QueueUrl!, QueueArn: `arn:aws:sqs:us-east-1:000000000000:${name}` };
}

async function receiveAll(QueueUrl: string, count: number): Promise<Message[]> {
  const got: Message[] = [];
  await waitFor(
    async () => {
      const { Messages = [] } = await sqs().send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ['All'],
          WaitTimeSeconds: 1,
        }),
      );
      got.push(...Messages);
      return got.length >= count ? got : undefined;
    },
    { timeoutMs: 10_000 },
  );
  return got;
}

describe('an HTTP endpoint receives', () => {
  let topic: { TopicArn: string; SubscriptionArn: string };
  beforeAll(async () => {
    topic = await confirmedHttpTopic('notify', receiver);
  });

  test('a Notification: envelope fields in SNS order, headers, message attributes as {Type, Value}', async () => {
    const MessageAttributes: Record<string, MessageAttributeValue> = {
      kind: { DataType: 'String', StringValue: 'order.created' },
      total: { DataType: 'Number', StringValue: '42.5' },
      tags: { DataType: 'String.Array', StringValue: '["a","b"]' },
      blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
    };
    const { MessageId } = await sns().send(
      new PublishCommand({
        TopicArn: topic.TopicArn,
        Message: '{"orderId":"o-1"}',
        Subject: 'Order created',
        MessageAttributes,
      }),
    );
    const [notification] = await receiver.waitFor('Notification');
    expect(notification!.headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': MessageId,
      'x-amz-sns-topic-arn': topic.TopicArn,
      'x-amz-sns-subscription-arn': topic.SubscriptionArn,
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
    });
    expect(Object.keys(notification!.json)).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
    expect(notification!.json).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn: topic.TopicArn,
      Subject: 'Order created',
      Message: '{"orderId":"o-1"}',
      SignatureVersion: '1',
    });
    expect(new Date(notification!.json.Timestamp!).toISOString()).toBe(
      notification!.json.Timestamp,
    );
    expect(notification!.json.MessageAttributes).toEqual({
      kind: { Type: 'String', Value: 'order.created' },
      total: { Type: 'Number', Value: '42.5' },
      tags: { Type: 'String.Array', Value: '["a","b"]' },
      blob: { Type: 'Binary', Value: Buffer.from([1, 2, 3]).toString('base64') },
    });
    expect(new URL(notification!.json.UnsubscribeURL!).searchParams.get('SubscriptionArn')).toBe(
      topic.SubscriptionArn,
    );
  });

  test('MessageStructure=json: the http entry, else default', async () => {
    const { MessageId } = await sns().send(
      new PublishCommand({
        TopicArn: topic.TopicArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'for everyone', http: 'for http' }),
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'structured' } },
      }),
    );
    const found = await waitFor(() =>
      receiver.ofType('Notification').find((r) => r.json.MessageId === MessageId),
    );
    expect(found.json.Message).toBe('for http');
    // Attributes are delivered only with a String message structure.
    expect(found.json.MessageAttributes).toBeUndefined();
    await expect(
      sns().send(
        new PublishCommand({
          TopicArn: topic.TopicArn,
          MessageStructure: 'json',
          Message: '{"http":"x"}',
        }),
      ),
    ).rejects.toThrow(/No default entry/);
    await expect(
      sns().send(
        new PublishCommand({
          TopicArn: topic.TopicArn,
          MessageStructure: 'json',
          Message: 'not json',
        }),
      ),
    ).rejects.toThrow(/failed to parse/);
  });

  test('raw message delivery: the bare message, x-amz-sns-rawdelivery', async () => {
    const raw = await new Receiver().start();
    try {
      const { TopicArn } = await confirmedHttpTopic('raw-http', raw, {
        RawMessageDelivery: 'true',
      });
      await sns().send(new PublishCommand({ TopicArn, Message: 'just the body' }));
      const [notification] = await raw.waitFor('Notification');
      expect(notification!.body).toBe('just the body');
      expect(notification!.headers['x-amz-sns-rawdelivery']).toBe('true');
    } finally {
      await raw.close();
    }
  });
});

describe('an SQS subscription receives', () => {
  test('the JSON envelope, or the raw message with its attributes', async () => {
    const { TopicArn } = await sns().send(new CreateTopicCommand({ Name: 'to-queues' }));
    const wrapped = await queue('wrapped');
    const raw = await queue('raw');
    const sub = await sns().send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: wrapped.QueueArn }),
    );
    expect(sub.SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:`));
    await sns().send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: raw.QueueArn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const { MessageId } = await sns().send(
      new PublishCommand({
        TopicArn,
        Message: 'hello queues',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } },
      }),
    );
    const [envelope] = await receiveAll(wrapped.QueueUrl, 1);
    expect(JSON.parse(envelope!.Body!)).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn,
      Message: 'hello queues',
      SignatureVersion: '1',
      MessageAttributes: { kind: { Type: 'String', Value: 'greeting' } },
    });
    const [bare] = await receiveAll(raw.QueueUrl, 1);
    expect(bare!.Body).toBe('hello queues');
    expect(bare!.MessageAttributes).toEqual({
      kind: { DataType: 'String', StringValue: 'greeting' },
    });
  });
  test('more than ten attributes cannot go raw to SQS: a client-side error, dropped unretried', async () => {
    const { TopicArn } = await sns().send(new CreateTopicCommand({ Name: 'too-many-attributes' }));
    const raw = await queue('raw-eleven');
    const { SubscriptionArn } = await sns().send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: raw.QueueArn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const MessageAttributes = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]),
    );
    await sns().send(new PublishCommand({ TopicArn, Message: 'eleven', MessageAttributes }));
    const [attempt] = await waitFor(() => {
      const found = t.cloud.services.sns.deliveries({ subscriptionArn: SubscriptionArn });
      return found.length > 0 ? found : undefined;
    });
    expect(attempt).toMatchObject({ outcome: 'dropped', delivery: { attempts: 1 } });
  });
});

describe('filter policies', () => {
  test('attribute scope and body scope select what each subscription receives', async () => {
    const { TopicArn } = await sns().send(new CreateTopicCommand({ Name: 'filtered' }));
    const big = await queue('big-orders');
    const eu = await queue('eu-orders');
    await sns().send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: big.QueueArn,
        Attributes: {
          FilterPolicy: JSON.stringify({
            total: [{ numeric: ['>=', 100] }],
            kind: [{ prefix: 'order.' }],
          }),
          RawMessageDelivery: 'true',
        },
      }),
    );
    await sns().send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: eu.QueueArn,
        Attributes: {
          FilterPolicyScope: 'MessageBody',
          FilterPolicy: JSON.stringify({ order: { region: ['eu-west-1', 'eu-central-1'] } }),
          RawMessageDelivery: 'true',
        },
      }),
    );
    const publish = (body: object, kind: string, total: number) =>
      sns().send(
        new PublishCommand({
          TopicArn,
          Message: JSON.stringify(body),
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: kind },
            total: { DataType: 'Number', StringValue: String(total) },
          },
        }),
      );
    await publish({ order: { id: 1, region: 'eu-west-1' } }, 'order.created', 250);
    await publish({ order: { id: 2, region: 'us-east-1' } }, 'order.created', 50);
    await publish({ order: { id: 3, region: 'eu-central-1' } }, 'refund.created', 500);
    const bigIds = (await receiveAll(big.QueueUrl, 1)).map(
      (m) => (JSON.parse(m.Body!) as { order: { id: number } }).order.id,
    );
    const euIds = (await receiveAll(eu.QueueUrl, 2)).map(
      (m) => (JSON.parse(m.Body!) as { order: { id: number } }).order.id,
    );
    expect(bigIds).toEqual([1]);
    expect(euIds.sort()).toEqual([1, 3]);
  });
});

describe('PublishBatch and Publish checks', () => {
  test('PublishBatch: per-entry success and failure; batch-level errors', async () => {
    const { TopicArn } = await sns().send(new CreateTopicCommand({ Name: 'batched' }));
    const batch = await sns().send(
      new PublishBatchCommand({
        TopicArn,
        PublishBatchRequestEntries: [
          { Id: 'ok-1', Message: 'one' },
          { Id: 'bad', Message: 'two', Subject: 'line\nbreak' },
          { Id: 'ok-2', Message: 'three' },
        ],
      }),
    );
    expect(batch.Successful?.map((s) => s.Id)).toEqual(['ok-1', 'ok-2']);
    expect(batch.Successful?.every((s) => typeof s.MessageId === 'string')).toBe(true);
    expect(batch.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', Code: 'InvalidParameter', SenderFault: true }),
    ]);

    const entries = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, Message: 'x' }));
    await expect(
      sns().send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: entries(11) })),
    ).rejects.toMatchObject({
      name: 'TooManyEntriesInBatchRequestException',
    });
    await expect(
      sns().send(
        new PublishBatchCommand({
          TopicArn,
          PublishBatchRequestEntries: [
            { Id: 'a', Message: 'x' },
            { Id: 'a', Message: 'y' },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'BatchEntryIdsNotDistinctException' });
    await expect(
      sns().send(
        new PublishBatchCommand({
          TopicArn,
          PublishBatchRequestEntries: [
            { Id: 'a', Message: 'x'.repeat(200_000) },
            { Id: 'b', Message: 'y'.repeat(100_000) },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'BatchRequestTooLongException' });
  });

  test('size, subject, attributes and topic are checked', async () => {
    const { TopicArn } = await sns().send(new CreateTopicCommand({ Name: 'checked' }));
    const publish = (input: Partial<ConstructorParameters<typeof PublishCommand>[0]>) =>
      sns()
        .send(new PublishCommand({ TopicArn, Message: 'm', ...input }))
        .catch((e: unknown) => e as Error);
    expect(await publish({ Message: 'x'.repeat(262_144) })).toMatchObject({
      MessageId: expect.any(String),
    });
    const tooLong = await publish({ Message: 'x'.repeat(262_145) });
    expect(tooLong).toBeInstanceOf(InvalidParameterException);
    expect((tooLong as Error).message).toMatch(/Message too long/);
    expect(
      await publish({
        Message: 'x'.repeat(262_100),
        MessageAttributes: { a: { DataType: 'String', StringValue: 'y'.repeat(100) } },
      }),
    ).toBeInstanceOf(InvalidParameterException);
    expect(await publish({ Subject: 'x'.repeat(101) })).toBeInstanceOf(InvalidParameterException);
    expect(
      await publish({ MessageAttributes: { n: { DataType: 'Number', StringValue: 'ten' } } }),
    ).toBeInstanceOf(InvalidParameterValueException);
    expect(
      await publish({ MessageAttributes: { n: { DataType: 'Decimal', StringValue: '1' } } }),
    ).toBeInstanceOf(InvalidParameterValueException);
    expect(
      await publish({ MessageAttributes: { 'AWS.x': { DataType: 'String', StringValue: '1' } } }),
    ).toBeInstanceOf(InvalidParameterValueException);
    expect(
      await publish({
        MessageAttributes: { l: { DataType: 'String.Array', StringValue: 'nope' } },
      }),
    ).toBeInstanceOf(InvalidParameterValueException);
    expect(await publish({ TopicArn: `${TopicArn}-gone` })).toBeInstanceOf(NotFoundException);
  });
});
