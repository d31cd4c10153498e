import { afterAll, beforeAll, expect, it } from 'vitest';
import { trackingNumberFor } from '../../amplify/functions/ship-order/handler';
import type { TimelineStep } from '../../lib/orders/timeline';
import { DEMO_ACCOUNTS, startOfflineStack, type OfflineStack } from '../support/offline-stack';
import {
  CARDS,
  decide,
  documentClient,
  listTasks,
  loadRoutes,
  orderBody,
  orderItem,
  postOrder,
  problemOf,
  stockOf,
  tablesOf,
  viewOf,
  waitForStatus,
  type Tables,
} from './order-api';

const SEEDED = 25; // every product the demo stock does not single out

let stack: OfflineStack;
let routes: Awaited<ReturnType<typeof loadRoutes>>;
let tables: Tables;
let db: ReturnType<typeof documentClient>;
let shopper: string;
let staff: string;

beforeAll(async () => {
  // Retry backoff (1 s, 2 s, full jitter) runs 20× faster; the ASL itself is unchanged.
  stack = await startOfflineStack({ timeScale: 20 });
  routes = await loadRoutes();
  tables = tablesOf(stack);
  db = documentClient(stack);
  shopper = await stack.shopper('outcomes@example.com');
  staff = await stack.idToken(DEMO_ACCOUNTS.warehouse);
}, 60_000);
afterAll(() => stack?.close());

async function place(body: ReturnType<typeof orderBody>) {
  const response = await postOrder(routes, shopper, body);
  expect(response.status).toBe(202);
  return ((await response.json()) as { orderId: string }).orderId;
}

function step(steps: TimelineStep[], name: TimelineStep['step']) {
  const found = steps.find((s) => s.step === name);
  if (!found) throw new Error(`no ${name} step in ${steps.map((s) => s.step).join(', ')}`);
  return found;
}

it('fails a declined card at once, without retry, and releases the stock', async () => {
  const sku = 'night-shift-espresso';
  const orderId = await place(orderBody({ sku, quantity: 2, card: CARDS.declined }));
  await waitForStatus(db, tables, orderId, ['FAILED', 'SHIPPED']);
  const view = await viewOf(routes, shopper, orderId);

  expect(view.status).toBe('FAILED');
  expect(view.steps.map((s) => [s.step, s.status])).toEqual([
    ['Queued', 'SUCCEEDED'],
    ['ReserveInventory', 'SUCCEEDED'],
    ['ChargePayment', 'FAILED'],
    ['RefundPayment', 'SUCCEEDED'],
    ['ReleaseInventory', 'SUCCEEDED'],
  ]);
  const charge = step(view.steps, 'ChargePayment');
  expect(charge.attempts).toBe(1);
  expect(charge.message).toMatch(/^PaymentDeclined/);
  expect(charge.facts).toEqual({ reason: 'PaymentDeclined' });
  expect(step(view.steps, 'ReleaseInventory').facts).toEqual({ reason: 'PaymentDeclined' });
  expect(step(view.steps, 'RefundPayment').message).toMatch(/nothing to refund/i);
  expect(step(view.steps, 'ReleaseInventory').message).toMatch(/Stock released/);
  expect(await stockOf(db, tables, sku)).toBe(SEEDED);
  const item = await orderItem(db, tables, orderId);
  expect(item?.payment).toBeUndefined();
  expect(item?.reservation).toMatchObject({ releasedAt: expect.any(String) });
});

it('retries a transient payment failure with backoff and charges on the third attempt', async () => {
  const sku = 'decaf-mountain-water';
  const orderId = await place(orderBody({ sku, card: CARDS.transient }));
  await waitForStatus(db, tables, orderId, ['AWAITING_WAREHOUSE', 'FAILED']);
  const view = await viewOf(routes, shopper, orderId);

  expect(view.status).toBe('AWAITING_WAREHOUSE');
  const charge = step(view.steps, 'ChargePayment');
  expect(charge).toMatchObject({ status: 'SUCCEEDED', attempts: 3 });
  expect(charge.retriedErrors).toHaveLength(2);
  for (const error of charge.retriedErrors) expect(error).toMatch(/^PaymentTransientError/);
  const attempts = view.updates
    .filter((u) => u.step === 'ChargePayment' && u.status !== 'STARTED')
    .map((u) => [u.attempt, u.status]);
  expect(attempts).toEqual([
    [0, 'FAILED'],
    [1, 'FAILED'],
    [2, 'SUCCEEDED'],
  ]);
  const item = await orderItem(db, tables, orderId);
  expect(item?.payment).toMatchObject({ status: 'CHARGED', chargeId: `ch_${orderId}` });
  expect(await stockOf(db, tables, sku)).toBe(SEEDED - 1);
});

it('ships a packed order with a tracking number; a second decision is refused', async () => {
  const sku = 'sencha-first-flush';
  const orderId = await place(orderBody({ sku }));
  await waitForStatus(db, tables, orderId, ['AWAITING_WAREHOUSE']);

  // Shoppers cannot see or answer the work list.
  expect((await listTasks(routes, shopper)).status).toBe(403);
  const forbidden = await decide(routes, shopper, orderId, { decision: 'packed' });
  expect(forbidden.status).toBe(403);
  expect(forbidden.headers.get('content-type')).toBe('application/problem+json');

  const listed = (await (await listTasks(routes, staff)).json()) as {
    tasks: { orderId: string; deadline: string }[];
  };
  const task = listed.tasks.find((t) => t.orderId === orderId);
  expect(task).toBeDefined();
  expect(Date.parse(task!.deadline)).toBeGreaterThan(Date.now());
  const waiting = step((await viewOf(routes, shopper, orderId)).steps, 'AwaitWarehouse');
  expect(waiting.facts).toEqual({ until: task!.deadline });

  expect((await decide(routes, staff, orderId, { decision: 'packed' })).status).toBe(204);
  await waitForStatus(db, tables, orderId, ['SHIPPED', 'FAILED']);
  const view = await viewOf(routes, shopper, orderId);
  expect(view.status).toBe('SHIPPED');
  expect(view.steps.map((s) => [s.step, s.status])).toEqual([
    ['Queued', 'SUCCEEDED'],
    ['ReserveInventory', 'SUCCEEDED'],
    ['ChargePayment', 'SUCCEEDED'],
    ['AwaitWarehouse', 'SUCCEEDED'],
    ['ShipOrder', 'SUCCEEDED'],
  ]);
  const tracking = trackingNumberFor(orderId);
  expect(view.trackingNumber).toBe(tracking);
  expect(step(view.steps, 'ShipOrder').message).toContain(tracking);
  expect(step(view.steps, 'ShipOrder').facts).toEqual({
    carrier: 'Demo Parcel',
    trackingNumber: tracking,
  });
  expect(await stockOf(db, tables, sku)).toBe(SEEDED - 1);

  const again = await decide(routes, staff, orderId, { decision: 'packed' });
  expect(again.status).toBe(409);
  expect(await problemOf(again)).toMatchObject({ status: 409, title: expect.any(String) });
  const tasks = (await (await listTasks(routes, staff)).json()) as { tasks: { orderId: string }[] };
  expect(tasks.tasks.map((t) => t.orderId)).not.toContain(orderId);
});

it('fails a rejected order with refund and release; deciding again is refused', async () => {
  const sku = 'assam-breakfast';
  const orderId = await place(orderBody({ sku, quantity: 3 }));
  await waitForStatus(db, tables, orderId, ['AWAITING_WAREHOUSE']);
  expect(await stockOf(db, tables, sku)).toBe(SEEDED - 3);

  const invalid = await routes.task.POST(
    new Request(`http://shop.test/api/warehouse/tasks/${orderId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${staff}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'rejected' }),
    }),
    { params: Promise.resolve({ orderId }) },
  );
  expect(invalid.status).toBe(422);

  const reason = 'Bag split in the warehouse';
  expect((await decide(routes, staff, orderId, { decision: 'rejected', reason })).status).toBe(204);
  await waitForStatus(db, tables, orderId, ['FAILED', 'SHIPPED']);
  const view = await viewOf(routes, shopper, orderId);
  expect(view.status).toBe('FAILED');
  expect(view.steps.map((s) => [s.step, s.status])).toEqual([
    ['Queued', 'SUCCEEDED'],
    ['ReserveInventory', 'SUCCEEDED'],
    ['ChargePayment', 'SUCCEEDED'],
    ['AwaitWarehouse', 'FAILED'],
    ['RefundPayment', 'SUCCEEDED'],
    ['ReleaseInventory', 'SUCCEEDED'],
  ]);
  expect(step(view.steps, 'AwaitWarehouse').message).toContain(reason);
  expect(step(view.steps, 'AwaitWarehouse').facts).toEqual({ reason: 'WarehouseRejected' });
  expect(step(view.steps, 'RefundPayment').message).toMatch(/Payment refunded/);
  expect(step(view.steps, 'ReleaseInventory').message).toMatch(/Stock released/);
  expect(await stockOf(db, tables, sku)).toBe(SEEDED);
  const item = await orderItem(db, tables, orderId);
  expect(item?.payment).toMatchObject({ status: 'REFUNDED', refundedAt: expect.any(String) });

  for (const decision of [
    { decision: 'rejected' as const, reason },
    { decision: 'packed' as const },
  ]) {
    expect((await decide(routes, staff, orderId, decision)).status).toBe(409);
  }
  expect(await stockOf(db, tables, sku)).toBe(SEEDED);
});

it('lets only one of two simultaneous decisions through', async () => {
  const orderId = await place(orderBody({ sku: 'chamomile-meadow' }));
  await waitForStatus(db, tables, orderId, ['AWAITING_WAREHOUSE']);
  const answers = await Promise.all([
    decide(routes, staff, orderId, { decision: 'packed' }),
    decide(routes, staff, orderId, { decision: 'rejected', reason: 'Changed my mind' }),
  ]);
  expect(answers.map((a) => a.status).sort()).toEqual([204, 409]);
  const item = await waitForStatus(db, tables, orderId, ['SHIPPED', 'FAILED']);
  expect(item.orderStatus).toBe(answers[0]!.status === 204 ? 'SHIPPED' : 'FAILED');
});

it('answers a decision about an order that has no task with 404', async () => {
  const unknown = await decide(routes, staff, crypto.randomUUID(), { decision: 'packed' });
  expect(unknown.status).toBe(404);
  expect(unknown.headers.get('content-type')).toBe('application/problem+json');
  for (const id of ['', 'x'.repeat(3000)]) {
    expect((await decide(routes, staff, id, { decision: 'packed' })).status).toBe(404);
  }
});
