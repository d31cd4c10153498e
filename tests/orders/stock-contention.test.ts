import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOfflineStack, type OfflineStack } from '../support/offline-stack';
import {
  documentClient,
  loadRoutes,
  orderBody,
  postOrder,
  sleep,
  stockOf,
  tablesOf,
  viewOf,
  waitForStatus,
} from './order-api';

const SKU = 'ethiopia-guji';
const IN_STOCK = 10;
const ORDERS = 50;
const SHOPPERS = 5;

let stack: OfflineStack;
beforeAll(async () => {
  stack = await startOfflineStack({ stock: { [SKU]: IN_STOCK }, timeScale: 20 });
}, 60_000);
afterAll(() => stack?.close());

it('sells exactly the stock when 50 orders race for 10 items', async () => {
  const routes = await loadRoutes();
  const tables = tablesOf(stack);
  const db = documentClient(stack);
  const tokens: string[] = [];
  for (let i = 0; i < SHOPPERS; i++) tokens.push(await stack.shopper(`racer-${i}@example.com`));

  // Sample the stock the whole time the orders run: it must never dip below zero.
  const samples: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const available = await stockOf(db, tables, SKU);
      if (available !== undefined) samples.push(available);
      await sleep(5);
    }
  })();

  const responses = await Promise.all(
    Array.from({ length: ORDERS }, (_, i) =>
      postOrder(routes, tokens[i % SHOPPERS], orderBody({ sku: SKU, quantity: 1 })),
    ),
  );
  expect(responses.map((r) => r.status)).toEqual(Array(ORDERS).fill(202));
  const placed = await Promise.all(
    responses.map(async (r, i) => ({
      orderId: ((await r.json()) as { orderId: string }).orderId,
      token: tokens[i % SHOPPERS]!,
    })),
  );
  expect(new Set(placed.map((p) => p.orderId)).size).toBe(ORDERS);

  const finals = await Promise.all(
    placed.map((p) =>
      waitForStatus(db, tables, p.orderId, ['AWAITING_WAREHOUSE', 'FAILED', 'SHIPPED'], 90_000),
    ),
  );
  sampling = false;
  await sampler;

  const byStatus = (status: string) => finals.filter((item) => item.orderStatus === status);
  expect(byStatus('AWAITING_WAREHOUSE')).toHaveLength(IN_STOCK);
  expect(byStatus('FAILED')).toHaveLength(ORDERS - IN_STOCK);
  expect(samples.length).toBeGreaterThan(10);
  expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
  expect(await stockOf(db, tables, SKU)).toBe(0);

  // Every failed order failed on stock, was never charged, and went through release.
  for (const item of byStatus('FAILED')) {
    expect(item.reservation).toBeUndefined();
    expect(item.payment).toBeUndefined();
  }
  const failedIds = new Set(byStatus('FAILED').map((item) => item.orderId));
  const failed = placed.filter((p) => failedIds.has(p.orderId));
  const views = await Promise.all(failed.map((p) => viewOf(routes, p.token, p.orderId)));
  for (const view of views) {
    expect(view.status).toBe('FAILED');
    const reserve = view.steps.find((s) => s.step === 'ReserveInventory');
    expect(reserve).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(reserve?.message).toMatch(/^OutOfStock/);
    expect(view.steps.find((s) => s.step === 'ChargePayment')).toBeUndefined();
    const release = view.steps.find((s) => s.step === 'ReleaseInventory');
    expect(release?.status).toBe('SUCCEEDED');
    expect(view.nextPollAt).toBeNull();
  }

  // The reserved ones hold exactly one unit each.
  for (const item of byStatus('AWAITING_WAREHOUSE')) {
    expect(item.reservation).toMatchObject({ lines: [{ sku: SKU, quantity: 1 }] });
    expect(item.payment).toMatchObject({ status: 'CHARGED' });
  }
}, 150_000);
