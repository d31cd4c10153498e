import { afterEach, describe, expect, it } from 'vitest';
import type { LocalEventSourceMapping } from '../../../local-cloud/backend/model';
import { createClock } from '../../../local-cloud/core/clock';
import type { Logger } from '../../../local-cloud/core/service';
import {
  pollersFor,
  startEventSourceMappings,
  type EventSourceMappings,
  type Invoker,
  type SqsRecord,
} from '../../../local-cloud/lambda/event-sources';
import { TooManyRequestsError, type InvokeResult } from '../../../local-cloud/lambda/runtime';
import { FakeSqs } from './fake-sqs';

/** The pollers against an in-memory queue and a hand-made Lambda (see fake-sqs.ts). */
const ARN = 'arn:aws:sqs:us-east-1:000000000000:intake';
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const warnings: string[] = [];
const log: Logger = { ...silent, warn: (message) => void warnings.push(message) };
// Backoff waits go through the clock; a fast clock keeps them short.
const ctx = { clock: createClock(100), log, region: 'us-east-1' };

const mapping = (over: Partial<LocalEventSourceMapping> = {}): LocalEventSourceMapping => ({
  functionName: 'worker',
  eventSourceArn: ARN,
  batchSize: 10,
  maximumBatchingWindowSeconds: 0,
  functionResponseTypes: [],
  enabled: true,
  ...over,
});

const ok = (payload: unknown = null): InvokeResult => ({
  ok: true,
  payload,
  durationMs: 1,
  coldStart: false,
});
const failed: InvokeResult = {
  ok: false,
  error: { errorType: 'Error', errorMessage: 'boom' },
  durationMs: 1,
  coldStart: false,
};

type Handler = (records: SqsRecord[]) => Promise<InvokeResult> | InvokeResult;
const invoker = (handler: Handler): Invoker & { batches: SqsRecord[][] } => {
  const batches: SqsRecord[][] = [];
  return {
    batches,
    async invoke(_name, payload) {
      const records = (payload as { Records: SqsRecord[] }).Records;
      batches.push(records);
      return handler(records);
    },
  };
};

const until = async (check: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

let running: EventSourceMappings | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  warnings.length = 0;
});

function start(sqs: FakeSqs, lambda: Invoker, mappings: LocalEventSourceMapping[]) {
  running = startEventSourceMappings({
    ctx,
    lambda,
    mappings,
    sqs: sqs.client(),
    queueUrlOf: (arn) => (arn === ARN ? 'http://127.0.0.1/000000000000/intake' : undefined),
  });
  return running;
}

describe('SQS event source mapping pollers', () => {
  it('invokes with SQS records and deletes a successful batch', async () => {
    const sqs = new FakeSqs();
    const lambda = invoker(() => ok());
    sqs.send('{"orderId":"o-1"}', { kind: { DataType: 'String', StringValue: 'order' } });
    start(sqs, lambda, [mapping()]);
    await until(() => sqs.remaining === 0);
    const [record] = lambda.batches[0]!;
    expect(record).toMatchObject({
      messageId: 'm-1',
      body: '{"orderId":"o-1"}',
      eventSource: 'aws:sqs',
      eventSourceARN: ARN,
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: { kind: { stringValue: 'order', dataType: 'String' } },
    });
  });

  it('invokes when the batching window ends with a short batch', async () => {
    const sqs = new FakeSqs();
    const lambda = invoker(() => ok());
    // 1 s of window on a clock 100 times faster: 10 ms.
    start(sqs, lambda, [
      mapping({ batchSize: 5, maximumBatchingWindowSeconds: 1, maximumConcurrency: 1 }),
    ]);
    await until(() => sqs.parked === 1);
    sqs.send('a');
    await until(() => sqs.remaining === 0);
    expect(lambda.batches.map((b) => b.length)).toEqual([1]);
  });

  it('never sends more than batchSize messages, nor more than one receive without a window', async () => {
    const sqs = new FakeSqs();
    for (let i = 0; i < 25; i++) sqs.send(`m${i}`);
    const lambda = invoker(() => ok());
    start(sqs, lambda, [mapping({ batchSize: 3, maximumConcurrency: 2 })]);
    await until(() => sqs.remaining === 0);
    expect(lambda.batches.every((b) => b.length <= 3)).toBe(true);
    expect(lambda.batches.flat()).toHaveLength(25);
  });

  it('gathers several receives into one batch within the batching window', async () => {
    const sqs = new FakeSqs();
    const lambda = invoker(() => ok());
    // One poller (below AWS's minimum of 2), so no other poller takes the later messages.
    start(sqs, lambda, [
      mapping({ batchSize: 3, maximumBatchingWindowSeconds: 60, maximumConcurrency: 1 }),
    ]);
    await until(() => sqs.parked === 1);
    sqs.send('a');
    await new Promise((r) => setTimeout(r, 20));
    sqs.send('b');
    sqs.send('c');
    await until(() => sqs.remaining === 0);
    expect(lambda.batches.map((b) => b.map((r) => r.body))).toEqual([['a', 'b', 'c']]);
  });

  it('keeps invocations in flight at or below MaximumConcurrency', async () => {
    const sqs = new FakeSqs();
    for (let i = 0; i < 40; i++) sqs.send(`m${i}`);
    let inFlight = 0;
    let peak = 0;
    const lambda = invoker(async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight--;
      return ok();
    });
    const mappings = start(sqs, lambda, [mapping({ batchSize: 1, maximumConcurrency: 3 })]);
    await until(() => sqs.remaining === 0);
    expect(peak).toBe(3);
    expect(mappings.stats()[0]).toMatchObject({ pollers: 3, batches: 40, deleted: 40 });
  });

  it('deletes only the messages a partial batch response did not name', async () => {
    const sqs = new FakeSqs();
    const ids = [sqs.send('a'), sqs.send('b'), sqs.send('c')];
    const lambda = invoker(() => ok({ batchItemFailures: [{ itemIdentifier: ids[1] }] }));
    start(sqs, lambda, [
      mapping({ functionResponseTypes: ['ReportBatchItemFailures'], maximumConcurrency: 2 }),
    ]);
    await until(() => sqs.remaining === 1);
    expect(sqs.stored[0]!.message.Body).toBe('b');
  });

  it('deletes nothing when a partial batch response is unusable', async () => {
    const sqs = new FakeSqs();
    sqs.send('a');
    sqs.send('b');
    const lambda = invoker(() => ok({ batchItemFailures: [{ itemIdentifier: '' }] }));
    const mappings = start(sqs, lambda, [
      mapping({ functionResponseTypes: ['ReportBatchItemFailures'], maximumConcurrency: 2 }),
    ]);
    await until(() => mappings.stats()[0]!.failedBatches === 1);
    expect(sqs.remaining).toBe(2);
    expect(sqs.calls).not.toContain('DeleteMessageBatch');
  });

  it('ignores a partial batch response unless ReportBatchItemFailures is on', async () => {
    const sqs = new FakeSqs();
    const id = sqs.send('a');
    const lambda = invoker(() => ok({ batchItemFailures: [{ itemIdentifier: id }] }));
    start(sqs, lambda, [mapping()]);
    await until(() => sqs.remaining === 0);
  });

  it('leaves a failed batch on the queue, warns once per batch and backs off', async () => {
    const sqs = new FakeSqs();
    sqs.send('a');
    const lambda = invoker(() => failed);
    const mappings = start(sqs, lambda, [mapping({ maximumConcurrency: 2 })]);
    await until(() => lambda.batches.length === 1);
    await until(() => mappings.stats()[0]!.failedBatches === 1);
    expect(sqs.remaining).toBe(1);
    expect(warnings).toEqual(['event source mapping: batch failed, messages left on the queue']);
    // The message comes back (visibility timeout) and fails again, received a second time.
    sqs.expireVisibility();
    await until(() => lambda.batches.length === 2);
    expect(lambda.batches[1]![0]!.attributes.ApproximateReceiveCount).toBe('2');
  });

  it('retries a throttled invocation of the same batch', async () => {
    const sqs = new FakeSqs();
    sqs.send('a');
    let calls = 0;
    const lambda = invoker(() => {
      if (++calls <= 2) throw new TooManyRequestsError('worker');
      return ok();
    });
    start(sqs, lambda, [mapping({ maximumConcurrency: 2 })]);
    await until(() => sqs.remaining === 0);
    expect(lambda.batches.map((b) => b[0]!.receiptHandle)).toEqual(['m-1#1', 'm-1#1', 'm-1#1']);
  });

  it('gives a throttled batch up when its visibility timeout would run out', async () => {
    const sqs = new FakeSqs();
    sqs.send('a');
    const lambda = invoker(() => {
      throw new TooManyRequestsError('worker');
    });
    // The fake queue's 30 s visibility timeout is 300 ms on this clock.
    const mappings = start(sqs, lambda, [mapping({ maximumConcurrency: 2 })]);
    await until(() => mappings.stats()[0]!.failedBatches === 1);
    expect(lambda.batches.length).toBeGreaterThan(3);
    expect(new Set(lambda.batches.map((b) => b[0]!.receiptHandle))).toEqual(new Set(['m-1#1']));
    expect(sqs.remaining).toBe(1);
  });

  it('runs MaximumConcurrency pollers, five without it, at most ten', () => {
    expect(pollersFor(mapping({ maximumConcurrency: 2 }))).toBe(2);
    expect(pollersFor(mapping())).toBe(5);
    expect(pollersFor(mapping({ maximumConcurrency: 1000 }))).toBe(10);
  });

  it('does not poll for a disabled mapping', async () => {
    const sqs = new FakeSqs();
    sqs.send('a');
    const mappings = start(
      sqs,
      invoker(() => ok()),
      [mapping({ enabled: false })],
    );
    await new Promise((r) => setTimeout(r, 30));
    expect(sqs.calls).toEqual([]);
    expect(mappings.stats()).toEqual([]);
  });

  it('close() aborts long polls at once and waits for the batch in flight', async () => {
    const sqs = new FakeSqs();
    let finish!: () => void;
    let settled = false;
    const lambda = invoker(
      () =>
        new Promise<InvokeResult>((resolve) => {
          finish = () => {
            settled = true;
            resolve(ok());
          };
        }),
    );
    const mappings = start(sqs, lambda, [mapping({ maximumConcurrency: 3 })]);
    await until(() => sqs.parked === 3);
    sqs.send('a');
    await until(() => lambda.batches.length === 1);
    const closing = mappings.close();
    await until(() => sqs.parked === 0);
    let closed = false;
    void closing.then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(false);
    finish();
    await closing;
    expect(settled).toBe(true);
    expect(sqs.remaining).toBe(0);
  });
});
