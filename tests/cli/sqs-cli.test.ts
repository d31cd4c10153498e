import { describe, expect, test } from 'vitest';
import { awsCli, cliAvailable } from '../support/aws-cli';
import { localCloudTest } from '../support/local-cloud';

/** A developer's queue with the AWS CLI: create, send, receive, delete, inspect, and an error. */
const t = localCloudTest();
const aws = awsCli(() => t.cloud);

describe.skipIf(!cliAvailable)('a queue with the AWS CLI', () => {
  test('create-queue, send-message, receive-message, delete-message, get-queue-attributes', async () => {
    const created = await aws(
      'sqs',
      'create-queue',
      '--queue-name',
      'cli-orders',
      '--attributes',
      'VisibilityTimeout=45',
    );
    expect(created.stderr).toBe('');
    const { QueueUrl } = created.json as { QueueUrl: string };
    expect(QueueUrl).toBe(`${t.cloud.url}/000000000000/cli-orders`);

    const sent = await aws(
      'sqs',
      'send-message',
      '--queue-url',
      QueueUrl,
      '--message-body',
      '{"orderId":"o-1"}',
      '--message-attributes',
      'kind={DataType=String,StringValue=order}',
    );
    expect(sent.json).toMatchObject({
      MessageId: expect.any(String),
      MD5OfMessageBody: expect.any(String),
      MD5OfMessageAttributes: expect.any(String),
    });

    const received = await aws(
      'sqs',
      'receive-message',
      '--queue-url',
      QueueUrl,
      '--message-attribute-names',
      'All',
      '--attribute-names',
      'ApproximateReceiveCount',
    );
    const [message] = (
      received.json as {
        Messages: {
          Body: string;
          ReceiptHandle: string;
          Attributes: Record<string, string>;
          MessageAttributes: Record<string, unknown>;
        }[];
      }
    ).Messages;
    expect(message).toMatchObject({
      Body: '{"orderId":"o-1"}',
      Attributes: { ApproximateReceiveCount: '1' },
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } },
    });

    const attributes = await aws(
      'sqs',
      'get-queue-attributes',
      '--queue-url',
      QueueUrl,
      '--attribute-names',
      'All',
    );
    expect((attributes.json as { Attributes: Record<string, string> }).Attributes).toMatchObject({
      VisibilityTimeout: '45',
      ApproximateNumberOfMessagesNotVisible: '1',
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:cli-orders',
    });

    const deleted = await aws(
      'sqs',
      'delete-message',
      '--queue-url',
      QueueUrl,
      '--receipt-handle',
      message!.ReceiptHandle,
    );
    expect(deleted.status).toBe(0);
    const after = await aws(
      'sqs',
      'get-queue-attributes',
      '--queue-url',
      QueueUrl,
      '--attribute-names',
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
    );
    expect((after.json as { Attributes: Record<string, string> }).Attributes).toEqual({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  test('an unknown queue is AWS.SimpleQueueService.NonExistentQueue', async () => {
    const result = await aws('sqs', 'get-queue-url', '--queue-name', 'no-such-queue');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('AWS.SimpleQueueService.NonExistentQueue');
    expect(result.stderr).toContain('The specified queue does not exist.');
  });
});
