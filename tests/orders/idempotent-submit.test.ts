import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOfflineStack, type OfflineStack } from '../support/offline-stack';
import {
  documentClient,
  loadRoutes,
  orderBody,
  postOrder,
  problemOf,
  scanAll,
  tablesOf,
  waitForStatus,
} from './order-api';

let stack: OfflineStack;
beforeAll(async () => {
  stack = await startOfflineStack({ timeScale: 20 });
}, 60_000);
afterAll(() => stack?.close());

it('turns 20 concurrent submits with one Idempotency-Key into one order and one execution', async () => {
  const routes = await loadRoutes();
  const tables = tablesOf(stack);
  const db = documentClient(stack);
  const token = await stack.shopper('twenty-clicks@example.com');
  const key = crypto.randomUUID();
  const body = orderBody({ quantity: 2 });

  const responses = await Promise.all(
    Array.from({ length: 20 }, () => postOrder(routes, token, body, key)),
  );
  expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
  const answers = await Promise.all(
    responses.map(async (r) => ({
      body: (await r.json()) as { orderId: string; executionArn: string; nextPollAt: string },
      location: r.headers.get('location'),
    })),
  );
  const first = answers[0]!.body;
  for (const answer of answers) {
    expect(answer.body).toEqual(first);
    expect(answer.location).toBe(`/api/orders/${first.orderId}`);
  }

  // Queue mode: the execution starts once the intake worker has taken the message.
  await waitForStatus(db, tables, first.orderId, ['AWAITING_WAREHOUSE']);
  const sfn = new SFNClient({ endpoint: stack.cloud.url, region: stack.cloud.region });
  const { executions = [] } = await sfn.send(
    new ListExecutionsCommand({ stateMachineArn: tables.workflowArn }),
  );
  expect(executions).toHaveLength(1);
  expect(executions[0]!.executionArn).toBe(first.executionArn);

  const orders = await scanAll(db, tables.orders);
  expect(orders).toHaveLength(1);
  expect(orders[0]!.orderId).toBe(first.orderId);
  const keys = (await scanAll(db, tables.idempotency)).filter((item) =>
    String(item.key).startsWith('order#'),
  );
  expect(keys).toHaveLength(1);

  // The one execution reserved once: 25 seeded, 2 ordered.
  const item = await waitForStatus(db, tables, first.orderId, ['AWAITING_WAREHOUSE']);
  expect(item.reservation).toMatchObject({ lines: [{ sku: 'ethiopia-guji', quantity: 2 }] });

  // A late repeat (the execution is well under way) still answers the same.
  const late = await postOrder(routes, token, body, key);
  expect(late.status).toBe(202);
  expect(await late.json()).toEqual(first);

  // The same key with a different body is refused and changes nothing.
  const changed = await postOrder(routes, token, orderBody({ quantity: 3 }), key);
  expect(changed.status).toBe(422);
  expect(changed.headers.get('content-type')).toBe('application/problem+json');
  expect(await problemOf(changed)).toMatchObject({ status: 422, title: expect.any(String) });
  expect(await scanAll(db, tables.orders)).toHaveLength(1);
  const after = await sfn.send(new ListExecutionsCommand({ stateMachineArn: tables.workflowArn }));
  expect(after.executions).toHaveLength(1);
}, 60_000);

it('keeps keys per shopper: another shopper with the same key gets an order of their own', async () => {
  const routes = await loadRoutes();
  const key = crypto.randomUUID();
  const a = await postOrder(routes, await stack.shopper('key-a@example.com'), orderBody(), key);
  const b = await postOrder(routes, await stack.shopper('key-b@example.com'), orderBody(), key);
  expect([a.status, b.status]).toEqual([202, 202]);
  const [bodyA, bodyB] = (await Promise.all([a.json(), b.json()])) as { orderId: string }[];
  expect(bodyA!.orderId).not.toBe(bodyB!.orderId);
});

it('refuses a key whose record has expired rather than guessing', async () => {
  const routes = await loadRoutes();
  const token = await stack.shopper('key-expired@example.com');
  const key = crypto.randomUUID();
  const first = await postOrder(routes, token, orderBody(), key);
  expect(first.status).toBe(202);
  const { orderId } = (await first.json()) as { orderId: string };

  // What DynamoDB TTL does after 24 h: the key's record is gone, the order stays.
  const db = documentClient(stack);
  const records = (await scanAll(db, tablesOf(stack).idempotency)) as { key: string }[];
  const record = records.find((item) => item.key.startsWith('order#') && item.key.endsWith(key));
  expect(record).toBeDefined();
  await db.send(
    new DeleteCommand({ TableName: tablesOf(stack).idempotency, Key: { key: record!.key } }),
  );

  const again = await postOrder(routes, token, orderBody(), key);
  expect(again.status).toBe(422);
  expect(await problemOf(again)).toMatchObject({ title: 'Idempotency-Key expired', orderId });
});
