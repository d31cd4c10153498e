import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  InvalidParameterException,
  ListTopicsCommand,
  NotFoundException,
  SNSClient,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLogger } from '../../../local-cloud/core/logger';
import { Gateway } from '../../../local-cloud/core/gateway';
import { awsQueryService, xmlMap } from '../../../local-cloud/core/protocols/aws-query';
import { AwsError } from '../../../local-cloud/core/protocols/errors';
import type { LocalService } from '../../../local-cloud/core/service';

/**
 * The AWS Query protocol layer, proven with the official SNS client against a small
 * operation table shaped like SNS's (the real SNS service comes with webhooks): nested members,
 * lists, maps in and out, XML escaping, paging, modelled and validation errors.
 */
const topics = new Map<string, { attributes: Record<string, string>; tags: unknown }>();
const log = createLogger('test', 'silent');
const service: LocalService = {
  name: 'sns-shaped',
  ...awsQueryService({
    name: 'sns-shaped',
    signingName: 'sns',
    version: '2010-03-31',
    xmlNamespace: 'http://sns.amazonaws.com/doc/2010-03-31/',
    validationErrorType: 'InvalidParameter',
    log,
    operations: {
      CreateTopic: {
        required: ['Name'],
        handler: (input) => {
          const arn = `arn:aws:sns:us-east-1:000000000000:${String(input.Name)}`;
          topics.set(arn, {
            attributes: (input.Attributes ?? {}) as Record<string, string>,
            tags: input.Tags ?? [],
          });
          return { TopicArn: arn };
        },
      },
      GetTopicAttributes: {
        required: ['TopicArn'],
        handler: (input) => {
          const topic = topics.get(String(input.TopicArn));
          if (!topic) throw new AwsError('NotFound', 'Topic does not exist', 404);
          return {
            Attributes: xmlMap({
              ...topic.attributes,
              TopicArn: String(input.TopicArn),
              Tags: JSON.stringify(topic.tags),
            }),
          };
        },
      },
      ListTopics: (input) => {
        const all = [...topics.keys()].sort();
        const start = input.NextToken ? Number(input.NextToken) : 0;
        const page = all.slice(start, start + 2);
        return {
          Topics: page.map((TopicArn) => ({ TopicArn })),
          NextToken: start + 2 < all.length ? String(start + 2) : undefined,
        };
      },
    },
  }),
  health: () => ({ ok: true }),
  close: () => {},
};

let gateway: Gateway;
let sns: SNSClient;
let url: string;
beforeAll(async () => {
  gateway = new Gateway(log);
  const port = await gateway.listen(0);
  gateway.register(service);
  gateway.ready = true;
  url = `http://127.0.0.1:${port}`;
  sns = new SNSClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});
afterAll(() => gateway.close());

describe('AWS Query protocol through @aws-sdk/client-sns', () => {
  test('a map and a list of structures go in; the map comes back, escaped text intact', async () => {
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({
        Name: 'orders',
        Attributes: { DisplayName: 'Orders & <returns> "quoted"', SignatureVersion: '2' },
        Tags: [
          { Key: 'team', Value: 'shop' },
          { Key: 'stage', Value: 'local' },
        ],
      }),
    );
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:orders');
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toEqual({
      DisplayName: 'Orders & <returns> "quoted"',
      SignatureVersion: '2',
      TopicArn,
      Tags: JSON.stringify([
        { Key: 'team', Value: 'shop' },
        { Key: 'stage', Value: 'local' },
      ]),
    });
  });

  test('lists come back as lists, with paging', async () => {
    await sns.send(new CreateTopicCommand({ Name: 'payments' }));
    await sns.send(new CreateTopicCommand({ Name: 'shipping' }));
    const first = await sns.send(new ListTopicsCommand({}));
    expect(first.Topics?.map((t) => t.TopicArn?.split(':').pop())).toEqual(['orders', 'payments']);
    const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    expect(second.Topics?.map((t) => t.TopicArn?.split(':').pop())).toEqual(['shipping']);
    expect(second.NextToken).toBeUndefined();
  });

  test('a modelled error reaches the client as its exception class, with its status', async () => {
    const error = await sns
      .send(new GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundException);
    expect((error as NotFoundException).message).toBe('Topic does not exist');
    expect((error as NotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  test('a missing required member is the service’s validation error, naming the member', async () => {
    const error = await sns
      .send(new CreateTopicCommand({} as unknown as { Name: string }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toContain("Value null at 'Name'");
  });

  test('an unknown action and an unsigned call get Query-shaped errors', async () => {
    const signed = { 'content-type': 'application/x-www-form-urlencoded' };
    const unknown = await fetch(url, {
      method: 'POST',
      headers: {
        ...signed,
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20261201/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=' +
          '0'.repeat(64),
      },
      body: 'Action=Frobnicate&Version=2010-03-31',
    });
    expect(unknown.status).toBe(400);
    const text = await unknown.text();
    expect(text).toContain('<Code>InvalidAction</Code>');
    expect(text).toContain('<Type>Sender</Type>');
    // Without a SigV4 credential scope naming `sns`, the request is not this service's at all.
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: signed,
      body: 'Action=ListTopics',
    });
    expect(unsigned.status).toBe(404);
  });
});
