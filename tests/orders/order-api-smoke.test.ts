import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, startOfflineStack, type OfflineStack } from '../support/offline-stack';

let stack: OfflineStack;
beforeAll(async () => {
  stack = await startOfflineStack();
}, 60_000);
afterAll(() => stack?.close());

it('accepts an order with 202 and answers an early unchanged poll with 429', async () => {
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
    status: 'PENDING',
    executionArn: expect.stringContaining(':execution:OrderWorkflow:'),
  });
  const get = (id: string) =>
    GET(
      new Request(`http://shop.test/api/orders/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      }),
      {
        params: Promise.resolve({ id }),
      },
    );
  const first = await get(body.orderId);
  expect(first.status).toBe(200);
  const view = await first.json();
  const second = await get(body.orderId);
  // Either the workflow moved on (200) or nothing changed and it is too early (429).
  if (second.status === 429) expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
  else expect((await second.json()).seq).toBeGreaterThan(view.seq);
});
