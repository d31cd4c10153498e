import { describe, expect, it } from 'vitest';
import { MAX_ORDER_BODY_BYTES, parseOrderRequest } from './order-request';

const KEY = '0b8f3a52-5d1c-4c39-9a53-2f1f3cb1e6a1';
const valid = {
  shippingAddress: {
    fullName: 'Ada Lovelace',
    email: 'ada@example.com',
    line1: '12 Analytical Row',
    city: 'London',
    postalCode: 'N1 9GU',
    country: 'GB',
  },
  payment: { cardNumber: '4242 4242 4242 4242', expiry: '12/39', cvc: '123' },
  lines: [{ sku: 'ethiopia-guji', quantity: 2 }],
};

function request(body: unknown, headers: Record<string, string> = {}) {
  return new Request('http://shop.test/api/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': KEY, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function problemOf(req: Request) {
  const result = await parseOrderRequest(req);
  if (result.ok) throw new Error('expected a problem');
  return result.problem;
}

describe('parseOrderRequest', () => {
  it('accepts a valid order and keeps the exact body for idempotency checks', async () => {
    const result = await parseOrderRequest(request(valid));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.order.lines).toEqual([{ sku: 'ethiopia-guji', quantity: 2 }]);
    expect(result.order.payment.cardNumber).toBe('4242424242424242');
    expect(result.idempotencyKey).toBe(KEY);
    expect(JSON.parse(result.bodyText)).toEqual(valid);
  });

  it('415 for a body that is not JSON by content type', async () => {
    const problem = await problemOf(request(valid, { 'content-type': 'text/plain' }));
    expect(problem.status).toBe(415);
  });

  it('413 for a body over the limit, declared or not', async () => {
    const big = { ...valid, padding: 'x'.repeat(MAX_ORDER_BODY_BYTES) };
    expect((await problemOf(request(big))).status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      },
    });
    const chunked = new Request('http://shop.test/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': KEY },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect((await problemOf(chunked)).status).toBe(413);
  });

  it('400 without a UUID Idempotency-Key', async () => {
    const without = new Request('http://shop.test/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(valid),
    });
    expect((await problemOf(without)).title).toBe('Idempotency-Key required');
    expect((await problemOf(request(valid, { 'idempotency-key': 'abc' }))).status).toBe(400);
  });

  it('400 for malformed JSON', async () => {
    const problem = await problemOf(request('{"lines": ['));
    expect(problem).toMatchObject({ status: 400, title: 'Malformed JSON' });
  });

  it('422 with field errors for unknown products, bad quantities and too many lines', async () => {
    const problem = await problemOf(
      request({
        ...valid,
        lines: [
          { sku: 'no-such-product', quantity: 1 },
          { sku: 'ethiopia-guji', quantity: 11 },
          { sku: 'assam-breakfast', quantity: 1.5 },
        ],
      }),
    );
    expect(problem.status).toBe(422);
    expect(problem.errors).toMatchObject({
      'lines.0.sku': 'This product is not in the catalog.',
      'lines.1.quantity': 'Quantity must be at most 10.',
      'lines.2.quantity': 'Quantity must be a whole number.',
    });
    const tooMany = Array.from({ length: 21 }, () => ({ sku: 'ethiopia-guji', quantity: 1 }));
    expect((await problemOf(request({ ...valid, lines: tooMany }))).errors?.lines).toMatch(
      /at most 20 lines/,
    );
  });

  it('422 for an empty order, duplicate lines or a bad address', async () => {
    expect((await problemOf(request({ ...valid, lines: [] }))).errors?.lines).toMatch(
      /at least one/,
    );
    const dup = [valid.lines[0], valid.lines[0]];
    expect((await problemOf(request({ ...valid, lines: dup }))).errors?.lines).toMatch(/one line/);
    const noCity = { ...valid, shippingAddress: { ...valid.shippingAddress, city: '' } };
    expect((await problemOf(request(noCity))).errors?.['shippingAddress.city']).toBeDefined();
    expect((await problemOf(request(null))).status).toBe(422);
  });

  it('422 unknown-members naming every unknown member by its JSON path, nested too', async () => {
    const problem = await problemOf(
      request({
        ...valid,
        giftWrap: true,
        shippingAddress: { ...valid.shippingAddress, 'gift note': 'hi' },
        payment: { ...valid.payment, saveCard: true },
        lines: [{ ...valid.lines[0], colour: 'red' }],
      }),
    );
    expect(problem).toMatchObject({ type: '/problems/unknown-members', status: 422 });
    expect([...(problem.unknown as string[])].sort()).toEqual(
      ['giftWrap', 'lines[0].colour', 'payment.saveCard', 'shippingAddress["gift note"]'].sort(),
    );
    expect(problem.errors).toBeUndefined();
  });

  it('names unknown members and lists the other invalid fields in one answer', async () => {
    const problem = await problemOf(
      request({ ...valid, lines: [{ sku: 'ethiopia-guji', quantity: 0, qty: 1 }] }),
    );
    expect(problem.type).toBe('/problems/unknown-members');
    expect(problem.unknown).toEqual(['lines[0].qty']);
    expect(problem.errors).toEqual({ 'lines.0.quantity': 'Quantity must be at least 1.' });
  });
});
