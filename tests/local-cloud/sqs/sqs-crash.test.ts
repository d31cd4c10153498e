import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { afterAll, expect, test } from 'vitest';
import { freePort, startCloudProcess } from '../cloud-process';
import { waitFor } from '../helpers';

const here = path.dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'sqs-crash-'));
const children: ChildProcess[] = [];

/** The local cloud as a real process, so SIGKILL hits the server itself. */
const startProcess = (port: number) =>
  startCloudProcess({
    entry: path.join(here, 'fixtures', 'sqs-cloud.ts'),
    port,
    dataDir: path.join(work, 'data'),
    children,
    env: { LOCAL_CLOUD_TIME_SCALE: '1' },
  });

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

const VISIBILITY_S = 8;

test(
  'SIGKILL with messages in flight: after a restart every undeleted message comes back, none twice before its timeout',
  { timeout: 90_000 },
  async () => {
    const port = await freePort();
    const first = await startProcess(port);
    const sqs = new SQSClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'crash',
        Attributes: { VisibilityTimeout: String(VISIBILITY_S) },
      }),
    );
    const bodies = Array.from({ length: 100 }, (_, i) => `order-${i}`);
    for (let i = 0; i < bodies.length; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: bodies.slice(i, i + 10).map((MessageBody, j) => ({ Id: `m${j}`, MessageBody })),
        }),
      );
    }
    const inFlight: Message[] = [];
    while (inFlight.length < 60) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
      );
      inFlight.push(...Messages);
    }
    // Ten are done: deleted before the crash, they must not come back.
    const deleted = inFlight.slice(0, 10);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: deleted.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    const receivedAt = Date.now();

    const exited = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await exited;
    await startProcess(port);

    const counts = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const stillInvisible = Date.now() - receivedAt < VISIBILITY_S * 1000 - 500;
    if (stillInvisible) {
      expect(counts.Attributes).toEqual({
        ApproximateNumberOfMessages: '40',
        ApproximateNumberOfMessagesNotVisible: '50',
      });
    }

    const after: Message[] = [];
    await waitFor(
      async () => {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            VisibilityTimeout: 60,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
        );
        for (const message of Messages) {
          // A message received before the crash is not handed out again before its timeout.
          if (message.Attributes!.ApproximateReceiveCount === '2') {
            expect(Date.now() - receivedAt).toBeGreaterThanOrEqual(VISIBILITY_S * 1000 - 200);
          }
        }
        after.push(...Messages);
        return after.length >= 90 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 0 },
    );
    const got = after.map((m) => m.Body!).sort();
    const expected = bodies.filter((b) => !deleted.some((d) => d.Body === b)).sort();
    expect(got).toEqual(expected);
    const redelivered = after.filter((m) => m.Attributes!.ApproximateReceiveCount === '2');
    expect(redelivered.map((m) => m.Body).sort()).toEqual(
      inFlight
        .slice(10)
        .map((m) => m.Body)
        .sort(),
    );
    sqs.destroy();
  },
);
