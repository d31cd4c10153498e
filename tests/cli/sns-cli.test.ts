import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, test } from 'vitest';
import { Receiver, receiverForTests } from '../local-cloud/sns/receiver';
import { waitFor } from '../local-cloud/helpers';
import { awsCli, cliAvailable } from '../support/aws-cli';
import { localCloudTest } from '../support/local-cloud';

/**
 * A developer's topic with the AWS CLI (v1 here): create and inspect it, subscribe a queue and
 * a webhook, confirm with the token the webhook received, publish with attributes, list, and
 * the errors the CLI prints.
 */
const t = localCloudTest();
const aws = awsCli(() => t.cloud);
const webhook: Receiver = receiverForTests();

describe.skipIf(!cliAvailable)('a topic with the AWS CLI', () => {
  test('create-topic, subscribe (sqs and http), confirm-subscription, publish, list', async () => {
    const created = await aws(
      'sns',
      'create-topic',
      '--name',
      'cli-orders',
      '--attributes',
      'DisplayName=Orders,SignatureVersion=2',
    );
    expect(created.stderr).toBe('');
    const { TopicArn } = created.json as { TopicArn: string };
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:cli-orders');

    const attributes = await aws('sns', 'get-topic-attributes', '--topic-arn', TopicArn);
    expect((attributes.json as { Attributes: Record<string, string> }).Attributes).toMatchObject({
      TopicArn,
      DisplayName: 'Orders',
      SignatureVersion: '2',
      SubscriptionsConfirmed: '0',
    });

    const sqs = t.client(SQSClient);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'cli-orders-queue' }));
    const queueSub = await aws(
      'sns',
      'subscribe',
      '--topic-arn',
      TopicArn,
      '--protocol',
      'sqs',
      '--notification-endpoint',
      'arn:aws:sqs:us-east-1:000000000000:cli-orders-queue',
      '--attributes',
      '{"RawMessageDelivery":"true","FilterPolicy":"{\\"kind\\":[\\"order\\"]}"}',
    );
    expect(queueSub.json).toEqual({
      SubscriptionArn: expect.stringMatching(new RegExp(`^${TopicArn}:`)),
    });

    const httpSub = await aws(
      'sns',
      'subscribe',
      '--topic-arn',
      TopicArn,
      '--protocol',
      'http',
      '--notification-endpoint',
      webhook.url,
    );
    expect(httpSub.json).toEqual({ SubscriptionArn: 'pending confirmation' });
    const [confirmation] = await webhook.waitFor('SubscriptionConfirmation');
    const confirmed = await aws(
      'sns',
      'confirm-subscription',
      '--topic-arn',
      TopicArn,
      '--token',
      confirmation!.json.Token!,
    );
    const { SubscriptionArn } = confirmed.json as { SubscriptionArn: string };
    expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:`));

    const published = await aws(
      'sns',
      'publish',
      '--topic-arn',
      TopicArn,
      '--message',
      '{"orderId":"o-1"}',
      '--subject',
      'Order',
      '--message-attributes',
      '{"kind":{"DataType":"String","StringValue":"order"},"tags":{"DataType":"String.Array","StringValue":"[\\"vip\\"]"}}',
    );
    const { MessageId } = published.json as { MessageId: string };
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);

    const [notification] = await webhook.waitFor('Notification');
    expect(notification!.json).toMatchObject({
      MessageId,
      Subject: 'Order',
      Message: '{"orderId":"o-1"}',
      SignatureVersion: '2',
      MessageAttributes: {
        kind: { Type: 'String', Value: 'order' },
        tags: { Type: 'String.Array', Value: '["vip"]' },
      },
    });
    const received = await waitFor(async () => {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'] }),
      );
      return Messages?.[0];
    });
    expect(received.Body).toBe('{"orderId":"o-1"}');

    const listed = await aws('sns', 'list-subscriptions-by-topic', '--topic-arn', TopicArn);
    const subscriptions = (
      listed.json as { Subscriptions: { Protocol: string; SubscriptionArn: string }[] }
    ).Subscriptions;
    expect(subscriptions.map((s) => s.Protocol).sort()).toEqual(['http', 'sqs']);
    expect(subscriptions).toContainEqual(expect.objectContaining({ SubscriptionArn }));

    const subAttributes = await aws(
      'sns',
      'get-subscription-attributes',
      '--subscription-arn',
      SubscriptionArn,
    );
    expect((subAttributes.json as { Attributes: Record<string, string> }).Attributes).toMatchObject(
      {
        PendingConfirmation: 'false',
        ConfirmationWasAuthenticated: 'true',
        Endpoint: webhook.url,
      },
    );
    const unsubscribed = await aws('sns', 'unsubscribe', '--subscription-arn', SubscriptionArn);
    expect(unsubscribed.status).toBe(0);
    const topics = await aws('sns', 'list-topics');
    expect((topics.json as { Topics: { TopicArn: string }[] }).Topics).toContainEqual({ TopicArn });
  });

  test('errors: NotFound for a missing topic, InvalidParameter for a remote endpoint', async () => {
    const missing = await aws(
      'sns',
      'get-topic-attributes',
      '--topic-arn',
      'arn:aws:sns:us-east-1:000000000000:no-such-topic',
    );
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('(NotFound)');
    expect(missing.stderr).toContain('Topic does not exist');

    const { TopicArn } = (await aws('sns', 'create-topic', '--name', 'cli-errors')).json as {
      TopicArn: string;
    };
    const remote = await aws(
      'sns',
      'subscribe',
      '--topic-arn',
      TopicArn,
      '--protocol',
      'https',
      '--notification-endpoint',
      'https://hooks.example.com/orders',
    );
    expect(remote.status).not.toBe(0);
    expect(remote.stderr).toContain('(InvalidParameter)');
    expect(remote.stderr).toContain('only to loopback hosts');
  });
});
