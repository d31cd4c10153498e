import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { WorkflowInput } from '../../amplify/functions/shared/workflow-types';
import { DEMO_ACCOUNTS, startOfflineStack, type OfflineStack } from '../support/offline-stack';
import {
  decide,
  documentClient,
  listTasks,
  loadRoutes,
  orderBody,
  orderItem,
  postOrder,
  stockOf,
  tablesOf,
  waitForStatus,
  type Tables,
} from './order-api';

/**
 * Every workflow handler must be safe to run again with the same input: Step Functions retries
 * a task whose response was lost, and the local cloud replays the step that was running when it
 * crashed. Replays here go through the local Lambda service (as Step Functions calls them) and
 * straight into the handler modules (the env the stack set is the functions' env).
 */
const SEEDED = 25;

let stack: OfflineStack;
let routes: Awaited<ReturnType<typeof loadRoutes>>;
let tables: Tables;
let db: ReturnType<typeof documentClient>;
let lambda: LambdaClient;
let shopper: string;
let staff: string;

beforeAll(async () => {
  stack = await startOfflineStack({ timeScale: 20 });
  // The handlers run in this process here, so they get the environment Lambda would give them.
  for (const fn of stack.cloud.backend.functions) Object.assign(process.env, fn.environment);
  routes = await loadRoutes();
  tables = tablesOf(stack);
  db = documentClient(stack);
  lambda = new LambdaClient({ endpoint: stack.cloud.url, region: stack.cloud.region });
  shopper = await stack.shopper('replay@example.com');
  staff = await stack.idToken(DEMO_ACCOUNTS.warehouse);
}, 60_000);
afterAll(() => stack?.close());

/** Invokes a function through the local Lambda service, as Step Functions would. */
async function invoke(name: string, payload: unknown): Promise<unknown> {
  const result = await lambda.send(
    new InvokeCommand({
      FunctionName: name,
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
  const text = new TextDecoder().decode(result.Payload);
  if (result.FunctionError) throw new Error(`${name} failed: ${text}`);
  return JSON.parse(text);
}

const handlers = {
  reserve: () => import('../../amplify/functions/reserve-inventory/handler'),
  charge: () => import('../../amplify/functions/charge-payment/handler'),
  awaitWarehouse: () => import('../../amplify/functions/await-warehouse/handler'),
  ship: () => import('../../amplify/functions/ship-order/handler'),
  refund: () => import('../../amplify/functions/refund-payment/handler'),
  release: () => import('../../amplify/functions/release-inventory/handler'),
};

async function placed(sku: string, quantity: number) {
  const response = await postOrder(routes, shopper, orderBody({ sku, quantity }));
  expect(response.status).toBe(202);
  const { orderId } = (await response.json()) as { orderId: string };
  return orderId;
}

it('replays every step of a shipped order without changing anything', async () => {
  const sku = 'harbor-house-blend';
  const orderId = await placed(sku, 2);
  const waiting = await waitForStatus(db, tables, orderId, ['AWAITING_WAREHOUSE']);
  const lines = [{ sku, quantity: 2, unitPriceCents: expect.any(Number) }];
  expect(waiting.lines).toEqual(lines);
  const input = waiting as unknown as WorkflowInput & { taskToken: string; seq: number };

  const reserveInput = { orderId, lines: input.lines, attempt: 0 };
  const chargeInput = {
    orderId,
    totalCents: input.totalCents,
    currency: input.currency,
    payment: { cardLast4: '4242', testCard: 'success' },
    attempt: 0,
  };
  const awaitInput = {
    orderId,
    taskToken: input.taskToken,
    lines: input.lines,
    shippingAddress: input.shippingAddress,
    timeoutSeconds: 3600,
    heartbeatSeconds: 1200,
    attempt: 0,
  };
  for (let replay = 0; replay < 2; replay++) {
    expect(await invoke('reserve-inventory', reserveInput)).toEqual(waiting.reservation);
    const charge = await invoke('charge-payment', chargeInput);
    const payment = waiting.payment as Record<string, unknown>;
    expect(charge).toEqual({
      chargeId: payment.chargeId,
      amountCents: payment.amountCents,
      currency: payment.currency,
      chargedAt: payment.chargedAt,
    });
    await invoke('await-warehouse', awaitInput);
  }
  // Concurrent replays, straight into the modules.
  const [reserve, charge] = await Promise.all([handlers.reserve(), handlers.charge()]);
  await Promise.all([
    reserve.handler(reserveInput),
    reserve.handler(reserveInput),
    charge.handler(chargeInput as never),
    charge.handler(chargeInput as never),
  ]);

  const afterReplays = await orderItem(db, tables, orderId);
  expect(afterReplays).toEqual(waiting);
  expect(await stockOf(db, tables, sku)).toBe(SEEDED - 2);
  const tasks = (await (await listTasks(routes, staff)).json()) as { tasks: { orderId: string }[] };
  expect(tasks.tasks.filter((t) => t.orderId === orderId)).toHaveLength(1);

  expect((await decide(routes, staff, orderId, { decision: 'packed' })).status).toBe(204);
  const shipped = await waitForStatus(db, tables, orderId, ['SHIPPED']);
  const shipInput = { orderId, shippingAddress: input.shippingAddress, attempt: 0 };
  const { handler: ship } = await handlers.ship();
  const replays = [
    await invoke('ship-order', shipInput),
    ...(await Promise.all([ship(shipInput), ship(shipInput)])),
  ];
  for (const result of replays) expect(result).toEqual(shipped.shipment);

  const afterShipReplays = await orderItem(db, tables, orderId);
  expect(afterShipReplays).toEqual(shipped);
  expect(afterShipReplays?.warehouseStatus).toBeUndefined();
  expect(await stockOf(db, tables, sku)).toBe(SEEDED - 2);
}, 30_000);

it('replays the compensation of a rejected order without refunding or releasing twice', async () => {
  const sku = 'pour-over-dripper';
  const orderId = await placed(sku, 4);
  await waitForStatus(db, tables, orderId, ['AWAITING_WAREHOUSE']);
  const reason = 'Dropped on the floor';
  expect((await decide(routes, staff, orderId, { decision: 'rejected', reason })).status).toBe(204);
  const failed = await waitForStatus(db, tables, orderId, ['FAILED']);
  expect(await stockOf(db, tables, sku)).toBe(SEEDED);
  expect(failed.payment).toMatchObject({ status: 'REFUNDED' });

  const compensation = {
    orderId,
    error: { Error: 'WarehouseRejected', Cause: reason },
    attempt: 0,
  };
  const [refund, release] = await Promise.all([handlers.refund(), handlers.release()]);
  for (let replay = 0; replay < 2; replay++) {
    expect(await invoke('refund-payment', compensation)).toEqual({
      refunded: true,
      chargeId: `ch_${orderId}`,
    });
    expect(await invoke('release-inventory', compensation)).toEqual({
      released: true,
      lines: [{ sku, quantity: 4 }],
    });
  }
  await Promise.all([
    refund.handler(compensation),
    refund.handler(compensation),
    release.handler(compensation),
    release.handler(compensation),
  ]);

  expect(await orderItem(db, tables, orderId)).toEqual(failed);
  expect(await stockOf(db, tables, sku)).toBe(SEEDED);
}, 30_000);

it('survives retries after lost responses: each handler run twice, attempts 0 and 1', async () => {
  // An order written as the API writes it, with no execution: the test plays Step Functions.
  const sku = 'stoneware-mug';
  const orderId = crypto.randomUUID();
  const lines = [{ sku, quantity: 3, unitPriceCents: 1800 }];
  const shippingAddress = {
    name: 'Ada',
    line1: '1 Row',
    city: 'London',
    postalCode: 'N1 9GU',
    country: 'GB',
  };
  const now = new Date().toISOString();
  await db.send(
    new PutCommand({
      TableName: tables.orders,
      Item: {
        orderId,
        ownerSub: 'replay-owner',
        createdAt: now,
        updatedAt: now,
        orderStatus: 'PENDING',
        seq: 0,
        updates: [],
        lines,
        totalCents: 5400,
        currency: 'USD',
        shippingAddress,
        cardLast4: '4242',
      },
    }),
  );
  const { handler: reserve } = await handlers.reserve();
  const { handler: charge } = await handlers.charge();
  const { handler: refund } = await handlers.refund();
  const { handler: release } = await handlers.release();

  // Two concurrent first attempts (a crash replay racing the original), then a retry.
  const concurrent = await Promise.allSettled([
    reserve({ orderId, lines, attempt: 0 }),
    reserve({ orderId, lines, attempt: 0 }),
  ]);
  const reserved = concurrent.find((r) => r.status === 'fulfilled');
  expect(reserved).toBeDefined();
  const retried = await reserve({ orderId, lines, attempt: 1 });
  expect(retried).toEqual((reserved as PromiseFulfilledResult<unknown>).value);
  expect(await stockOf(db, tables, sku)).toBe(SEEDED - 3);

  const chargeInput = {
    orderId,
    totalCents: 5400,
    currency: 'USD',
    payment: { cardLast4: '4242', testCard: 'success' as const },
  };
  const first = await charge({ ...chargeInput, attempt: 0 });
  const second = await charge({ ...chargeInput, attempt: 1 });
  expect(second).toEqual(first);
  expect((await orderItem(db, tables, orderId))?.payment).toMatchObject({
    status: 'CHARGED',
    chargedAt: first.chargedAt,
  });

  const error = { Error: 'States.Timeout', Cause: 'The warehouse did not answer' };
  expect(await refund({ orderId, error, attempt: 0 })).toMatchObject({ refunded: true });
  expect(await refund({ orderId, error, attempt: 1 })).toMatchObject({ refunded: true });
  await release({ orderId, error, attempt: 0 });
  await release({ orderId, error, attempt: 1 });
  expect(await stockOf(db, tables, sku)).toBe(SEEDED);

  const item = await orderItem(db, tables, orderId);
  expect(item).toMatchObject({ orderStatus: 'FAILED', payment: { status: 'REFUNDED' } });
  // The timeline shows the retries as attempts, each update once.
  const updates = item!.updates as { seq: number; step: string; status: string; attempt: number }[];
  expect(updates.map((u) => u.seq)).toEqual(updates.map((_, i) => i + 1));
  const keys = updates.map((u) => `${u.step}#${u.status}#${u.attempt}`);
  expect(new Set(keys).size).toBe(keys.length);
}, 30_000);

/** An order as the API writes it, with no execution, so nothing else writes to it. */
async function bareOrder(): Promise<string> {
  const orderId = crypto.randomUUID();
  const now = new Date().toISOString();
  await db.send(
    new PutCommand({
      TableName: tables.orders,
      Item: {
        orderId,
        ownerSub: 'replay-owner',
        createdAt: now,
        updatedAt: now,
        seq: 0,
        updates: [],
      },
    }),
  );
  return orderId;
}

it('answers a failed conditional write with the item it checked (ReturnValuesOnConditionCheckFailure)', async () => {
  const orderId = await bareOrder();
  const failing = (returnValues?: string) =>
    db
      .send(
        new UpdateCommand({
          TableName: tables.orders,
          Key: { orderId },
          ConditionExpression: '#seq = :previous',
          UpdateExpression: 'SET #seq = :next',
          ExpressionAttributeNames: { '#seq': 'seq' },
          ExpressionAttributeValues: { ':previous': 41, ':next': 42 },
          ...(returnValues
            ? { ReturnValuesOnConditionCheckFailure: returnValues as 'ALL_OLD' }
            : {}),
        }),
      )
      .then(
        () => undefined,
        (error: unknown) => error as Error & { Item?: Record<string, unknown> },
      );

  const withItem = await failing('ALL_OLD');
  expect(withItem?.name).toBe('ConditionalCheckFailedException');
  // The low-level shape, as AWS sends it (the Document client does not unmarshall errors).
  expect(withItem?.Item).toMatchObject({ orderId: { S: orderId }, seq: { N: '0' } });
  expect((await failing('NONE'))?.Item).toBeUndefined();
  expect((await failing())?.Item).toBeUndefined();
  expect((await failing('ALL_NEW'))?.name).toBe('ValidationException');
  expect((await orderItem(db, tables, orderId))?.seq).toBe(0);
});

it('records a status after a writer it had not seen with two writes and no read', async () => {
  const orderId = await bareOrder();
  const elsewhere = {
    orderId,
    seq: 1,
    step: 'ReserveInventory',
    status: 'STARTED',
    attempt: 0,
    message: null,
    orderStatus: 'PROCESSING',
    nextPollAt: null,
    timestamp: new Date().toISOString(),
  };
  await db.send(
    new UpdateCommand({
      TableName: tables.orders,
      Key: { orderId },
      ConditionExpression: '#seq = :previous',
      UpdateExpression: 'SET #seq = :seq, #updates = list_append(#updates, :update)',
      ExpressionAttributeNames: { '#seq': 'seq', '#updates': 'updates' },
      ExpressionAttributeValues: { ':previous': 0, ':seq': 1, ':update': [elsewhere] },
    }),
  );
  const { recordStatus } = await import('../../amplify/functions/shared/record-status');
  const { ddb } = await import('../../amplify/functions/shared/dynamodb');
  const client = ddb();
  const original = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  const calls: string[] = [];
  const spy = vi.spyOn(client, 'send').mockImplementation(((command: object) => {
    calls.push(command.constructor.name);
    return original(command);
  }) as never);
  try {
    // This process's guess (a new order, seq 0) fails the lock; the item in the failure
    // carries the other writer's update, so the retry needs no read.
    const change = { orderId, attempt: 0, orderStatus: 'PROCESSING' as const };
    const next = await recordStatus({ ...change, step: 'ReserveInventory', status: 'SUCCEEDED' });
    expect(next.seq).toBe(2);
    expect(calls).toEqual(['UpdateCommand', 'UpdateCommand']);
    const replay = await recordStatus({ ...change, step: 'ReserveInventory', status: 'STARTED' });
    expect(replay).toEqual(elsewhere);
    expect(calls).toHaveLength(2);
  } finally {
    spy.mockRestore();
  }
  const item = await orderItem(db, tables, orderId);
  expect(item?.seq).toBe(2);
  expect((item?.updates as { seq: number }[]).map((u) => u.seq)).toEqual([1, 2]);
});
