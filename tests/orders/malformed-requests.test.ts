import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOfflineStack, type OfflineStack } from '../support/offline-stack';
import {
  CARDS,
  documentClient,
  loadRoutes,
  orderBody,
  postOrder,
  scanAll,
  tablesOf,
  type OrderBody,
} from './order-api';

const SEED = 0x6f726472; // "ordr": change it to explore, keep it fixed to reproduce.
const COUNT = 500;

/** mulberry32: a tiny deterministic PRNG, so a failing case can be regenerated exactly. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
type Random = ReturnType<typeof prng>;

interface BadRequest {
  kind: string;
  expected: number;
  headers: Record<string, string | undefined>;
  body: string | Uint8Array;
}

/** Starts from a valid request and breaks exactly one thing about it. */
function generate(random: Random, token: string): BadRequest {
  const valid = (): OrderBody => orderBody();
  const headers = (): Record<string, string | undefined> => ({
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    'idempotency-key': crypto.randomUUID(),
  });
  const json = (body: unknown) => JSON.stringify(body);
  /** `mutate` edits the valid body in place, or returns `{ replace }` to send something else. */
  const withBody = (
    kind: string,
    mutate: (body: OrderBody) => void | { replace: unknown },
  ): BadRequest => {
    const body = valid();
    const result = mutate(body);
    return { kind, expected: 422, headers: headers(), body: json(result ? result.replace : body) };
  };

  const makers: (() => BadRequest)[] = [
    () => ({
      kind: 'content-type',
      expected: 415,
      headers: {
        ...headers(),
        'content-type': random.pick([
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/jsonp',
          'application/xml',
          undefined,
        ]),
      },
      body: json(valid()),
    }),
    () => ({
      kind: 'bad-json',
      expected: 400,
      headers: headers(),
      body: random.pick([
        '',
        '{',
        '{"lines": [}',
        json(valid()).slice(0, 1 + random.int(json(valid()).length - 2)),
        "{'lines': []}",
        '{"a":1,}',
        'undefined',
        'NaN',
      ]),
    }),
    () => ({
      kind: 'binary-body',
      expected: 400,
      headers: headers(),
      body: Uint8Array.from({ length: 1 + random.int(200) }, () => 128 + random.int(128)),
    }),
    () => {
      const body = valid();
      const padding = 16 * 1024 + 1 + random.int(64 * 1024);
      body.shippingAddress.line2 = 'x'.repeat(padding);
      const text = json(body);
      const declared = random.next() < 0.5;
      return {
        kind: 'oversized',
        expected: 413,
        headers: { ...headers(), 'content-length': declared ? String(text.length) : undefined },
        body: text,
      };
    },
    () => ({
      kind: 'idempotency-key',
      expected: 400,
      headers: {
        ...headers(),
        'idempotency-key': random.pick([
          undefined,
          '',
          'not-a-uuid',
          '12345',
          '00000000-0000-0000-0000-000000000000',
          `${crypto.randomUUID()}x`,
          crypto.randomUUID().replace(/-/g, ''),
          '"' + crypto.randomUUID() + '"',
        ]),
      },
      body: json(valid()),
    }),
    () =>
      withBody('unknown-sku', (body) => {
        body.lines[0]!.sku = random.pick(['no-such-coffee', '', 'ETHIOPIA-GUJI', '../admin', 'x']);
      }),
    () =>
      withBody('quantity', (body) => {
        (body.lines[0] as { quantity: unknown }).quantity = random.pick([
          0,
          -1,
          11,
          1.5,
          '2',
          null,
          1e9,
          true,
          [],
        ]);
      }),
    () =>
      withBody('lines', (body) => {
        const choice = random.int(5);
        if (choice === 0) body.lines = [];
        if (choice === 1)
          body.lines = Array.from({ length: 21 + random.int(30) }, (_, i) => ({
            sku: `sku-${i}`,
            quantity: 1,
          }));
        if (choice === 2) body.lines = [body.lines[0]!, body.lines[0]!];
        if (choice === 3) (body as { lines: unknown }).lines = 'ethiopia-guji';
        if (choice === 4) delete (body as Partial<OrderBody>).lines;
      }),
    () =>
      withBody('address', (body) => {
        const broken: [string, unknown][] = [
          ['fullName', ''],
          ['fullName', 'x'.repeat(101)],
          ['email', 'not-an-email'],
          ['email', ''],
          ['line1', '   '],
          ['city', 'c'.repeat(61)],
          ['postalCode', '!!'],
          ['postalCode', ''],
          ['country', 'XX'],
          ['country', 'gb'],
          ['fullName', 42],
        ];
        const [field, value] = random.pick(broken);
        body.shippingAddress[field] = value;
        if (random.next() < 0.2) delete body.shippingAddress[field];
      }),
    () =>
      withBody('card', (body) => {
        const broken: [string, unknown][] = [
          ['cardNumber', '4111111111111111'], // a real-looking card: refused in a demo
          ['cardNumber', '4242424242424241'], // fails Luhn
          ['cardNumber', '42'],
          ['cardNumber', ''],
          ['expiry', '01/20'],
          ['expiry', '13/30'],
          ['expiry', 'soon'],
          ['cvc', 'abc'],
          ['cvc', '12'],
          ['cvc', 12345],
        ];
        const [field, value] = random.pick(broken);
        body.payment[field] = value;
      }),
    () =>
      withBody('not-an-object', () => ({
        replace: random.pick([
          [],
          null,
          1,
          'order',
          { lines: [{ sku: 'ethiopia-guji', quantity: 1 }] },
        ]),
      })),
    () => ({
      kind: 'auth',
      expected: 401,
      headers: {
        ...headers(),
        authorization: random.pick([
          undefined,
          '',
          'Bearer',
          'Bearer not.a.jwt',
          `Basic ${Buffer.from('a:b').toString('base64')}`,
          `Bearer ${tamper(token)}`,
          token,
        ]),
      },
      body: json(valid()),
    }),
  ];
  return random.pick(makers)();
}

/** The same token with one signature character changed: well-formed, but forged. */
function tamper(token: string): string {
  const at = token.length - 5;
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
}

let stack: OfflineStack;
beforeAll(async () => {
  stack = await startOfflineStack();
}, 60_000);
afterAll(() => stack?.close());

it(`answers ${COUNT} generated malformed orders with 4xx problem+json and writes nothing`, async () => {
  const routes = await loadRoutes();
  const tables = tablesOf(stack);
  const db = documentClient(stack);
  const token = await stack.shopper('fuzzer@example.com');
  const ordersBefore = await scanAll(db, tables.orders);
  const keysBefore = await scanAll(db, tables.idempotency);

  const random = prng(SEED);
  const requests = Array.from({ length: COUNT }, () => generate(random, token));
  const kinds = new Set(requests.map((r) => r.kind));
  expect(kinds.size).toBe(12);

  const mismatches: string[] = [];
  // Batches of 25: concurrent like real traffic, bounded so two shared cores keep up.
  for (let start = 0; start < requests.length; start += 25) {
    const batch = requests.slice(start, start + 25);
    const responses = await Promise.all(
      batch.map((bad) => {
        const headers = Object.fromEntries(
          Object.entries(bad.headers).filter((entry): entry is [string, string] => !!entry[1]),
        );
        return routes.orders.POST(
          new Request('http://shop.test/api/orders', {
            method: 'POST',
            headers,
            body: bad.body as BodyInit,
          }),
        );
      }),
    );
    for (const [i, response] of responses.entries()) {
      const bad = batch[i]!;
      const type = response.headers.get('content-type');
      const problem = (await response.json().catch(() => ({}))) as {
        title?: unknown;
        errors?: Record<string, string>;
      };
      // Field errors are what let a form point at the input to correct.
      const fieldErrors = bad.expected !== 422 || Object.keys(problem.errors ?? {}).length > 0;
      const ok =
        response.status === bad.expected &&
        type === 'application/problem+json' &&
        typeof problem.title === 'string' &&
        problem.title.length > 0 &&
        fieldErrors;
      if (!ok) {
        mismatches.push(
          `#${start + i} ${bad.kind}: ${response.status} ${type} (expected ${bad.expected})`,
        );
      }
    }
  }
  expect(mismatches).toEqual([]);

  expect(await scanAll(db, tables.orders)).toEqual(ordersBefore);
  expect(await scanAll(db, tables.idempotency)).toEqual(keysBefore);

  // Still serving: a valid order goes through.
  const valid = await postOrder(routes, token, orderBody({ card: CARDS.success }));
  expect(valid.status).toBe(202);
  expect(await scanAll(db, tables.orders)).toHaveLength(ordersBefore.length + 1);
}, 60_000);
