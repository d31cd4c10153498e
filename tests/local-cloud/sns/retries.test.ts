import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  CreateTopicCommand,
  PublishCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createManualClock } from '../../../local-cloud/core/clock';
import { retryDelaySeconds, type RetryPolicy } from '../../../local-cloud/sns/delivery-policy';
import { localCloudTest } from '../../support/local-cloud';
import { waitFor } from '../helpers';
import { Receiver } from './receiver';

/**
 * Delivery policies, retries, dead-letter queues and the delivery log, on a manual clock: the
 * test moves time, the endpoints answer for real. What SNS retries: no answer, 5xx, a timeout;
 * 2xx and 4xx are deliveries.
 */
const clock = createManualClock(Date.UTC(2026, 11, 2, 6, 0, 0));
const t = localCloudTest({ clock, sns: { endpointTimeoutMs: 300 } });
const sns = () => t.client(SNSClient);
const receiver = new Receiver();
beforeAll(() => receiver.start().then(() => undefined));
afterAll(() => receiver.close());

/** Waits for `probe`, letting due timers (delay 0) fire on the manual clock meanwhile. */
const settle = <T>(probe: () => T | undefined) =>
  waitFor(() => {
    clock.advance(0);
    return probe();
  });

/** The notification attempts to one subscription (its confirmation is logged too, left out here). */
const log = (subscriptionArn: string) =>
  t.cloud.services.sns
    .deliveries({ subscriptionArn })
    .filter((entry) => entry.notification.type === 'Notification');

/** A topic whose HTTP subscription to `endpoint` is confirmed; `respond` is set afterwards. */
async function subscribed(name: string, endpoint: Receiver, attributes?: Record<string, string>) {
  const { TopicArn } = await sns().send(new CreateTopicCommand({ Name: name }));
  endpoint.respond = () => 200;
  const { SubscriptionArn } = await sns().send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'http',
      Endpoint: `${endpoint.url}?topic=${name}`,
      Attributes: attributes,
      ReturnSubscriptionArn: true,
    }),
  );
  const confirmation = await settle(() =>
    endpoint.ofType('SubscriptionConfirmation').find((r) => r.json.TopicArn === TopicArn),
  );
  await fetch(confirmation.json.SubscribeURL!);
  return { TopicArn: TopicArn!, SubscriptionArn: SubscriptionArn! };
}

const attemptsOf = (messageId: string) =>
  receiver.requests.filter((r) => r.headers['x-amz-sns-message-id'] === messageId);

describe('the default HTTP/S policy', () => {
  test('5xx: three retries 20 s apart, the same message id each time, then dropped', async () => {
    const { TopicArn, SubscriptionArn } = await subscribed('default-policy', receiver);
    receiver.respond = () => 500;
    const { MessageId } = await sns().send(new PublishCommand({ TopicArn, Message: 'retry me' }));
    const published = clock.now();
    await settle(() => (log(SubscriptionArn).length === 1 ? true : undefined));
    for (let retry = 1; retry <= 3; retry++) {
      clock.advance(19_999);
      expect(attemptsOf(MessageId!)).toHaveLength(retry);
      clock.advance(1);
      await settle(() => (log(SubscriptionArn).length === retry + 1 ? true : undefined));
    }
    clock.advance(60_000);
    expect(attemptsOf(MessageId!)).toHaveLength(4);
    const entries = log(SubscriptionArn);
    expect(entries.map((e) => [e.delivery.attempts, e.delivery.statusCode, e.outcome])).toEqual([
      [1, 500, 'retrying'],
      [2, 500, 'retrying'],
      [3, 500, 'retrying'],
      [4, 500, 'dropped'],
    ]);
    expect(
      entries.slice(0, 3).map((e) => Date.parse(e.delivery.nextAttemptAt!) - published),
    ).toEqual([20_000, 40_000, 60_000]);
    expect(entries[3]).toEqual({
      notification: {
        messageId: MessageId,
        topicArn: TopicArn,
        timestamp: new Date(published).toISOString().replace('T', ' ').replace('Z', ''),
        messageMD5Sum: expect.stringMatching(/^[0-9a-f]{32}$/),
        type: 'Notification',
      },
      delivery: {
        deliveryId: entries[0]!.delivery.deliveryId,
        destination: `${receiver.url}?topic=default-policy`,
        protocol: 'http',
        subscriptionArn: SubscriptionArn,
        attempts: 4,
        statusCode: 500,
        providerResponse: 'HTTP 500',
        dwellTimeMs: 60_000,
        latencyMs: expect.any(Number),
        attemptedAt: new Date(published + 60_000).toISOString(),
      },
      status: 'FAILURE',
      outcome: 'dropped',
    });
  });

  test('2xx and 4xx are deliveries: nothing is retried', async () => {
    const { TopicArn, SubscriptionArn } = await subscribed('four-oh-four', receiver);
    for (const status of [204, 404, 429]) {
      receiver.respond = () => status;
      const { MessageId } = await sns().send(
        new PublishCommand({ TopicArn, Message: `answered ${status}` }),
      );
      const [entry] = await settle(() => {
        const found = t.cloud.services.sns.deliveries({ messageId: MessageId });
        return found.length > 0 ? found : undefined;
      });
      expect(entry).toMatchObject({
        status: 'SUCCESS',
        outcome: 'delivered',
        delivery: { statusCode: status, attempts: 1, subscriptionArn: SubscriptionArn },
      });
      clock.advance(120_000);
      expect(attemptsOf(MessageId!)).toHaveLength(1);
    }
  });

  test('no answer within the endpoint timeout and refused connections are retried', async () => {
    const { TopicArn, SubscriptionArn } = await subscribed('hanging', receiver);
    // The first attempt gets no answer at all; the retry is answered.
    let hung = false;
    receiver.respond = () => {
      if (hung) return 200;
      hung = true;
      return 'hang';
    };
    const { MessageId } = await sns().send(new PublishCommand({ TopicArn, Message: 'slow' }));
    const [first] = await settle(() => {
      const found = log(SubscriptionArn).filter((e) => e.notification.messageId === MessageId);
      return found.length > 0 ? found : undefined;
    });
    expect(first).toMatchObject({
      outcome: 'retrying',
      delivery: { providerResponse: 'No response within 300 ms' },
    });
    clock.advance(20_000);
    const done = await settle(() =>
      log(SubscriptionArn).find(
        (e) => e.notification.messageId === MessageId && e.outcome === 'delivered',
      ),
    );
    expect(done.delivery.attempts).toBe(2);

    const gone = await new Receiver().start();
    const closed = await subscribed('refused', gone);
    await gone.close();
    await sns().send(new PublishCommand({ TopicArn: closed.TopicArn, Message: 'nobody home' }));
    const [refused] = await settle(() => {
      const found = log(closed.SubscriptionArn);
      return found.length > 0 ? found : undefined;
    });
    expect(refused).toMatchObject({
      outcome: 'retrying',
      delivery: { providerResponse: expect.stringMatching(/ECONNREFUSED/) },
    });
    expect(refused!.delivery.statusCode).toBeUndefined();
  });
});

describe('custom delivery policies', () => {
  const policy: RetryPolicy = {
    minDelayTarget: 2,
    maxDelayTarget: 10,
    numRetries: 5,
    numNoDelayRetries: 1,
    numMinDelayRetries: 1,
    numMaxDelayRetries: 1,
    backoffFunction: 'linear',
  };
  /** The schedule the policy describes: immediate, min, backoff from min to max, max. */
  const expectedDelays = [0, 2, 6, 10, 10];

  test('the phases of a subscription policy (immediate, pre-backoff, backoff, post-backoff)', async () => {
    expect(Array.from({ length: 5 }, (_, i) => retryDelaySeconds(policy, i + 1))).toEqual(
      expectedDelays,
    );
    const { TopicArn, SubscriptionArn } = await subscribed('custom-policy', receiver, {
      DeliveryPolicy: JSON.stringify({
        healthyRetryPolicy: policy,
        throttlePolicy: { maxReceivesPerSecond: 5 },
      }),
    });
    receiver.respond = () => 503;
    await sns().send(new PublishCommand({ TopicArn, Message: 'custom' }));
    for (const [i, delay] of expectedDelays.entries()) {
      await settle(() => (log(SubscriptionArn).length === i + 1 ? true : undefined));
      clock.advance(delay * 1000);
    }
    await settle(() => (log(SubscriptionArn).length === 6 ? true : undefined));
    const entries = log(SubscriptionArn);
    const times = entries.map((e) => Date.parse(e.delivery.attemptedAt));
    expect(times.slice(1).map((time, i) => (time - times[i]!) / 1000)).toEqual(expectedDelays);
    expect(entries.at(-1)!.outcome).toBe('dropped');
  });

  test('a topic policy applies to subscriptions without one, and overrides them when it disables overrides', async () => {
    const { TopicArn, SubscriptionArn } = await subscribed('topic-policy', receiver, {
      DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { ...policy, numRetries: 5 } }),
    });
    await sns().send(
      new SetTopicAttributesCommand({
        TopicArn,
        AttributeName: 'DeliveryPolicy',
        AttributeValue: JSON.stringify({
          http: {
            defaultHealthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 1, numRetries: 1 },
            disableSubscriptionOverrides: true,
          },
        }),
      }),
    );
    receiver.respond = () => 500;
    await sns().send(new PublishCommand({ TopicArn, Message: 'topic wins' }));
    await settle(() => (log(SubscriptionArn).length === 1 ? true : undefined));
    clock.advance(1000);
    await settle(() => (log(SubscriptionArn).length === 2 ? true : undefined));
    expect(log(SubscriptionArn).map((e) => e.outcome)).toEqual(['retrying', 'dropped']);
  });
});

describe('dead-letter queues', () => {
  test('after the last retry the message goes to the RedrivePolicy queue, as SNS would send it to SQS', async () => {
    const sqs = t.client(SQSClient);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'webhook-dlq' }));
    const { TopicArn, SubscriptionArn } = await subscribed('with-dlq', receiver, {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:webhook-dlq',
      }),
    });
    receiver.respond = () => 502;
    const { MessageId } = await sns().send(
      new PublishCommand({
        TopicArn,
        Message: 'undeliverable',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'order.created' } },
      }),
    );
    for (let i = 1; i <= 3; i++) {
      await settle(() => (log(SubscriptionArn).length === i ? true : undefined));
      clock.advance(20_000);
    }
    await settle(() => (log(SubscriptionArn).length === 4 ? true : undefined));
    expect(log(SubscriptionArn).at(-1)).toMatchObject({
      outcome: 'dead-lettered',
      status: 'FAILURE',
    });
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(Messages).toHaveLength(1);
    expect(JSON.parse(Messages[0]!.Body!)).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn,
      Message: 'undeliverable',
      MessageAttributes: { kind: { Type: 'String', Value: 'order.created' } },
    });
  });
});
