import path from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTables, readAssembly, type LocalTable } from '../../../local-cloud/backend';
import type { LocalCloud } from '../../../local-cloud';
import { CACHE_DIR } from '../../support/global-setup';
import { clientConfig, startTestCloud } from '../../support/local-cloud';

/** Two of the backend's tables exactly as the synthesized templates define them. */
const TABLES: LocalTable[] = readAssembly(path.join(CACHE_DIR, 'assembly')).tables.filter(
  (table) => table.name === 'Orders' || table.name === 'Idempotency',
);

let cloud: LocalCloud;
let client: DynamoDBClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  client = new DynamoDBClient(clientConfig(cloud));
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
    const declared = TABLES.find((t) => t.name === 'Orders')!.createTable.GlobalSecondaryIndexes;
    expect(declared?.length).toBeGreaterThan(0);
    expect(orders.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      declared?.map((i) => i.IndexName).sort(),
    );
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
  const limited = new DynamoDBClient(clientConfig(cloud));
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
