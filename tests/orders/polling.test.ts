import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { OrderView } from '../../lib/orders/read-order';
import { DEMO_ACCOUNTS, startOfflineStack, type OfflineStack } from '../support/offline-stack';
import {
  decide,
  documentClient,
  getOrder,
  loadRoutes,
  orderBody,
  postOrder,
  problemOf,
  sleep,
  tablesOf,
  waitForStatus,
} from './order-api';

let stack: OfflineStack;
beforeAll(async () => {
  // The warehouse step's two-minute poll interval becomes 1.2 s; the workflow runs 20× faster.
  process.env.ORDER_POLL_TIME_SCALE = '0.01';
  stack = await startOfflineStack({ timeScale: 20 });
}, 60_000);
afterEach(() => {
  process.env.ORDER_POLL_TIME_SCALE = '0.01';
});
afterAll(async () => {
  delete process.env.ORDER_POLL_TIME_SCALE;
  await stack?.close();
});

async function untilNextPoll(view: { nextPollAt: string | null }) {
  expect(view.nextPollAt).not.toBeNull();
  await sleep(Math.max(0, Date.parse(view.nextPollAt!) - Date.now()) + 20);
}

it('throttles early polls of an unchanged order whatever ETag they send, per user and order', async () => {
  // A six-second warehouse window, so the early requests below surely fall inside it.
  process.env.ORDER_POLL_TIME_SCALE = '0.05';
  const routes = await loadRoutes();
  const tables = tablesOf(stack);
  const db = documentClient(stack);
  const owner = await stack.shopper('poller@example.com');
  const stranger = await stack.shopper('stranger@example.com');
  const staff = await stack.idToken(DEMO_ACCOUNTS.warehouse);

  const placed = await postOrder(routes, owner, orderBody());
  expect(placed.status).toBe(202);
  expect(Number(placed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  const { orderId } = (await placed.json()) as { orderId: string };
  await waitForStatus(db, tables, orderId, ['AWAITING_WAREHOUSE']);

  const anonymous = await getOrder(routes, undefined, orderId);
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
  expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');

  const foreign = await getOrder(routes, stranger, orderId);
  expect(foreign.status).toBe(404);
  expect(await problemOf(foreign)).toMatchObject({ status: 404, title: expect.any(String) });
  const missing = await getOrder(routes, owner, crypto.randomUUID());
  expect(missing.status).toBe(404);
  // Ids no order can have are "not found" too, not a DynamoDB validation error (503).
  for (const id of ['', 'x'.repeat(3000), '%00', 'not-a-uuid']) {
    expect((await getOrder(routes, owner, id)).status).toBe(404);
  }

  const first = await getOrder(routes, owner, orderId);
  expect(first.status).toBe(200);
  expect(first.headers.get('cache-control')).toBe('no-store');
  expect(first.headers.get('preference-applied')).toBeNull();
  const etag = first.headers.get('etag');
  expect(etag).toMatch(/^W\/".+"$/);
  const firstView = (await first.json()) as OrderView;
  expect(firstView.status).toBe('AWAITING_WAREHOUSE');
  expect(firstView.steps.map((s) => [s.step, s.status])).toEqual([
    ['Queued', 'SUCCEEDED'],
    ['ReserveInventory', 'SUCCEEDED'],
    ['ChargePayment', 'SUCCEEDED'],
    ['AwaitWarehouse', 'WAITING'],
  ]);
  expect(Number(first.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

  // A read without an ETag (a reload, a second tab) holds nothing: it is let through once per
  // window, and it does not move the schedule.
  const reload = await getOrder(routes, owner, orderId);
  expect(reload.status).toBe(200);
  expect(((await reload.json()) as OrderView).nextPollAt).toBe(firstView.nextPollAt);
  const early = await getOrder(routes, owner, orderId);
  expect(early.status).toBe(429);
  expect(early.headers.get('content-type')).toBe('application/problem+json');
  expect(Number(early.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(await problemOf(early)).toMatchObject({
    type: '/problems/poll-too-early',
    status: 429,
    title: expect.any(String),
  });

  // Whatever ETag an early poll sends, the order has not changed since this caller's last
  // answer: the current one, an older one, a made-up one, ten in a row.
  const older = etag!.replace(/-(\d+)"$/, (_, seq: string) => `-${Number(seq) - 1}"`);
  for (const sent of [etag!, older, 'W/"made-up"', '*', ...Array(10).fill('W/"forged"')]) {
    const response = await getOrder(routes, owner, orderId, { 'if-none-match': sent });
    expect(response.status, `If-None-Match: ${sent}`).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  }

  // The throttle belongs to (user, order): staff reading the same order are not held back.
  // A page that shows the order says so, for a shorter back-off.
  const watching = await getOrder(routes, staff, orderId, { prefer: 'watch' });
  expect(watching.status).toBe(200);
  expect(watching.headers.get('preference-applied')).toBe('watch');

  // The client that waits for nextPollAt is served, none of the above having moved it.
  await untilNextPoll(firstView);
  const onTime = await getOrder(routes, owner, orderId, { 'if-none-match': etag! });
  expect(onTime.status).toBe(304);
  expect(onTime.headers.get('etag')).toBe(etag);
  expect(await onTime.text()).toBe('');
  const tooSoon = await getOrder(routes, owner, orderId, { 'if-none-match': etag! });
  expect(tooSoon.status).toBe(429);

  // Once the order changed since this caller's last answer, an early poll gets the news.
  await db.send(
    new UpdateCommand({
      TableName: tables.orders,
      Key: { orderId },
      UpdateExpression: 'SET #seq = #seq + :one',
      ExpressionAttributeNames: { '#seq': 'seq' },
      ExpressionAttributeValues: { ':one': 1 },
    }),
  );
  const changed = await getOrder(routes, owner, orderId, { 'if-none-match': 'W/"forged"' });
  expect(changed.status).toBe(200);
  expect(((await changed.json()) as OrderView).seq).toBe(firstView.seq + 1);
  expect(changed.headers.get('etag')).not.toBe(etag);

  // Once the order is final there is nothing to throttle: no nextPollAt, 304 at once.
  expect((await decide(routes, staff, orderId, { decision: 'packed' })).status).toBe(204);
  await waitForStatus(db, tables, orderId, ['SHIPPED']);
  const final = await getOrder(routes, owner, orderId);
  expect(final.status).toBe(200);
  expect(final.headers.get('retry-after')).toBeNull();
  const finalView = (await final.json()) as OrderView;
  expect(finalView).toMatchObject({ status: 'SHIPPED', nextPollAt: null });
  const finalEtag = final.headers.get('etag');
  expect(finalEtag).not.toBe(etag);
  const again = await getOrder(routes, owner, orderId, { 'if-none-match': finalEtag! });
  expect(again.status).toBe(304);
}, 30_000);

it("lists the shopper's own orders, newest first", async () => {
  const routes = await loadRoutes();
  const token = await stack.shopper('lister@example.com');
  const ids: string[] = [];
  for (const quantity of [1, 2, 3]) {
    const response = await postOrder(routes, token, orderBody({ quantity }));
    ids.push(((await response.json()) as { orderId: string }).orderId);
    await sleep(5); // distinct createdAt
  }
  const other = await stack.shopper('other-lister@example.com');
  await postOrder(routes, other, orderBody());

  const response = await routes.orders.GET(
    new Request('http://shop.test/api/orders', { headers: { authorization: `Bearer ${token}` } }),
  );
  expect(response.status).toBe(200);
  const { orders } = (await response.json()) as {
    orders: { orderId: string; itemCount: number }[];
  };
  expect(orders.map((o) => o.orderId)).toEqual([...ids].reverse());
  expect(orders.map((o) => o.itemCount)).toEqual([3, 2, 1]);

  const anonymous = await routes.orders.GET(new Request('http://shop.test/api/orders'));
  expect(anonymous.status).toBe(401);
});

it('serves one of two concurrent polls on the same schedule, throttles the other', async () => {
  const routes = await loadRoutes();
  const tables = tablesOf(stack);
  const db = documentClient(stack);
  const owner = await stack.shopper('racer@example.com');
  const placed = await postOrder(routes, owner, orderBody());
  const { orderId } = (await placed.json()) as { orderId: string };
  await waitForStatus(db, tables, orderId, ['AWAITING_WAREHOUSE']);

  const first = await getOrder(routes, owner, orderId);
  const etag = first.headers.get('etag')!;
  await untilNextPoll((await first.json()) as OrderView);
  const statuses = (
    await Promise.all(
      Array.from({ length: 2 }, () => getOrder(routes, owner, orderId, { 'if-none-match': etag })),
    )
  ).map((response) => response.status);
  expect(statuses.sort()).toEqual([304, 429]);
});
