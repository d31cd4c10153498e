import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  NotFoundException,
  SetTopicAttributesCommand,
  SNSClient,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { describe, expect, test } from 'vitest';
import { localCloudTest } from '../../support/local-cloud';

/** Topics with the official client: creation (idempotent), attributes, paging, tags, errors. */
const t = localCloudTest();
const sns = () => t.client(SNSClient);

describe('topics', () => {
  test('CreateTopic is idempotent for the same name and attributes, refused for different ones', async () => {
    const first = await sns().send(
      new CreateTopicCommand({
        Name: 'OrderEvents',
        Attributes: { DisplayName: 'Orders', SignatureVersion: '2' },
        Tags: [{ Key: 'team', Value: 'shop' }],
      }),
    );
    expect(first.TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:OrderEvents');
    const again = await sns().send(
      new CreateTopicCommand({ Name: 'OrderEvents', Attributes: { DisplayName: 'Orders' } }),
    );
    expect(again.TopicArn).toBe(first.TopicArn);
    const bare = await sns().send(new CreateTopicCommand({ Name: 'OrderEvents' }));
    expect(bare.TopicArn).toBe(first.TopicArn);
    await expect(
      sns().send(
        new CreateTopicCommand({ Name: 'OrderEvents', Attributes: { DisplayName: 'Other' } }),
      ),
    ).rejects.toThrow(/already exists with different attributes/);
    await expect(
      sns().send(
        new CreateTopicCommand({ Name: 'OrderEvents', Tags: [{ Key: 'team', Value: 'ops' }] }),
      ),
    ).rejects.toThrow(/different tags/);
  });

  test('GetTopicAttributes reports the documented attribute set', async () => {
    const { TopicArn } = await sns().send(new CreateTopicCommand({ Name: 'described' }));
    const { Attributes } = await sns().send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({
      TopicArn,
      Owner: '000000000000',
      DisplayName: '',
      SignatureVersion: '1',
      SubscriptionsConfirmed: '0',
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    });
    const policy = JSON.parse(Attributes!.Policy!) as { Statement: { Resource: string }[] };
    expect(policy.Statement[0]!.Resource).toBe(TopicArn);
    expect(JSON.parse(Attributes!.EffectiveDeliveryPolicy!)).toEqual({
      http: {
        defaultHealthyRetryPolicy: {
          minDelayTarget: 20,
          maxDelayTarget: 20,
          numRetries: 3,
          numNoDelayRetries: 0,
          numMinDelayRetries: 0,
          numMaxDelayRetries: 0,
          backoffFunction: 'linear',
        },
        disableSubscriptionOverrides: false,
        defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
      },
    });
    expect(Attributes!.DeliveryPolicy).toBeUndefined();
  });

  test('SetTopicAttributes: DeliveryPolicy, DisplayName, SignatureVersion, feedback attributes; bad values refused', async () => {
    const { TopicArn } = await sns().send(new CreateTopicCommand({ Name: 'settable' }));
    const set = (AttributeName: string, AttributeValue: string) =>
      sns().send(new SetTopicAttributesCommand({ TopicArn, AttributeName, AttributeValue }));
    const policy = {
      http: {
        defaultHealthyRetryPolicy: {
          minDelayTarget: 5,
          maxDelayTarget: 30,
          numRetries: 6,
          backoffFunction: 'exponential',
        },
        disableSubscriptionOverrides: true,
      },
    };
    await set('DeliveryPolicy', JSON.stringify(policy));
    await set('DisplayName', 'Order events');
    await set('SignatureVersion', '2');
    await set('HTTPSuccessFeedbackSampleRate', '100');
    const { Attributes } = await sns().send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({
      DeliveryPolicy: JSON.stringify(policy),
      DisplayName: 'Order events',
      SignatureVersion: '2',
      HTTPSuccessFeedbackSampleRate: '100',
    });
    expect(JSON.parse(Attributes!.EffectiveDeliveryPolicy!).http).toMatchObject({
      defaultHealthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 30, numRetries: 6 },
      disableSubscriptionOverrides: true,
    });

    for (const [name, value] of [
      ['SignatureVersion', '3'],
      [
        'DeliveryPolicy',
        '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":30,"maxDelayTarget":5}}}',
      ],
      ['DeliveryPolicy', '{"http":{"defaultHealthyRetryPolicy":{"numRetries":101}}}'],
      [
        'DeliveryPolicy',
        '{"http":{"defaultHealthyRetryPolicy":{"numRetries":100,"minDelayTarget":60,"maxDelayTarget":60}}}',
      ],
      ['FifoTopic', 'true'],
      ['NotAnAttribute', 'x'],
    ] as const) {
      await expect(set(name, value), `${name}=${value}`).rejects.toThrow(InvalidParameterException);
    }
  });

  test('ListTopics pages by 100 with NextToken', async () => {
    for (let i = 0; i < 120; i++) {
      await sns().send(new CreateTopicCommand({ Name: `paged-${String(i).padStart(3, '0')}` }));
    }
    const first = await sns().send(new ListTopicsCommand({}));
    expect(first.Topics).toHaveLength(100);
    expect(first.NextToken).toBeDefined();
    const second = await sns().send(new ListTopicsCommand({ NextToken: first.NextToken }));
    expect(second.NextToken).toBeUndefined();
    const all = [...first.Topics!, ...second.Topics!].map((topic) => topic.TopicArn);
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((arn) => arn!.includes(':paged-'))).toHaveLength(120);
  });

  test('names, FIFO topics and missing topics are refused as SNS does; DeleteTopic removes', async () => {
    await expect(sns().send(new CreateTopicCommand({ Name: 'has space' }))).rejects.toThrow(
      InvalidParameterException,
    );
    await expect(
      sns().send(
        new CreateTopicCommand({ Name: 'orders.fifo', Attributes: { FifoTopic: 'true' } }),
      ),
    ).rejects.toThrow(/FIFO topics are not supported/);
    await expect(
      sns().send(new GetTopicAttributesCommand({ TopicArn: 'not-an-arn' })),
    ).rejects.toThrow(InvalidParameterException);
    const { TopicArn } = await sns().send(new CreateTopicCommand({ Name: 'short-lived' }));
    await sns().send(new DeleteTopicCommand({ TopicArn }));
    const error = await sns()
      .send(new GetTopicAttributesCommand({ TopicArn }))
      .catch((e: unknown) => e as NotFoundException);
    expect(error).toBeInstanceOf(NotFoundException);
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  test('tags: TagResource, UntagResource, ListTagsForResource', async () => {
    const { TopicArn } = await sns().send(
      new CreateTopicCommand({ Name: 'tagged', Tags: [{ Key: 'a', Value: '1' }] }),
    );
    await sns().send(
      new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'b', Value: '2' }] }),
    );
    await sns().send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ['a'] }));
    const { Tags } = await sns().send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
    expect(Tags).toEqual([{ Key: 'b', Value: '2' }]);
  });
});
