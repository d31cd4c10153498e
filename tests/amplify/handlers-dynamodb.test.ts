import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type {
  OrderUpdate,
  StepName,
  StepStatus,
} from '../../amplify/functions/shared/order-status';
import {
  resetOrderUpdatePublisher,
  setOrderUpdatePublisher,
} from '../../amplify/functions/shared/publish';

/**
 * Handlers against a real DynamoDB wire protocol (dynalite). Dynalite has no
 * TransactWriteItems, so reserve/release are left to the local cloud's integration tests;
 * these cover the single-item conditional writes that make retries and replays safe.
 */
type Dynalite = (options: { createTableMs: number }) => Server;
const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite;

const ORDER_IDS = [
  'o-status',
  'o-charge',
  'o-declined',
  'o-ship',
  'o-replay-late',
  'o-one-call',
  'o-elsewhere',
  'o-concurrent',
  'o-all-old',
];

let server: Server;
const published: OrderUpdate[] = [];
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    ORDERS_TABLE_NAME: 'Orders',
  });
  const client = new DynamoDBClient({});
  await client.send(
    new CreateTableCommand({
      TableName: 'Orders',
      AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  documents = DynamoDBDocumentClient.from(client);
  // Each order as place-order creates it: the recorder refuses updates for an order that
  // does not exist rather than create a stray item.
  for (const orderId of ORDER_IDS) {
    await documents.send(
      new PutCommand({ TableName: 'Orders', Item: { orderId, seq: 0, updates: [] } }),
    );
  }
  setOrderUpdatePublisher(async (update) => {
    published.push(update);
  });
});

afterAll(async () => {
  resetOrderUpdatePublisher();
  await new Promise((resolve) => server?.close(resolve));
});

const order = async (orderId: string) =>
  (await documents.send(new GetCommand({ TableName: 'Orders', Key: { orderId } }))).Item ?? {};

describe('workflow handlers on DynamoDB', () => {
  it('records status with a per-order seq and does not record a replay twice', async () => {
    const { recordStatus } = await import('../../amplify/functions/shared/record-status');
    const change = {
      orderId: 'o-status',
      step: 'ReserveInventory' as const,
      status: 'STARTED' as const,
      attempt: 0,
      orderStatus: 'PROCESSING' as const,
    };
    const first = await recordStatus(change);
    const second = await recordStatus({ ...change, status: 'SUCCEEDED' });
    const replay = await recordStatus(change);
    expect([first.seq, second.seq, replay.seq]).toEqual([1, 2, 1]);
    const item = await order('o-status');
    expect(item.seq).toBe(2);
    expect((item.updates as OrderUpdate[]).map((u) => u.status)).toEqual(['STARTED', 'SUCCEEDED']);
    expect(published.filter((u) => u.orderId === 'o-status').map((u) => u.seq)).toEqual([1, 2, 1]);
  });

  it('charges once across retries and replays, and fails transient cards twice first', async () => {
    const { handler } = await import('../../amplify/functions/charge-payment/handler');
    const input = {
      orderId: 'o-charge',
      totalCents: 2599,
      currency: 'EUR',
      payment: { cardLast4: '0119', testCard: 'transient' as const },
    };
    await expect(handler({ ...input, attempt: 0 })).rejects.toMatchObject({
      name: 'PaymentTransientError',
    });
    await expect(handler({ ...input, attempt: 1 })).rejects.toMatchObject({
      name: 'PaymentTransientError',
    });
    const charged = await handler({ ...input, attempt: 2 });
    const replayed = await handler({ ...input, attempt: 2 });
    expect(replayed).toEqual(charged);
    expect(charged).toMatchObject({ chargeId: 'ch_o-charge', amountCents: 2599 });
    const updates = (await order('o-charge')).updates as OrderUpdate[];
    expect(updates.map((u) => `${u.status}#${u.attempt}`)).toEqual([
      'STARTED#0',
      'FAILED#0',
      'STARTED#1',
      'FAILED#1',
      'STARTED#2',
      'SUCCEEDED#2',
    ]);
  });

  it('declines without charging', async () => {
    const { handler } = await import('../../amplify/functions/charge-payment/handler');
    await expect(
      handler({
        orderId: 'o-declined',
        attempt: 0,
        totalCents: 100,
        currency: 'EUR',
        payment: { cardLast4: '0002', testCard: 'declined' },
      }),
    ).rejects.toMatchObject({ name: 'PaymentDeclined' });
    expect((await order('o-declined')).payment).toBeUndefined();
  });

  it('refunds a charge once and refunds nothing that was never charged', async () => {
    const { handler } = await import('../../amplify/functions/refund-payment/handler');
    const error = { Error: 'States.Timeout' };
    await expect(handler({ orderId: 'o-charge', attempt: 0, error })).resolves.toEqual({
      refunded: true,
      chargeId: 'ch_o-charge',
    });
    await expect(handler({ orderId: 'o-charge', attempt: 0, error })).resolves.toEqual({
      refunded: true,
      chargeId: 'ch_o-charge',
    });
    expect((await order('o-charge')).payment).toMatchObject({ status: 'REFUNDED' });
    await expect(handler({ orderId: 'o-declined', attempt: 0, error })).resolves.toEqual({
      refunded: false,
    });
  });

  it('lists the order for the warehouse with its token, then ships it off the list', async () => {
    const awaitWarehouse = (await import('../../amplify/functions/await-warehouse/handler'))
      .handler;
    const ship = (await import('../../amplify/functions/ship-order/handler')).handler;
    const address = { name: 'A', line1: '1 St', city: 'C', postalCode: '1', country: 'NL' };
    await awaitWarehouse({
      orderId: 'o-ship',
      attempt: 0,
      taskToken: 'token-1',
      lines: [],
      shippingAddress: address,
      timeoutSeconds: 3600,
      heartbeatSeconds: 1200,
    });
    expect(await order('o-ship')).toMatchObject({
      warehouseStatus: 'AWAITING',
      taskToken: 'token-1',
    });
    const first = await ship({ orderId: 'o-ship', attempt: 0, shippingAddress: address });
    const again = await ship({ orderId: 'o-ship', attempt: 0, shippingAddress: address });
    expect(again).toEqual(first);
    const item = await order('o-ship');
    expect(item.warehouseStatus).toBeUndefined();
    expect(item.taskToken).toBeUndefined();
    expect(item.orderStatus).toBe('SHIPPED');
    expect((item.updates as OrderUpdate[]).map((u) => `${u.step}:${u.status}`)).toEqual([
      'AwaitWarehouse:WAITING',
      'AwaitWarehouse:SUCCEEDED',
      'ShipOrder:STARTED',
      'ShipOrder:SUCCEEDED',
    ]);
  });
});

describe('status recorder: one conditional write per status', () => {
  const change = (orderId: string, step: StepName, status: StepStatus, attempt = 0) => ({
    orderId,
    step,
    status,
    attempt,
    orderStatus: 'PROCESSING' as const,
  });
  const keysOf = (item: Record<string, unknown>) =>
    ((item.updates ?? []) as OrderUpdate[]).map((u) => `${u.seq}:${u.step}:${u.status}`);

  /** A status written by some other process, so this one's snapshot of the order is stale. */
  async function writeElsewhere(orderId: string, update: Omit<OrderUpdate, 'orderId'>) {
    await documents.send(
      new UpdateCommand({
        TableName: 'Orders',
        Key: { orderId },
        ConditionExpression: '#seq = :previous',
        UpdateExpression: 'SET #seq = :seq, #updates = list_append(#updates, :update)',
        ExpressionAttributeNames: { '#seq': 'seq', '#updates': 'updates' },
        ExpressionAttributeValues: {
          ':previous': update.seq - 1,
          ':seq': update.seq,
          ':update': [{ ...update, orderId }],
        },
      }),
    );
  }

  /** Counts the recorder's DynamoDB calls by command name. */
  async function countingCalls() {
    const { ddb } = await import('../../amplify/functions/shared/dynamodb');
    const client = ddb();
    const original = client.send.bind(client) as (command: unknown) => Promise<unknown>;
    const calls: string[] = [];
    const spy = vi.spyOn(client, 'send').mockImplementation(((command: object) => {
      calls.push(command.constructor.name);
      return original(command);
    }) as never);
    return { calls, restore: () => spy.mockRestore() };
  }

  it('answers a replayed step after a later step with its first record, writing nothing', async () => {
    const { recordStatus } = await import('../../amplify/functions/shared/record-status');
    const first = await recordStatus(change('o-replay-late', 'ReserveInventory', 'STARTED'));
    await recordStatus(change('o-replay-late', 'ReserveInventory', 'SUCCEEDED'));
    await recordStatus(change('o-replay-late', 'ChargePayment', 'STARTED'));
    const counting = await countingCalls();
    try {
      const replay = await recordStatus(change('o-replay-late', 'ReserveInventory', 'STARTED'));
      expect(replay).toEqual(first);
      expect(counting.calls).toEqual([]);
    } finally {
      counting.restore();
    }
    expect(keysOf(await order('o-replay-late'))).toEqual([
      '1:ReserveInventory:STARTED',
      '2:ReserveInventory:SUCCEEDED',
      '3:ChargePayment:STARTED',
    ]);
  });

  it('costs one UpdateItem per status once the order has been seen', async () => {
    const { recordStatus } = await import('../../amplify/functions/shared/record-status');
    await recordStatus(change('o-one-call', 'ReserveInventory', 'STARTED'));
    const counting = await countingCalls();
    try {
      await recordStatus(change('o-one-call', 'ReserveInventory', 'SUCCEEDED'));
      await recordStatus(change('o-one-call', 'ChargePayment', 'STARTED'));
      expect(counting.calls).toEqual(['UpdateCommand', 'UpdateCommand']);
    } finally {
      counting.restore();
    }
  });

  it('catches up with a writer in another process: no lost update, no duplicate replay', async () => {
    const { recordStatus } = await import('../../amplify/functions/shared/record-status');
    const started = await recordStatus(change('o-elsewhere', 'ChargePayment', 'STARTED'));
    const other = {
      seq: 2,
      step: 'ChargePayment' as const,
      status: 'SUCCEEDED' as const,
      attempt: 0,
      message: 'charged elsewhere',
      orderStatus: 'PROCESSING' as const,
      nextPollAt: null,
      timestamp: started.timestamp,
    };
    await writeElsewhere('o-elsewhere', other);

    // The replay of what the other process recorded is recognised after the failed condition.
    const replay = await recordStatus(change('o-elsewhere', 'ChargePayment', 'SUCCEEDED'));
    expect(replay).toEqual({ ...other, orderId: 'o-elsewhere' });
    const next = await recordStatus(change('o-elsewhere', 'AwaitWarehouse', 'WAITING'));
    expect(next.seq).toBe(3);
    const item = await order('o-elsewhere');
    expect(item.seq).toBe(3);
    expect(keysOf(item)).toEqual([
      '1:ChargePayment:STARTED',
      '2:ChargePayment:SUCCEEDED',
      '3:AwaitWarehouse:WAITING',
    ]);
  });

  it('gives concurrent writers in one process distinct, gapless seqs', async () => {
    const { recordStatus } = await import('../../amplify/functions/shared/record-status');
    const steps = ['ReserveInventory', 'ChargePayment', 'ShipOrder', 'RefundPayment'] as const;
    const results = await Promise.all(
      steps.map((step) => recordStatus(change('o-concurrent', step, 'STARTED'))),
    );
    expect(results.map((u) => u.seq).sort()).toEqual([1, 2, 3, 4]);
    const item = await order('o-concurrent');
    expect(item.seq).toBe(4);
    const updates = item.updates as OrderUpdate[];
    expect(updates.map((u) => u.seq)).toEqual([1, 2, 3, 4]);
    expect(new Set(updates.map((u) => u.step)).size).toBe(4);
  });

  it('uses the item a failed condition returns (ReturnValuesOnConditionCheckFailure) instead of a read', async () => {
    // dynalite ignores ReturnValuesOnConditionCheckFailure, so the item DynamoDB would attach
    // to the exception is attached here, in the low-level shape the SDK hands over.
    const { recordStatus } = await import('../../amplify/functions/shared/record-status');
    const { ddb } = await import('../../amplify/functions/shared/dynamodb');
    await recordStatus(change('o-all-old', 'ReserveInventory', 'STARTED'));
    await writeElsewhere('o-all-old', {
      seq: 2,
      step: 'ReserveInventory',
      status: 'SUCCEEDED',
      attempt: 0,
      message: null,
      orderStatus: 'PROCESSING',
      nextPollAt: null,
      timestamp: new Date(0).toISOString(),
    });
    const raw = new DynamoDBClient({});
    const client = ddb();
    const original = client.send.bind(client) as (command: unknown) => Promise<unknown>;
    const calls: string[] = [];
    const spy = vi.spyOn(client, 'send').mockImplementation((async (command: object) => {
      calls.push(command.constructor.name);
      try {
        return await original(command);
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') {
          const { Item } = await raw.send(
            new GetItemCommand({ TableName: 'Orders', Key: { orderId: { S: 'o-all-old' } } }),
          );
          Object.assign(error as object, { Item });
        }
        throw error;
      }
    }) as never);
    try {
      const recorded = await recordStatus(change('o-all-old', 'ChargePayment', 'STARTED'));
      expect(recorded.seq).toBe(3);
      expect(calls).toEqual(['UpdateCommand', 'UpdateCommand']);
      // A replay of the other process's status is found in the returned item as well.
      const replay = await recordStatus(change('o-all-old', 'ReserveInventory', 'SUCCEEDED'));
      expect(replay).toMatchObject({ seq: 2, message: null, nextPollAt: null });
    } finally {
      spy.mockRestore();
    }
    expect(keysOf(await order('o-all-old'))).toEqual([
      '1:ReserveInventory:STARTED',
      '2:ReserveInventory:SUCCEEDED',
      '3:ChargePayment:STARTED',
    ]);
  });
});
