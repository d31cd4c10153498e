import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, expect, test } from 'vitest';
import type { LocalCloud } from '../../../local-cloud';
import { createManualClock } from '../../../local-cloud/core/clock';
import { clientConfig, startTestCloud } from '../../support/local-cloud';

/** A clean stop and start on the same data directory: queues, receive counts and move tasks stay. */
const dataDir = mkdtempSync(path.join(tmpdir(), 'sqs-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

test('in-flight messages, receive counts and a running move task survive a restart', async () => {
  const clock = createManualClock();
  let cloud: LocalCloud = await startTestCloud({ dataDir, clock });
  let sqs = new SQSClient(clientConfig(cloud));
  const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'kept-dlq' }))).QueueUrl!;
  const source = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: 'kept',
        Attributes: {
          VisibilityTimeout: '20',
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: arn('kept-dlq'),
            maxReceiveCount: 5,
          }),
        },
      }),
    )
  ).QueueUrl!;
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: source,
      Entries: ['a', 'b', 'c'].map((body) => ({ Id: body, MessageBody: body })),
    }),
  );
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: dlq,
      Entries: ['x', 'y', 'z'].map((body) => ({ Id: body, MessageBody: body })),
    }),
  );
  expect(
    (await sqs.send(new ReceiveMessageCommand({ QueueUrl: source, MaxNumberOfMessages: 10 })))
      .Messages,
  ).toHaveLength(3);
  await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: arn('kept-dlq'),
      DestinationArn: arn('kept'),
      MaxNumberOfMessagesPerSecond: 1,
    }),
  );
  clock.advance(0);
  await cloud.close();

  cloud = await startTestCloud({ dataDir, clock });
  sqs = new SQSClient(clientConfig(cloud));
  const counts = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: source,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  expect(counts.Attributes).toEqual({
    ApproximateNumberOfMessages: '1',
    ApproximateNumberOfMessagesNotVisible: '3',
  });
  // The task resumes on the new clock's timers: one more message per second.
  clock.advance(0);
  clock.advance(1_000);
  const tasks = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn('kept-dlq') }));
  expect(tasks.Results![0]).toMatchObject({
    Status: 'COMPLETED',
    ApproximateNumberOfMessagesMoved: 3,
  });
  clock.advance(20_000);
  const back = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: source,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );
  expect(
    back.Messages!.map((m) => `${m.Body}:${m.Attributes!.ApproximateReceiveCount}`).sort(),
  ).toEqual(['a:2', 'b:2', 'c:2', 'x:1', 'y:1', 'z:1']);
  await cloud.close();
});
