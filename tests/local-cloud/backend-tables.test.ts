import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTables, type LocalTable } from '../../local-cloud/backend';
import { startLocalCloud, type LocalCloud } from '../../local-cloud/core/start';
import { dynamoDbService } from '../../local-cloud/dynamodb';

const REGION = 'us-east-1';

/** The shapes `readAssembly` yields for this backend (see backend.test.ts for the real ones). */
const TABLES: LocalTable[] = [
  {
    name: 'Orders',
    createTable: {
      TableName: 'Orders',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'orderId', AttributeType: 'S' },
        { AttributeName: 'ownerSub', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byOwner',
          KeySchema: [
            { AttributeName: 'ownerSub', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    },
  },
  {
    name: 'Idempotency',
    createTable: {
      TableName: 'Idempotency',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'key', AttributeType: 'S' }],
    },
    timeToLiveAttribute: 'expiresAt',
  },
];

let cloud: LocalCloud;
let client: DynamoDBClient;

beforeAll(async () => {
  cloud = await startLocalCloud({
    port: 0,
    dataDir: ':memory:',
    region: REGION,
    logLevel: 'silent',
    services: [dynamoDbService()],
  });
  client = new DynamoDBClient({
    endpoint: cloud.url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client?.destroy();
  await cloud?.close();
});

describe('createTables against the local DynamoDB', () => {
  test('creates the tables with their indexes and enables TTL', async () => {
    const warnings: string[] = [];
    const result = await createTables(client, TABLES, (w) => warnings.push(w));
    expect(result).toEqual({
      created: ['Orders', 'Idempotency'],
      existing: [],
      ttlEnabled: ['Idempotency'],
    });
    const orders = await client.send(new DescribeTableCommand({ TableName: 'Orders' }));
    expect(orders.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byOwner']);
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: 'Idempotency' }));
    expect(warnings).toEqual([]);
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    });
  });

  test('is idempotent: a second run keeps existing tables and their items', async () => {
    await client.send(new PutItemCommand({ TableName: 'Orders', Item: { orderId: { S: 'o-1' } } }));
    const result = await createTables(client, TABLES, () => {});
    expect(result.created).toEqual([]);
    expect(result.existing).toEqual(['Orders', 'Idempotency']);
    const item = await client.send(
      new GetItemCommand({ TableName: 'Orders', Key: { orderId: { S: 'o-1' } } }),
    );
    expect(item.Item?.orderId?.S).toBe('o-1');
  });
});

test('an endpoint without UpdateTimeToLive gets a warning, not a failure', async () => {
  const limited = new DynamoDBClient({
    endpoint: cloud.url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  // Stands in for an older endpoint: the operation is refused the way DynamoDB refuses one.
  limited.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'UpdateTimeToLiveCommand') {
        throw Object.assign(new Error('Unknown operation'), { name: 'UnknownOperationException' });
      }
      return next(args);
    },
    { step: 'initialize' },
  );
  const warnings: string[] = [];
  const sessions: LocalTable = {
    name: 'Sessions',
    createTable: {
      TableName: 'Sessions',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    },
    timeToLiveAttribute: 'ttl',
  };
  const result = await createTables(limited, [sessions], (w) => warnings.push(w));
  expect(result).toEqual({ created: ['Sessions'], existing: [], ttlEnabled: [] });
  expect(warnings).toEqual([expect.stringMatching(/Sessions\.ttl items will not expire/)]);
  limited.destroy();
});
