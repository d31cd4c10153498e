import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  TransactionCanceledException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createClock, type LocalCloud } from '../../../local-cloud';
import { REGION, startTestCloud } from '../../support/local-cloud';

function startDynamoCloud(options: { dataDir?: string; timeScale?: number } = {}) {
  return startTestCloud({
    dataDir: options.dataDir ?? ':memory:',
    clock: createClock(options.timeScale ?? 1),
  });
}

function clients(url: string) {
  const client = new DynamoDBClient({
    endpoint: url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return { client, docs: DynamoDBDocumentClient.from(client) };
}

/** The app's tables in miniature: orders with a GSI by customer, inventory by sku. */
async function createTables(client: DynamoDBClient) {
  await client.send(
    new CreateTableCommand({
      TableName: 'Orders',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'orderId', AttributeType: 'S' },
        { AttributeName: 'customerId', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byCustomer',
          KeySchema: [
            { AttributeName: 'customerId', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  for (const [TableName, key] of [
    ['Inventory', 'sku'],
    ['Idempotency', 'key'],
  ] as const) {
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      }),
    );
  }
  for (const TableName of ['Orders', 'Inventory', 'Idempotency']) {
    await waitUntilTableExists(
      { client, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.1 },
      { TableName },
    );
  }
}

/** The reserve-inventory transaction of the workflow: mark the order, decrement stock. */
function reserve(orderId: string, sku: string, quantity: number) {
  return new TransactWriteCommand({
    TransactItems: [
      {
        Update: {
          TableName: 'Orders',
          Key: { orderId },
          UpdateExpression: 'SET reserved = :q',
          ConditionExpression: 'attribute_not_exists(reserved)',
          ExpressionAttributeValues: { ':q': quantity },
        },
      },
      {
        Update: {
          TableName: 'Inventory',
          Key: { sku },
          UpdateExpression: 'SET available = available - :q',
          ConditionExpression: 'attribute_exists(available) AND available >= :q',
          ExpressionAttributeValues: { ':q': quantity },
        },
      },
    ],
  });
}

const stockOf = async (docs: DynamoDBDocumentClient, sku: string) =>
  (await docs.send(new GetCommand({ TableName: 'Inventory', Key: { sku }, ConsistentRead: true })))
    .Item?.available as number | undefined;

describe('DynamoDB stand-in (in memory)', () => {
  let cloud: LocalCloud;
  let client: DynamoDBClient;
  let docs: DynamoDBDocumentClient;

  beforeAll(async () => {
    cloud = await startDynamoCloud();
    ({ client, docs } = clients(cloud.url));
    await createTables(client);
  });
  afterAll(async () => {
    client?.destroy();
    await cloud?.close();
  });

  test('a table with a GSI and on-demand billing is described as created', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'Orders' }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byCustomer']);
    expect(Table?.TableArn).toBe(`arn:aws:dynamodb:${REGION}:000000000000:table/Orders`);
    const health = (await (await fetch(`${cloud.url}/_local/health`)).json()) as {
      services: Record<string, { ok: boolean; detail: string }>;
    };
    expect(health.services.dynamodb).toEqual({ ok: true, detail: 'dynalite in memory' });
  });

  test('put, get and query (table and GSI)', async () => {
    for (const [orderId, createdAt] of [
      ['o-2', '2024-01-02'],
      ['o-1', '2024-01-01'],
      ['o-3', '2024-01-03'],
    ]) {
      await docs.send(
        new PutCommand({
          TableName: 'Orders',
          Item: { orderId, customerId: 'alice', createdAt, total: 5 },
        }),
      );
    }
    await docs.send(
      new PutCommand({
        TableName: 'Orders',
        Item: { orderId: 'o-9', customerId: 'bob', createdAt: '2024-01-01' },
      }),
    );
    const got = await docs.send(new GetCommand({ TableName: 'Orders', Key: { orderId: 'o-2' } }));
    expect(got.Item).toEqual({
      orderId: 'o-2',
      customerId: 'alice',
      createdAt: '2024-01-02',
      total: 5,
    });

    const newestFirst = await docs.send(
      new QueryCommand({
        TableName: 'Orders',
        IndexName: 'byCustomer',
        KeyConditionExpression: 'customerId = :c',
        ExpressionAttributeValues: { ':c': 'alice' },
        ScanIndexForward: false,
      }),
    );
    expect(newestFirst.Items?.map((i) => i.orderId)).toEqual(['o-3', 'o-2', 'o-1']);
    const byKey = await docs.send(
      new QueryCommand({
        TableName: 'Orders',
        KeyConditionExpression: 'orderId = :o',
        ExpressionAttributeValues: { ':o': 'o-9' },
      }),
    );
    expect(byKey.Items).toHaveLength(1);
  });

  test('a conditional write conflict is a ConditionalCheckFailedException', async () => {
    const put = () =>
      docs.send(
        new PutCommand({
          TableName: 'Idempotency',
          Item: { key: 'k-1', orderId: 'o-1' },
          ConditionExpression: 'attribute_not_exists(#k)',
          ExpressionAttributeNames: { '#k': 'key' },
        }),
      );
    await put();
    const error = await put().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    expect((error as Error).name).toBe('ConditionalCheckFailedException');
  });

  test('TransactWriteItems is all-or-nothing and reports AWS-shaped CancellationReasons', async () => {
    await docs.send(
      new PutCommand({ TableName: 'Inventory', Item: { sku: 'tx-a', available: 5 } }),
    );
    await docs.send(
      new PutCommand({ TableName: 'Inventory', Item: { sku: 'tx-b', available: 1 } }),
    );
    const failing = new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: 'Orders',
            Item: { orderId: 'tx-order', customerId: 'carol', createdAt: '2024-02-01' },
          },
        },
        {
          Update: {
            TableName: 'Inventory',
            Key: { sku: 'tx-a' },
            UpdateExpression: 'SET available = available - :q',
            ConditionExpression: 'available >= :q',
            ExpressionAttributeValues: { ':q': 2 },
          },
        },
        {
          Update: {
            TableName: 'Inventory',
            Key: { sku: 'tx-b' },
            UpdateExpression: 'SET available = available - :q',
            ConditionExpression: 'available >= :q',
            ExpressionAttributeValues: { ':q': 2 },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ],
    });
    const error = await docs.send(failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const canceled = error as TransactionCanceledException;
    expect(canceled.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, ConditionalCheckFailed]',
    );
    expect(canceled.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'None' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { sku: { S: 'tx-b' }, available: { N: '1' } },
      },
    ]);
    // Nothing of it was applied: not the put (nor its GSI entry), not the first decrement.
    expect(await stockOf(docs, 'tx-a')).toBe(5);
    expect(
      (await docs.send(new GetCommand({ TableName: 'Orders', Key: { orderId: 'tx-order' } }))).Item,
    ).toBeUndefined();

    await docs.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: 'Orders',
              Item: { orderId: 'tx-order', customerId: 'carol', createdAt: '2024-02-01' },
              ConditionExpression: 'attribute_not_exists(orderId)',
            },
          },
          {
            Update: {
              TableName: 'Inventory',
              Key: { sku: 'tx-a' },
              UpdateExpression: 'SET available = available - :q',
              ConditionExpression: 'available >= :q',
              ExpressionAttributeValues: { ':q': 2 },
            },
          },
          { Delete: { TableName: 'Inventory', Key: { sku: 'tx-b' } } },
          {
            ConditionCheck: {
              TableName: 'Idempotency',
              Key: { key: 'k-1' },
              ConditionExpression: 'orderId = :o',
              ExpressionAttributeValues: { ':o': 'o-1' },
            },
          },
        ],
      }),
    );
    expect(await stockOf(docs, 'tx-a')).toBe(3);
    expect(await stockOf(docs, 'tx-b')).toBeUndefined();
    const carol = await docs.send(
      new QueryCommand({
        TableName: 'Orders',
        IndexName: 'byCustomer',
        KeyConditionExpression: 'customerId = :c',
        ExpressionAttributeValues: { ':c': 'carol' },
      }),
    );
    expect(carol.Items?.map((i) => i.orderId)).toEqual(['tx-order']);

    const read = await docs.send(
      new TransactGetCommand({
        TransactItems: [
          { Get: { TableName: 'Inventory', Key: { sku: 'tx-a' } } },
          { Get: { TableName: 'Inventory', Key: { sku: 'tx-b' } } },
        ],
      }),
    );
    expect(read.Responses).toEqual([{ Item: { sku: 'tx-a', available: 3 } }, {}]);
  });

  test('request-level transaction errors are ValidationExceptions, not cancellations', async () => {
    const twice = docs.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: 'Inventory',
              Key: { sku: 'x' },
              ConditionExpression: 'attribute_exists(sku)',
            },
          },
          { Delete: { TableName: 'Inventory', Key: { sku: 'x' } } },
        ],
      }),
    );
    await expect(twice).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Transaction request cannot include multiple operations on one item',
    });
    const missingTable = docs.send(
      new TransactWriteCommand({
        TransactItems: [{ Delete: { TableName: 'Nope', Key: { sku: 'x' } } }],
      }),
    );
    await expect(missingTable).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test('an update that cannot apply to the stored item cancels with a ValidationError reason', async () => {
    await docs.send(
      new PutCommand({ TableName: 'Inventory', Item: { sku: 'str', available: 'many' } }),
    );
    await docs.send(new PutCommand({ TableName: 'Inventory', Item: { sku: 'num', available: 4 } }));
    const decrement = (sku: string) => ({
      Update: {
        TableName: 'Inventory',
        Key: { sku },
        UpdateExpression: 'SET available = available - :q',
        ExpressionAttributeValues: { ':q': 1 },
      },
    });
    const error = await docs
      .send(new TransactWriteCommand({ TransactItems: [decrement('num'), decrement('str')] }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons).toEqual([
      { Code: 'None' },
      {
        Code: 'ValidationError',
        Message: 'An operand in the update expression has an incorrect data type',
      },
    ]);
    expect(await stockOf(docs, 'num')).toBe(4);
  });

  test('ClientRequestToken makes a repeated transaction a no-op; another body with it is refused', async () => {
    await docs.send(
      new PutCommand({ TableName: 'Inventory', Item: { sku: 'tok', available: 10 } }),
    );
    const decrement = (ClientRequestToken: string, q: number) =>
      new TransactWriteCommand({
        ClientRequestToken,
        TransactItems: [
          {
            Update: {
              TableName: 'Inventory',
              Key: { sku: 'tok' },
              UpdateExpression: 'SET available = available - :q',
              ExpressionAttributeValues: { ':q': q },
            },
          },
        ],
      });
    await docs.send(decrement('token-1', 1));
    await docs.send(decrement('token-1', 1));
    expect(await stockOf(docs, 'tok')).toBe(9);
    await expect(docs.send(decrement('token-1', 2))).rejects.toMatchObject({
      name: 'IdempotentParameterMismatchException',
    });
    await docs.send(decrement('token-2', 1));
    expect(await stockOf(docs, 'tok')).toBe(8);
  });

  test('50 concurrent reservations against 10 in stock: exactly 10 succeed, stock never below 0', async () => {
    await docs.send(
      new PutCommand({ TableName: 'Inventory', Item: { sku: 'hot', available: 10 } }),
    );
    let lowest = 10;
    let watching = true;
    const watcher = (async () => {
      while (watching) lowest = Math.min(lowest, (await stockOf(docs, 'hot')) ?? -1);
    })();
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => docs.send(reserve(`hot-${i}`, 'hot', 1))),
    );
    const elapsedMs = performance.now() - started;
    watching = false;
    await watcher;
    const succeeded = results.filter((r) => r.status === 'fulfilled');
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(succeeded).toHaveLength(10);
    expect(failed).toHaveLength(40);
    for (const error of failed) {
      expect(error).toBeInstanceOf(TransactionCanceledException);
      expect(
        (error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code),
      ).toEqual(['None', 'ConditionalCheckFailed']);
    }
    expect(await stockOf(docs, 'hot')).toBe(0);
    expect(lowest).toBeGreaterThanOrEqual(0);
    console.log(
      `50 contended transactions in ${elapsedMs.toFixed(0)} ms (${((50 / elapsedMs) * 1000).toFixed(0)}/s)`,
    );
  });

  test('single-item writes wait for transactions holding their item (isolation)', async () => {
    await docs.send(
      new PutCommand({ TableName: 'Inventory', Item: { sku: 'mixed', available: 10 } }),
    );
    const single = (i: number) =>
      docs
        .send(
          new UpdateCommand({
            TableName: 'Inventory',
            Key: { sku: 'mixed' },
            UpdateExpression: 'SET available = available - :one',
            ConditionExpression: 'available >= :one',
            ExpressionAttributeValues: { ':one': 1 },
          }),
        )
        .then(() => `single-${i}`);
    const transactional = (i: number) =>
      docs.send(reserve(`mixed-${i}`, 'mixed', 1)).then(() => `tx-${i}`);
    const all = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? single(i) : transactional(i))),
    );
    expect(all.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(await stockOf(docs, 'mixed')).toBe(0);
  });

  test('unsigned requests and unsupported operations get DynamoDB error shapes', async () => {
    const unsigned = await fetch(cloud.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
      },
      body: '{}',
    });
    expect(unsigned.status).toBe(400);
    expect(((await unsigned.json()) as { __type: string }).__type).toMatch(
      /#MissingAuthenticationTokenException$/,
    );
  });
});

describe('DynamoDB stand-in TTL', () => {
  let cloud: LocalCloud;
  let client: DynamoDBClient;
  let docs: DynamoDBDocumentClient;

  beforeAll(async () => {
    // Sweep every 5 s of service time = every 5 ms here.
    cloud = await startDynamoCloud({ timeScale: 1000 });
    ({ client, docs } = clients(cloud.url));
    await createTables(client);
  });
  afterAll(async () => {
    client?.destroy();
    await cloud?.close();
  });

  test('UpdateTimeToLive enables TTL and the sweep deletes expired items only', async () => {
    expect(
      (await client.send(new DescribeTimeToLiveCommand({ TableName: 'Idempotency' })))
        .TimeToLiveDescription,
    ).toEqual({ TimeToLiveStatus: 'DISABLED' });
    const enable = new UpdateTimeToLiveCommand({
      TableName: 'Idempotency',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect((await client.send(enable)).TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
    await expect(client.send(enable)).rejects.toMatchObject({ name: 'ValidationException' });
    expect(
      (await client.send(new DescribeTimeToLiveCommand({ TableName: 'Idempotency' })))
        .TimeToLiveDescription,
    ).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });

    const now = Math.floor(Date.now() / 1000);
    const items = [
      { key: 'expired', expiresAt: now - 60 },
      { key: 'future', expiresAt: now + 3600 },
      { key: 'not-a-number', expiresAt: String(now - 60) },
      { key: 'ancient', expiresAt: now - 6 * 365 * 24 * 3600 },
      { key: 'no-ttl' },
    ];
    for (const Item of items) await docs.send(new PutCommand({ TableName: 'Idempotency', Item }));
    const exists = async (key: string) =>
      (await docs.send(new GetCommand({ TableName: 'Idempotency', Key: { key } }))).Item !==
      undefined;
    const deadline = Date.now() + 5_000;
    while ((await exists('expired')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(await exists('expired')).toBe(false);
    for (const key of ['future', 'not-a-number', 'ancient', 'no-ttl'])
      expect(await exists(key)).toBe(true);
  });
});

describe('DynamoDB stand-in on disk', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dynamodb-local-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('tables, items, index entries and TTL settings survive close and reopen', async () => {
    let cloud = await startDynamoCloud({ dataDir });
    let { client, docs } = clients(cloud.url);
    await createTables(client);
    await docs.send(new PutCommand({ TableName: 'Inventory', Item: { sku: 'p', available: 3 } }));
    await docs.send(reserve('persist-1', 'p', 2));
    await docs.send(
      new PutCommand({
        TableName: 'Orders',
        Item: { orderId: 'persist-2', customerId: 'dave', createdAt: 'x' },
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: 'Idempotency',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
    const health = cloud.services.dynamodb.health();
    expect(health?.detail).toBe(`dynalite LevelDB at ${path.join(dataDir, 'dynamodb')}`);
    client.destroy();
    await cloud.close();

    cloud = await startDynamoCloud({ dataDir });
    ({ client, docs } = clients(cloud.url));
    try {
      expect(await stockOf(docs, 'p')).toBe(1);
      const dave = await docs.send(
        new QueryCommand({
          TableName: 'Orders',
          IndexName: 'byCustomer',
          KeyConditionExpression: 'customerId = :c',
          ExpressionAttributeValues: { ':c': 'dave' },
        }),
      );
      expect(dave.Items?.map((i) => i.orderId)).toEqual(['persist-2']);
      expect(
        (await client.send(new DescribeTimeToLiveCommand({ TableName: 'Idempotency' })))
          .TimeToLiveDescription?.TimeToLiveStatus,
      ).toBe('ENABLED');
      // The order-side condition still holds after the restart: a replay reserves nothing.
      await expect(docs.send(reserve('persist-1', 'p', 1))).rejects.toBeInstanceOf(
        TransactionCanceledException,
      );
      expect(await stockOf(docs, 'p')).toBe(1);
    } finally {
      client.destroy();
      await cloud.close();
    }
  });
});
