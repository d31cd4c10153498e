import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type QueueAttributeName,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { staticBackend, type LocalFunction } from '../../../local-cloud';
import type { LocalEventSourceMapping } from '../../../local-cloud/backend/model';
import { createClock } from '../../../local-cloud/core/clock';
import type { Logger } from '../../../local-cloud/core/service';
import {
  startEventSourceMappings,
  type EventSourceMappings,
  type SqsRecord,
} from '../../../local-cloud/lambda/event-sources';
import type { LambdaHandler } from '../../../local-cloud/lambda/types';
import { localCloudTest } from '../../support/local-cloud';

/**
 * The pollers against the local cloud's own SQS, over the wire, invoking inline functions of the
 * local Lambda. The clock runs ten times faster: a 1 s visibility timeout lasts 100 ms, a 20 s
 * long poll 2 s, the pollers' 1 s failure backoff 100 ms.
 */
const SCALE = 10;
const clock = createClock(SCALE);
const ACCOUNT = '000000000000';
const arn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

type Records = { Records: SqsRecord[] };
const seen: Record<string, SqsRecord[][]> = {};
let inFlight = 0;
let peak = 0;
const record =
  (name: string, then: (event: Records) => unknown = () => null): LambdaHandler =>
  async (event) => {
    (seen[name] ??= []).push((event as Records).Records);
    return then(event as Records);
  };
const handlers: Record<string, LambdaHandler> = {
  shape: record('shape'),
  batches: record('batches'),
  concurrency: record('concurrency', async () => {
    peak = Math.max(peak, ++inFlight);
    await new Promise((r) => setTimeout(r, 20));
    inFlight--;
    return null;
  }),
  partial: record('partial', ({ Records }) => ({
    batchItemFailures: Records.filter(
      (r) => r.body === 'bad' && r.attributes.ApproximateReceiveCount === '1',
    ).map((r) => ({ itemIdentifier: r.messageId })),
  })),
  failing: record('failing', () => {
    throw new Error('cannot process');
  }),
  idle: record('idle'),
};
const functions: LocalFunction[] = Object.entries(handlers).map(([name, handler]) => ({
  name,
  code: { inline: handler },
  environment: {},
  unresolvedEnvironment: {},
}));

const t = localCloudTest({
  clock,
  backend: staticBackend({ tables: [], functions, stateMachines: [] }),
});
const sqs = () => t.client(SQSClient);
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const urls = new Map<string, string>();
async function createQueue(name: string, attributes: Record<string, string> = {}) {
  const out = await sqs().send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  urls.set(arn(name), out.QueueUrl!);
  return out.QueueUrl!;
}

let running: EventSourceMappings | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

function poll(functionName: string, queue: string, over: Partial<LocalEventSourceMapping> = {}) {
  running = startEventSourceMappings({
    ctx: { clock, log: silent, region: t.cloud.region },
    lambda: t.cloud.services.lambda,
    mappings: [
      {
        functionName,
        eventSourceArn: arn(queue),
        batchSize: 10,
        maximumBatchingWindowSeconds: 0,
        functionResponseTypes: [],
        enabled: true,
        ...over,
      },
    ],
    // The pollers' own client, with the SDK's retries, as the composition root would build it.
    sqs: new SQSClient({
      endpoint: t.cloud.url,
      region: t.cloud.region,
      credentials: t.cloud.credentials,
    }),
    queueUrlOf: (queueArn) => urls.get(queueArn),
  });
  return running;
}

const until = async (check: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};
const count = async (QueueUrl: string, attribute: QueueAttributeName) =>
  Number(
    (await sqs().send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] })))
      .Attributes?.[attribute],
  );
const emptied = (QueueUrl: string) => async () =>
  (await count(QueueUrl, 'ApproximateNumberOfMessages')) === 0 &&
  (await count(QueueUrl, 'ApproximateNumberOfMessagesNotVisible')) === 0;
const sendAll = async (QueueUrl: string, bodies: string[]) => {
  for (let i = 0; i < bodies.length; i += 10) {
    await sqs().send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: bodies.slice(i, i + 10).map((MessageBody, n) => ({ Id: `e${n}`, MessageBody })),
      }),
    );
  }
};

describe('SQS event source mappings against the local SQS', () => {
  it('delivers a message to the function in SQS event shape and deletes it', async () => {
    const url = await createQueue('esm-shape');
    poll('shape', 'esm-shape');
    const sent = await sqs().send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: '{"orderId":"o-1"}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } },
      }),
    );
    await until(() => (seen.shape?.length ?? 0) > 0);
    await until(emptied(url));
    const [only] = seen.shape![0]!;
    expect(only).toMatchObject({
      messageId: sent.MessageId,
      body: '{"orderId":"o-1"}',
      md5OfBody: sent.MD5OfMessageBody,
      md5OfMessageAttributes: sent.MD5OfMessageAttributes,
      messageAttributes: {
        kind: {
          stringValue: 'order',
          stringListValues: [],
          binaryListValues: [],
          dataType: 'String',
        },
      },
      eventSource: 'aws:sqs',
      eventSourceARN: arn('esm-shape'),
      awsRegion: 'us-east-1',
    });
    expect(only!.receiptHandle).toEqual(expect.any(String));
    expect(only!.attributes).toMatchObject({
      ApproximateReceiveCount: '1',
      SenderId: expect.any(String),
      SentTimestamp: expect.stringMatching(/^\d+$/),
      ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
    });
  });

  it('invokes with at most batchSize messages', async () => {
    const url = await createQueue('esm-batches');
    await sendAll(url, ['1', '2', '3', '4', '5', '6', '7']);
    poll('batches', 'esm-batches', { batchSize: 3, maximumConcurrency: 2 });
    await until(emptied(url));
    const batches = seen.batches!;
    expect(batches.every((b) => b.length >= 1 && b.length <= 3)).toBe(true);
    expect(
      batches
        .flat()
        .map((r) => r.body)
        .sort(),
    ).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  it('never runs more than MaximumConcurrency invocations at once', async () => {
    const url = await createQueue('esm-concurrency');
    await sendAll(
      url,
      Array.from({ length: 30 }, (_, i) => `m${i}`),
    );
    poll('concurrency', 'esm-concurrency', { batchSize: 1, maximumConcurrency: 2 });
    await until(emptied(url));
    expect(seen.concurrency!.flat()).toHaveLength(30);
    expect(peak).toBe(2);
  });

  it('deletes only the succeeded messages of a partial batch response', async () => {
    // 500 ms on this clock: long enough that a loaded machine still deletes the good messages
    // before they would come back, short enough to wait for the bad one.
    const url = await createQueue('esm-partial', { VisibilityTimeout: '5' });
    await sendAll(url, ['good-1', 'bad', 'good-2']);
    poll('partial', 'esm-partial', {
      functionResponseTypes: ['ReportBatchItemFailures'],
      maximumConcurrency: 2,
    });
    await until(emptied(url));
    const deliveries = seen
      .partial!.flat()
      .map((r) => [r.body, r.attributes.ApproximateReceiveCount]);
    expect(deliveries.filter(([body]) => body !== 'bad')).toEqual(
      expect.arrayContaining([
        ['good-1', '1'],
        ['good-2', '1'],
      ]),
    );
    expect(deliveries.filter(([body]) => body !== 'bad')).toHaveLength(2);
    expect(deliveries.filter(([body]) => body === 'bad')).toEqual([
      ['bad', '1'],
      ['bad', '2'],
    ]);
  });

  it('leaves failed messages to the queue, which moves them to its DLQ after maxReceiveCount', async () => {
    const dlq = await createQueue('esm-failing-dlq');
    const url = await createQueue('esm-failing', {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: arn('esm-failing-dlq'),
        maxReceiveCount: 2,
      }),
    });
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    const mappings = poll('failing', 'esm-failing', { maximumConcurrency: 2 });
    await until(async () => (await count(dlq, 'ApproximateNumberOfMessages')) === 1);
    await until(emptied(url));
    expect(seen.failing!.flat().map((r) => r.attributes.ApproximateReceiveCount)).toEqual([
      '1',
      '2',
    ]);
    expect(mappings.stats()[0]).toMatchObject({ failedBatches: 2, deleted: 0 });
    const moved = await sqs().send(
      new ReceiveMessageCommand({ QueueUrl: dlq, MessageSystemAttributeNames: ['All'] }),
    );
    expect(moved.Messages?.[0]?.Body).toBe('poison');
  });

  it('close() returns promptly while the pollers are in a long poll', async () => {
    await createQueue('esm-idle');
    const mappings = poll('idle', 'esm-idle', { maximumConcurrency: 5 });
    // Long enough for every poller to be parked in its 2 s (scaled) long poll.
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await mappings.close();
    expect(Date.now() - started).toBeLessThan(500);
    expect(seen.idle).toBeUndefined();
  });
});
