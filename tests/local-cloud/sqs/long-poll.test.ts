import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { expect, test } from 'vitest';
import { createClock } from '../../../local-cloud/core/clock';
import { localCloudTest } from '../../support/local-cloud';

/**
 * Long polling on a clock ten times faster than real time: a 20 s poll is 2 s, so "returns
 * early" and "waits the whole time" are both measurable.
 */
const t = localCloudTest({ clock: createClock(10) });
const sqs = () => t.client(SQSClient);
const create = async (QueueName: string, Attributes?: Record<string, string>) =>
  (await sqs().send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl!;
const timed = async <T>(work: Promise<T>) => {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
};
const poll = (QueueUrl: string, WaitTimeSeconds?: number, extra = {}) =>
  sqs()
    .send(
      new ReceiveMessageCommand({
        QueueUrl,
        WaitTimeSeconds,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        ...extra,
      }),
    )
    .then((r) => r.Messages ?? []);

test('a long poll returns as soon as a message is sent', async () => {
  const QueueUrl = await create('wake-on-send');
  const waiting = timed(poll(QueueUrl, 20));
  await new Promise((resolve) => setTimeout(resolve, 100));
  await sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'now' }));
  const { value, ms } = await waiting;
  expect(value.map((m) => m.Body)).toEqual(['now']);
  expect(ms).toBeLessThan(1_000);
});

test('an empty long poll answers after WaitTimeSeconds (or the queue’s ReceiveMessageWaitTimeSeconds)', async () => {
  const QueueUrl = await create('empty', { ReceiveMessageWaitTimeSeconds: '5' });
  const explicit = await timed(poll(QueueUrl, 3));
  expect(explicit.value).toEqual([]);
  expect(explicit.ms).toBeGreaterThanOrEqual(280);
  expect(explicit.ms).toBeLessThan(1_500);
  const byQueue = await timed(poll(QueueUrl));
  expect(byQueue.value).toEqual([]);
  expect(byQueue.ms).toBeGreaterThanOrEqual(480);
  const short = await timed(poll(QueueUrl, 0));
  expect(short.ms).toBeLessThan(200);
});

test('a long poll is woken when an in-flight message’s visibility runs out', async () => {
  const QueueUrl = await create('wake-on-expiry');
  await sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'retry me' }));
  expect(await poll(QueueUrl, 0, { VisibilityTimeout: 3 })).toHaveLength(1);
  const { value, ms } = await timed(poll(QueueUrl, 20));
  expect(value[0]!.Attributes!.ApproximateReceiveCount).toBe('2');
  expect(ms).toBeGreaterThanOrEqual(200);
  expect(ms).toBeLessThan(1_500);
});

test('parked polls do not block other calls, and each gets its own message', async () => {
  const QueueUrl = await create('many-waiters');
  const waiting = Array.from({ length: 20 }, () => poll(QueueUrl, 20));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const attributes = await timed(
    sqs().send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] })),
  );
  expect(attributes.ms).toBeLessThan(500);
  for (const batch of [0, 1]) {
    await sqs().send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: Array.from({ length: 10 }, (_, i) => ({
          Id: `m${i}`,
          MessageBody: `${batch}-${i}`,
        })),
      }),
    );
  }
  const bodies = (await Promise.all(waiting)).flat().map((m) => m.Body);
  expect(bodies).toHaveLength(20);
  expect(new Set(bodies).size).toBe(20);
});

test('a client with no endpoint reaches the local cloud through the QueueUrl (useQueueUrlAsEndpoint)', async () => {
  const QueueUrl = await create('by-queue-url');
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const client = new SQSClient({
    region: t.cloud.region,
    credentials: t.cloud.credentials,
    maxAttempts: 1,
    logger: quiet,
  });
  const sent = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'via url' }));
  const received = await client.send(new ReceiveMessageCommand({ QueueUrl }));
  expect(received.Messages?.[0]).toMatchObject({ MessageId: sent.MessageId, Body: 'via url' });
  client.destroy();
});

test('a long poll whose client hung up receives nothing: the next message goes to a live caller', async () => {
  const QueueUrl = await create('hung-up');
  const abort = new AbortController();
  const gone = sqs()
    .send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }), {
      abortSignal: abort.signal,
    })
    .catch((error: unknown) => error);
  await new Promise((resolve) => setTimeout(resolve, 50));
  abort.abort();
  expect(await gone).toMatchObject({ name: 'AbortError' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'for the living' }));
  expect((await poll(QueueUrl, 0)).map((m) => m.Body)).toEqual(['for the living']);
});
