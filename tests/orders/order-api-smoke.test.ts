import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { DEMO_ACCOUNTS, startOfflineStack, type OfflineStack } from '../support/offline-stack';
import { documentClient, tablesOf, waitForStatus } from './order-api';

let stack: OfflineStack;
beforeAll(async () => {
  stack = await startOfflineStack();
}, 60_000);
afterAll(() => {
  vi.unstubAllEnvs();
  return stack?.close();
});

it('accepts an order with 202 and answers an early unchanged poll with 429', async () => {
  // Real-time poll schedule: the warehouse step advises asking again in about two minutes.
  vi.stubEnv('ORDER_POLL_TIME_SCALE', '1');
  const { POST } = await import('../../app/api/orders/route');
  const { GET } = await import('../../app/api/orders/[id]/route');
  const token = await stack.idToken(DEMO_ACCOUNTS.shopper);
  const response = await POST(
    new Request('http://shop.test/api/orders', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': crypto.randomUUID(),
      },
      body: JSON.stringify({
        shippingAddress: {
          fullName: 'Ada',
          email: 'ada@example.com',
          line1: '1 Row',
          city: 'London',
          postalCode: 'N1 9GU',
          country: 'GB',
        },
        payment: { cardNumber: '4242424242424242', expiry: '12/39', cvc: '123' },
        lines: [{ sku: 'ethiopia-guji', quantity: 1 }],
      }),
    }),
  );
  expect(response.status).toBe(202);
  const body = await response.json();
  expect(body).toMatchObject({
    // The backend takes orders through its intake queue (see amplify/intake/intake-mode.ts).
    status: 'QUEUED',
    executionArn: expect.stringContaining(':execution:OrderWorkflow:'),
  });
  // The order now waits on the warehouse, which nobody here answers: its seq stays put.
  await waitForStatus(documentClient(stack), tablesOf(stack), body.orderId, ['AWAITING_WAREHOUSE']);
  const get = (id: string, headers: Record<string, string> = {}) =>
    GET(
      new Request(`http://shop.test/api/orders/${id}`, {
        headers: { authorization: `Bearer ${token}`, ...headers },
      }),
      {
        params: Promise.resolve({ id }),
      },
    );
  const first = await get(body.orderId);
  expect(first.status).toBe(200);
  expect(await first.json()).toMatchObject({ status: 'AWAITING_WAREHOUSE' });
  const etag = first.headers.get('etag')!;
  const advised = Number(first.headers.get('retry-after'));
  expect(advised).toBeGreaterThan(0);
  // Same ETag (nothing changed), asked at once instead of after Retry-After: too early.
  const second = await get(body.orderId, { 'if-none-match': etag });
  expect(second.status).toBe(429);
  const retryAfter = Number(second.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(advised);
});
