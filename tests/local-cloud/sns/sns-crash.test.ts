import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import {
  CreateTopicCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, expect, test } from 'vitest';
import { freePort, startCloudProcess } from '../cloud-process';
import { waitFor } from '../helpers';
import { Receiver } from './receiver';

/**
 * A SIGKILL between two attempts of a delivery: after a restart on the same data directory the
 * retry happens on schedule (same message id), the CA a receiver trusts is the same, and the
 * delivery log holds both attempts.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'sns-crash-'));
const dataDir = path.join(work, 'data');
const children: ChildProcess[] = [];
const receiver = new Receiver();

/** Time scale 10: the default 20 s between retries takes 2 s. */
const startProcess = (port: number) =>
  startCloudProcess({
    // An empty local cloud, the same process the SQS crash test uses.
    entry: path.join(here, '..', 'sqs', 'fixtures', 'sqs-cloud.ts'),
    port,
    dataDir,
    children,
    env: { LOCAL_CLOUD_TIME_SCALE: '10' },
  });

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await receiver.close();
  rmSync(work, { recursive: true, force: true });
});

test(
  'SIGKILL mid-retry: the retry resumes on schedule after a restart',
  { timeout: 60_000 },
  async () => {
    await receiver.start();
    const port = await freePort();
    const first = await startProcess(port);
    const ca = readFileSync(path.join(dataDir, 'ca.pem'), 'utf8');
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const sns = new SNSClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'crash' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: receiver.url }));
    const [confirmation] = await receiver.waitFor('SubscriptionConfirmation');
    await fetch(confirmation!.json.SubscribeURL!);

    receiver.respond = () => 500;
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'survive me' }));
    const [failed] = await receiver.waitFor('Notification');
    const failedAt = Date.now();
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    receiver.respond = () => 200;
    await startProcess(port);
    const [, retried] = await receiver.waitFor('Notification', 2, 15_000);
    // The retry came from the stored schedule: about 2 s (20 s scaled) after the failed attempt.
    expect(Date.now() - failedAt).toBeGreaterThanOrEqual(1900);
    expect(retried!.headers['x-amz-sns-message-id']).toBe(MessageId);
    expect(retried!.json).toMatchObject({
      MessageId,
      Message: 'survive me',
      Timestamp: failed!.json.Timestamp,
    });
    expect(retried!.json.Signature).toBe(failed!.json.Signature);
    expect(readFileSync(path.join(dataDir, 'ca.pem'), 'utf8')).toBe(ca);

    const db = new Database(path.join(dataDir, 'local-cloud.db'), { readonly: true });
    try {
      const attempts = await waitFor(() => {
        const rows = db
          .prepare(
            "SELECT attempt, status_code, outcome FROM sns_delivery_log WHERE kind = 'Notification' ORDER BY seq",
          )
          .all();
        return rows.length === 2 ? rows : undefined;
      });
      expect(attempts).toEqual([
        { attempt: 1, status_code: 500, outcome: 'retrying' },
        { attempt: 2, status_code: 200, outcome: 'delivered' },
      ]);
      expect(db.prepare('SELECT COUNT(*) AS n FROM sns_deliveries').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  },
);
