import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  InvalidParameterException,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  NotFoundException,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { describe, expect, test } from 'vitest';
import { localCloudTest } from '../../support/local-cloud';
import { Receiver, receiverForTests } from './receiver';

/**
 * Subscriptions with the official client: an HTTP endpoint's confirmation handshake (the
 * SubscriptionConfirmation it receives, the SubscribeURL opened with a plain GET), pending and
 * confirmed states, attributes and their checks, listings, unsubscribing.
 */
const t = localCloudTest();
const receiver = receiverForTests();
const sns = () => t.client(SNSClient);

async function topic(name: string) {
  const { TopicArn } = await sns().send(new CreateTopicCommand({ Name: name }));
  return TopicArn!;
}

describe('an HTTP subscription', () => {
  test('gets a signed SubscriptionConfirmation; opening its SubscribeURL confirms it', async () => {
    const TopicArn = await topic('confirm-me');
    const subscribed = await sns().send(
      new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: receiver.url }),
    );
    expect(subscribed.SubscriptionArn).toBe('pending confirmation');

    const [confirmation] = await receiver.waitFor('SubscriptionConfirmation');
    expect(confirmation!.headers).toMatchObject({
      'x-amz-sns-message-type': 'SubscriptionConfirmation',
      'x-amz-sns-topic-arn': TopicArn,
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
    });
    expect(confirmation!.headers['x-amz-sns-message-id']).toBe(confirmation!.json.MessageId);
    const message = confirmation!.json;
    expect(Object.keys(message)).toEqual([
      'Type',
      'MessageId',
      'Token',
      'TopicArn',
      'Message',
      'SubscribeURL',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
    ]);
    expect(message).toMatchObject({
      Type: 'SubscriptionConfirmation',
      TopicArn,
      SignatureVersion: '1',
    });
    expect(message.Message).toContain(`You have chosen to subscribe to the topic ${TopicArn}`);
    expect(message.SigningCertURL).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/.+\.pem$/);
    const subscribeUrl = new URL(message.SubscribeURL!);
    expect(subscribeUrl.origin).toBe(t.cloud.url);
    expect(subscribeUrl.searchParams.get('Token')).toBe(message.Token);

    const pending = await sns().send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(pending.Subscriptions).toEqual([
      expect.objectContaining({ SubscriptionArn: 'PendingConfirmation', Endpoint: receiver.url }),
    ]);
    const counts = await sns().send(new GetTopicAttributesCommand({ TopicArn }));
    expect(counts.Attributes).toMatchObject({
      SubscriptionsPending: '1',
      SubscriptionsConfirmed: '0',
    });

    // The receiver confirms as an SNS sample does: a plain GET of the URL, unsigned.
    const res = await fetch(message.SubscribeURL!);
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain('<ConfirmSubscriptionResponse');
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)?.[1];
    expect(arn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));

    const attributes = await sns().send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }),
    );
    expect(attributes.Attributes).toMatchObject({
      SubscriptionArn: arn,
      TopicArn,
      Protocol: 'http',
      Endpoint: receiver.url,
      Owner: '000000000000',
      PendingConfirmation: 'false',
      ConfirmationWasAuthenticated: 'false',
      RawMessageDelivery: 'false',
    });
    expect(JSON.parse(attributes.Attributes!.EffectiveDeliveryPolicy!)).toMatchObject({
      healthyRetryPolicy: { numRetries: 3, minDelayTarget: 20, maxDelayTarget: 20 },
    });
    const listed = await sns().send(new ListSubscriptionsCommand({}));
    expect(listed.Subscriptions).toContainEqual(expect.objectContaining({ SubscriptionArn: arn }));
  });

  test('ConfirmSubscription with the token (signed) is authenticated; AuthenticateOnUnsubscribe then refuses the unsigned UnsubscribeURL', async () => {
    const own = await new Receiver().start();
    try {
      const TopicArn = await topic('authenticated');
      const { SubscriptionArn } = await sns().send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'http',
          Endpoint: own.url,
          ReturnSubscriptionArn: true,
        }),
      );
      expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:`));
      const pending = await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
      expect(pending.Attributes?.PendingConfirmation).toBe('true');

      const [confirmation] = await own.waitFor('SubscriptionConfirmation');
      await expect(
        sns().send(new ConfirmSubscriptionCommand({ TopicArn, Token: 'not-the-token' })),
      ).rejects.toThrow(InvalidParameterException);
      const confirmed = await sns().send(
        new ConfirmSubscriptionCommand({
          TopicArn,
          Token: confirmation!.json.Token!,
          AuthenticateOnUnsubscribe: 'true',
        }),
      );
      expect(confirmed.SubscriptionArn).toBe(SubscriptionArn);
      const attributes = await sns().send(
        new GetSubscriptionAttributesCommand({ SubscriptionArn }),
      );
      expect(attributes.Attributes?.ConfirmationWasAuthenticated).toBe('true');

      const unsubscribeUrl = `${t.cloud.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(SubscriptionArn!)}`;
      const refused = await fetch(unsubscribeUrl);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('<Code>AuthorizationError</Code>');

      await sns().send(new UnsubscribeCommand({ SubscriptionArn }));
      const [farewell] = await own.waitFor('UnsubscribeConfirmation');
      expect(farewell!.json).toMatchObject({ Type: 'UnsubscribeConfirmation', TopicArn });
      expect(farewell!.headers['x-amz-sns-subscription-arn']).toBe(SubscriptionArn);
      await expect(
        sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn })),
      ).rejects.toThrow(NotFoundException);
      const after = await sns().send(new GetTopicAttributesCommand({ TopicArn }));
      expect(after.Attributes).toMatchObject({
        SubscriptionsDeleted: '1',
        SubscriptionsConfirmed: '0',
      });
    } finally {
      await own.close();
    }
  });

  test('subscribing the same endpoint again returns the same subscription; different attributes are refused', async () => {
    const TopicArn = await topic('again');
    const Endpoint = 'arn:aws:sqs:us-east-1:000000000000:again-queue';
    const first = await sns().send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    expect(first.SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:`));
    const second = await sns().send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    expect(second.SubscriptionArn).toBe(first.SubscriptionArn);
    await expect(
      sns().send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint,
          Attributes: { RawMessageDelivery: 'false' },
        }),
      ),
    ).rejects.toThrow(/already exists with different attributes/);
  });
});

describe('subscription checks', () => {
  test('HTTP/S endpoints must be loopback: the local cloud never calls out', async () => {
    const TopicArn = await topic('offline');
    for (const Endpoint of ['https://partner.example.com/hook', 'http://10.0.0.5/hook']) {
      const error = await sns()
        .send(new SubscribeCommand({ TopicArn, Protocol: Endpoint.split(':')[0], Endpoint }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect((error as Error).message).toMatch(/only to loopback hosts/);
    }
    for (const Endpoint of ['http://localhost:9/hook', 'http://[::1]:9/hook']) {
      const ok = await sns().send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint }));
      expect(ok.SubscriptionArn).toBe('pending confirmation');
    }
  });

  test('protocol, endpoint, attributes and topic are checked', async () => {
    const TopicArn = await topic('checks');
    const Endpoint = 'arn:aws:sqs:us-east-1:000000000000:checks';
    const refuse = (input: ConstructorParameters<typeof SubscribeCommand>[0]) =>
      sns()
        .send(new SubscribeCommand(input))
        .then(
          () => new Error('accepted'),
          (e: unknown) => e as Error,
        );
    expect(await refuse({ TopicArn, Protocol: 'carrier-pigeon', Endpoint })).toBeInstanceOf(
      InvalidParameterException,
    );
    expect(
      (await refuse({ TopicArn, Protocol: 'http', Endpoint: 'https://127.0.0.1/x' })).message,
    ).toMatch(/Endpoint must match the specified protocol/);
    expect((await refuse({ TopicArn, Protocol: 'sqs', Endpoint: 'not-an-arn' })).message).toMatch(
      /SQS endpoint ARN/,
    );
    expect(
      (
        await refuse({
          TopicArn,
          Protocol: 'sqs',
          Endpoint,
          Attributes: { FilterPolicy: '{"a": "b"}' },
        })
      ).message,
    ).toMatch(/FilterPolicy/);
    expect(
      (await refuse({ TopicArn, Protocol: 'sqs', Endpoint, Attributes: { DeliveryPolicy: '{}' } }))
        .message,
    ).toMatch(/does not support delivery policies/);
    expect(
      (
        await refuse({
          TopicArn,
          Protocol: 'sqs',
          Endpoint,
          Attributes: { RedrivePolicy: '{"deadLetterTargetArn":"x"}' },
        })
      ).message,
    ).toMatch(/deadLetterTargetArn/);
    expect(
      await refuse({ TopicArn: `${TopicArn}-missing`, Protocol: 'sqs', Endpoint }),
    ).toBeInstanceOf(NotFoundException);
  });

  test('SetSubscriptionAttributes sets, checks and clears attributes', async () => {
    const TopicArn = await topic('set-attributes');
    const { SubscriptionArn } = await sns().send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: 'arn:aws:sqs:us-east-1:000000000000:set-attributes',
      }),
    );
    const set = (AttributeName: string, AttributeValue: string) =>
      sns().send(
        new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }),
      );
    await set('FilterPolicy', '{"kind":["order"]}');
    await set('FilterPolicyScope', 'MessageBody');
    await set('RawMessageDelivery', 'true');
    const { Attributes } = await sns().send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn }),
    );
    expect(Attributes).toMatchObject({
      FilterPolicy: '{"kind":["order"]}',
      FilterPolicyScope: 'MessageBody',
      RawMessageDelivery: 'true',
    });
    await expect(set('RawMessageDelivery', 'maybe')).rejects.toThrow(InvalidParameterException);
    await expect(set('Colour', 'blue')).rejects.toThrow(InvalidParameterException);
    await set('FilterPolicy', '');
    const cleared = await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    expect(cleared.Attributes?.FilterPolicy).toBeUndefined();
    await expect(
      sns().send(
        new GetSubscriptionAttributesCommand({
          SubscriptionArn: `${TopicArn}:00000000-0000-0000-0000-000000000000`,
        }),
      ),
    ).rejects.toThrow(NotFoundException);
  });
});
