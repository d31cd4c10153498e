import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  InvalidAttributeName,
  InvalidAttributeValue,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  PurgeQueueInProgress,
  QueueDoesNotExist,
  QueueNameExists,
  SetQueueAttributesCommand,
  SQSClient,
  SQSServiceException,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, test } from 'vitest';
import { localCloudTest } from '../../support/local-cloud';

/** The queue API with the official client, as a developer or a deployment calls it. */
const t = localCloudTest();
const sqs = () => t.client(SQSClient);
const create = (QueueName: string, Attributes?: Record<string, string>) =>
  sqs().send(new CreateQueueCommand({ QueueName, Attributes }));

describe('CreateQueue, GetQueueUrl, ListQueues, DeleteQueue', () => {
  test('a queue gets a URL on the local cloud and an ARN in its account', async () => {
    const { QueueUrl } = await create('orders');
    expect(QueueUrl).toBe(`${t.cloud.url}/000000000000/orders`);
    expect(await sqs().send(new GetQueueUrlCommand({ QueueName: 'orders' }))).toMatchObject({
      QueueUrl,
    });
    const { Attributes } = await sqs().send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    expect(Attributes).toEqual({ QueueArn: 'arn:aws:sqs:us-east-1:000000000000:orders' });
    expect(t.cloud.services.sqs.health()).toMatchObject({ ok: true });
  });

  test('is idempotent with the same attributes; differing ones are QueueNameExists', async () => {
    const first = await create('idem', { VisibilityTimeout: '45' });
    expect(await create('idem', { VisibilityTimeout: '45' })).toMatchObject({
      QueueUrl: first.QueueUrl,
    });
    expect(await create('idem')).toMatchObject({ QueueUrl: first.QueueUrl });
    const error = await create('idem', { VisibilityTimeout: '46' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueNameExists);
    expect((error as QueueNameExists).name).toBe('QueueNameExists');
  });

  test('names: 80 characters of [A-Za-z0-9_-], .fifo only with FifoQueue', async () => {
    await expect(create('a'.repeat(80))).resolves.toBeDefined();
    for (const bad of ['a'.repeat(81), 'has space', 'dot.name']) {
      await expect(create(bad)).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    }
    await expect(create('plain.fifo')).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(create('nofifo', { FifoQueue: 'true' })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    await expect(create('ok.fifo', { FifoQueue: 'true' })).resolves.toBeDefined();
  });

  test('an unknown queue is QueueDoesNotExist (AWS.SimpleQueueService.NonExistentQueue)', async () => {
    const error = await sqs()
      .send(new GetQueueUrlCommand({ QueueName: 'nope' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect(error).toMatchObject({
      name: 'QueueDoesNotExist',
      Code: 'AWS.SimpleQueueService.NonExistentQueue',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      sqs().send(new GetQueueAttributesCommand({ QueueUrl: `${t.cloud.url}/000000000000/nope` })),
    ).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  test('ListQueues filters by prefix and pages with MaxResults/NextToken', async () => {
    for (const name of ['list-a', 'list-b', 'list-c']) await create(name);
    const all = await sqs().send(new ListQueuesCommand({ QueueNamePrefix: 'list-' }));
    expect(all.QueueUrls?.map((u) => u.split('/').pop())).toEqual(['list-a', 'list-b', 'list-c']);
    expect(all.NextToken).toBeUndefined();
    const first = await sqs().send(
      new ListQueuesCommand({ QueueNamePrefix: 'list-', MaxResults: 2 }),
    );
    expect(first.QueueUrls).toHaveLength(2);
    const second = await sqs().send(
      new ListQueuesCommand({
        QueueNamePrefix: 'list-',
        MaxResults: 2,
        NextToken: first.NextToken,
      }),
    );
    expect(second.QueueUrls?.map((u) => u.split('/').pop())).toEqual(['list-c']);
    expect(second.NextToken).toBeUndefined();
    expect(
      (await sqs().send(new ListQueuesCommand({ QueueNamePrefix: 'zzz' }))).QueueUrls ?? [],
    ).toEqual([]);
  });

  test('DeleteQueue removes it', async () => {
    const { QueueUrl } = await create('short-lived');
    await sqs().send(new DeleteQueueCommand({ QueueUrl }));
    await expect(
      sqs().send(new GetQueueUrlCommand({ QueueName: 'short-lived' })),
    ).rejects.toBeInstanceOf(QueueDoesNotExist);
    await expect(sqs().send(new DeleteQueueCommand({ QueueUrl }))).rejects.toBeInstanceOf(
      QueueDoesNotExist,
    );
  });
});

describe('GetQueueAttributes and SetQueueAttributes', () => {
  test('All: defaults, counters, timestamps', async () => {
    const { QueueUrl } = await create('attrs');
    const { Attributes } = await sqs().send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      DelaySeconds: '0',
      MaximumMessageSize: '262144',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      VisibilityTimeout: '30',
      SqsManagedSseEnabled: 'true',
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:attrs',
    });
    expect(Number(Attributes!.CreatedTimestamp)).toBeCloseTo(Date.now() / 1000, -2);
    expect(Attributes!.LastModifiedTimestamp).toBeDefined();
    expect(Attributes!.FifoQueue).toBeUndefined();
    const named = await sqs().send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(named.Attributes).toEqual({ VisibilityTimeout: '30' });
  });

  test('FIFO queues report FifoQueue and ContentBasedDeduplication', async () => {
    const { QueueUrl } = await create('attrs.fifo', {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
    });
    const { Attributes } = await sqs().send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({ FifoQueue: 'true', ContentBasedDeduplication: 'true' });
  });

  test('values are range-checked: InvalidAttributeValue; unknown names: InvalidAttributeName', async () => {
    const { QueueUrl } = await create('ranges');
    const set = (Attributes: Record<string, string>) =>
      sqs().send(new SetQueueAttributesCommand({ QueueUrl, Attributes }));
    for (const [name, value] of [
      ['VisibilityTimeout', '43201'],
      ['VisibilityTimeout', '-1'],
      ['MessageRetentionPeriod', '59'],
      ['MessageRetentionPeriod', '1209601'],
      ['MaximumMessageSize', '1023'],
      ['MaximumMessageSize', '1048577'],
      ['DelaySeconds', '901'],
      ['ReceiveMessageWaitTimeSeconds', '21'],
      ['VisibilityTimeout', 'soon'],
      ['RedrivePolicy', 'not json'],
      ['RedrivePolicy', '{"maxReceiveCount":3}'],
    ]) {
      await expect(set({ [name!]: value! }), `${name}=${value}`).rejects.toBeInstanceOf(
        InvalidAttributeValue,
      );
    }
    await expect(set({ Colour: 'blue' })).rejects.toBeInstanceOf(InvalidAttributeName);
    await expect(set({ ContentBasedDeduplication: 'true' })).rejects.toBeInstanceOf(
      InvalidAttributeName,
    );
    await expect(create('bad-create', { VisibilityTimeout: '99999' })).rejects.toBeInstanceOf(
      InvalidAttributeValue,
    );
    await expect(
      sqs().send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Colour' as 'All'] })),
    ).rejects.toBeInstanceOf(InvalidAttributeName);

    await set({ VisibilityTimeout: '43200', DelaySeconds: '900', MaximumMessageSize: '1048576' });
    const { Attributes } = await sqs().send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['VisibilityTimeout', 'DelaySeconds', 'MaximumMessageSize'],
      }),
    );
    expect(Attributes).toEqual({
      VisibilityTimeout: '43200',
      DelaySeconds: '900',
      MaximumMessageSize: '1048576',
    });
  });

  test('RedrivePolicy names an existing DLQ; ListDeadLetterSourceQueues finds its sources', async () => {
    const dlq = await create('dlq-for-list');
    const dlqArn = 'arn:aws:sqs:us-east-1:000000000000:dlq-for-list';
    const source = await create('source-for-list', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '3' }),
    });
    const { Attributes } = await sqs().send(
      new GetQueueAttributesCommand({
        QueueUrl: source.QueueUrl,
        AttributeNames: ['RedrivePolicy'],
      }),
    );
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: dlqArn,
      maxReceiveCount: 3,
    });
    const sources = await sqs().send(
      new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.QueueUrl }),
    );
    expect(sources.queueUrls).toEqual([source.QueueUrl]);
    await expect(
      sqs().send(
        new SetQueueAttributesCommand({
          QueueUrl: source.QueueUrl,
          Attributes: {
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:missing',
              maxReceiveCount: 3,
            }),
          },
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidAttributeValue);
    // An empty RedrivePolicy removes it.
    await sqs().send(
      new SetQueueAttributesCommand({
        QueueUrl: source.QueueUrl,
        Attributes: { RedrivePolicy: '' },
      }),
    );
    expect(
      (await sqs().send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.QueueUrl })))
        .queueUrls,
    ).toEqual([]);
  });
});

describe('tags and purge', () => {
  test('TagQueue, UntagQueue, ListQueueTags', async () => {
    const { QueueUrl } = await sqs().send(
      new CreateQueueCommand({ QueueName: 'tagged', tags: { team: 'orders' } }),
    );
    await sqs().send(new TagQueueCommand({ QueueUrl, Tags: { env: 'local' } }));
    expect((await sqs().send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({
      team: 'orders',
      env: 'local',
    });
    await sqs().send(new UntagQueueCommand({ QueueUrl, TagKeys: ['team'] }));
    expect((await sqs().send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({
      env: 'local',
    });
  });

  test('PurgeQueue once per 60 seconds', async () => {
    const { QueueUrl } = await create('purged');
    await sqs().send(new PurgeQueueCommand({ QueueUrl }));
    const error = await sqs()
      .send(new PurgeQueueCommand({ QueueUrl }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PurgeQueueInProgress);
    expect((error as SQSServiceException).$metadata.httpStatusCode).toBe(403);
  });

  test('a request without a required member is MissingParameter', async () => {
    await expect(
      sqs().send(new GetQueueUrlCommand({} as { QueueName: string })),
    ).rejects.toMatchObject({ name: 'MissingParameter' });
  });
});
