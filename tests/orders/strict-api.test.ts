import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../scripts/demo-seed';
import { startOfflineStack, type OfflineStack } from '../support/offline-stack';
import {
  documentClient,
  listTasks,
  loadRoutes,
  orderBody,
  postOrder,
  tablesOf,
  type Tables,
} from './order-api';

let stack: OfflineStack;
let routes: Awaited<ReturnType<typeof loadRoutes>>;
let tables: Tables;
let db: ReturnType<typeof documentClient>;

beforeAll(async () => {
  stack = await startOfflineStack();
  routes = await loadRoutes();
  tables = tablesOf(stack);
  db = documentClient(stack);
}, 60_000);
afterAll(() => stack?.close());

/** A window far longer than the test, so no window boundary falls inside it. */
const LONG_WINDOW = String(10_000_000);

function withSubmitLimit(limit: number) {
  process.env.ORDER_SUBMIT_LIMIT = String(limit);
  process.env.ORDER_SUBMIT_WINDOW_SECONDS = LONG_WINDOW;
}

function subOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string })
    .sub;
}

function listOrders(token: string, query = ''): Promise<Response> {
  return routes.orders.GET(
    new Request(`http://shop.test/api/orders${query}`, {
      headers: { authorization: `Bearer ${token}` },
    }),
  );
}

async function problem(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return (await response.json()) as {
    type: string;
    status: number;
    unknown?: string[];
    errors?: Record<string, string>;
  };
}

describe('unknown members', () => {
  it('422 unknown-members naming them by JSON path, nested too, and records nothing', async () => {
    withSubmitLimit(100);
    const token = await stack.shopper('strict-unknown@example.com');
    const body = orderBody();
    const key = crypto.randomUUID();
    const response = await postOrder(
      routes,
      token,
      {
        ...body,
        giftWrap: true,
        shippingAddress: { ...body.shippingAddress, floor: 3 },
        lines: [{ ...body.lines[0], colour: 'red' }],
      },
      key,
    );
    expect(response.status).toBe(422);
    const details = await problem(response);
    expect(details.type).toBe('/problems/unknown-members');
    expect(details.status).toBe(422);
    expect([...details.unknown!].sort()).toEqual(
      ['giftWrap', 'lines[0].colour', 'shippingAddress.floor'].sort(),
    );
    const { Item } = await db.send(
      new GetCommand({
        TableName: tables.idempotency,
        Key: { key: `order#${subOf(token)}#${key}` },
        ConsistentRead: true,
      }),
    );
    expect(Item).toBeUndefined();
    // The same order without them is accepted.
    expect((await postOrder(routes, token, body)).status).toBe(202);
  });
});

describe('GET /api/orders paging', () => {
  let owner: string;
  let placed: string[];

  beforeAll(async () => {
    withSubmitLimit(100);
    owner = await stack.shopper('strict-pager@example.com');
    placed = [];
    for (let i = 0; i < 5; i++) {
      const response = await postOrder(routes, owner, orderBody());
      expect(response.status).toBe(202);
      placed.push(((await response.json()) as { orderId: string }).orderId);
    }
  });

  type Page = { orders: { orderId: string; createdAt: string }[]; nextCursor?: string };

  it('walks every order once, newest first, with nextCursor only while more follow', async () => {
    const seen: Page['orders'] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const query = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const response = await listOrders(owner, query);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const page = (await response.json()) as Page;
      sizes.push(page.orders.length);
      seen.push(...page.orders);
      cursor = page.nextCursor;
    } while (cursor && sizes.length < 10);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen.map((o) => o.orderId).sort()).toEqual([...placed].sort());
    const times = seen.map((o) => o.createdAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('defaults to 20 a page: all five, no nextCursor', async () => {
    const page = (await (await listOrders(owner)).json()) as Page;
    expect(page.orders).toHaveLength(5);
    expect(page).not.toHaveProperty('nextCursor');
  });

  it.each(['0', '101', 'abc', '1.5', '', '-1', '20&limit=30'])(
    '400 invalid-query for limit=%s',
    async (limit) => {
      const response = await listOrders(owner, `?limit=${limit}`);
      expect(response.status).toBe(400);
      const details = await problem(response);
      expect(details.type).toBe('/problems/invalid-query');
      expect(details.errors).toHaveProperty('limit');
    },
  );

  it('400 invalid-query for forged cursors', async () => {
    const forged = [
      'not a cursor',
      'abc',
      Buffer.from(`o1:${crypto.randomUUID()}`).toString('base64url'),
      Buffer.from(`o2:${placed[0]}`).toString('base64url'),
    ];
    for (const cursor of forged) {
      const response = await listOrders(owner, `?cursor=${encodeURIComponent(cursor)}`);
      expect(response.status, cursor).toBe(400);
      const details = await problem(response);
      expect(details.type).toBe('/problems/invalid-query');
      expect(details.errors).toHaveProperty('cursor');
    }
  });

  it("another shopper's cursor is refused and their list holds none of these orders", async () => {
    const other = await stack.shopper('strict-other@example.com');
    const first = (await (await listOrders(owner, '?limit=1')).json()) as Page;
    expect(first.nextCursor).toBeDefined();
    const response = await listOrders(other, `?cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(response.status).toBe(400);
    expect((await problem(response)).type).toBe('/problems/invalid-query');
    const theirs = (await (await listOrders(other)).json()) as Page;
    expect(theirs.orders.filter((o) => placed.includes(o.orderId))).toEqual([]);
  });
});

describe('submission rate limit', () => {
  it('429 too-many-orders with Retry-After past the limit; a repeated key is still answered', async () => {
    withSubmitLimit(3);
    const token = await stack.shopper('strict-flood@example.com');
    const keys = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const body = orderBody();
    const accepted: string[] = [];
    for (const key of keys) {
      const response = await postOrder(routes, token, body, key);
      expect(response.status).toBe(202);
      accepted.push(((await response.json()) as { orderId: string }).orderId);
    }

    const refused = await postOrder(routes, token, body);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(Number(LONG_WINDOW));
    const details = await problem(refused);
    expect(details).toMatchObject({ type: '/problems/too-many-orders', status: 429 });

    // An idempotent repeat is not a new submission: answered as before, even at the limit.
    const repeat = await postOrder(routes, token, body, keys[0]);
    expect(repeat.status).toBe(202);
    expect(((await repeat.json()) as { orderId: string }).orderId).toBe(accepted[0]);

    // The allowance is per shopper.
    const someoneElse = await stack.shopper('strict-calm@example.com');
    expect((await postOrder(routes, someoneElse, body)).status).toBe(202);
  });

  it('concurrent submissions cannot overshoot the limit', async () => {
    withSubmitLimit(3);
    const token = await stack.shopper('strict-burst@example.com');
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => postOrder(routes, token, orderBody())),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 202, 202, 429, 429, 429, 429, 429]);
  });

  it('repeats of one key count once', async () => {
    withSubmitLimit(2);
    const token = await stack.shopper('strict-retrier@example.com');
    const key = crypto.randomUUID();
    const body = orderBody();
    for (let i = 0; i < 4; i++)
      expect((await postOrder(routes, token, body, key)).status).toBe(202);
    // One allowance left after four sends of one order.
    expect((await postOrder(routes, token, body)).status).toBe(202);
    expect((await postOrder(routes, token, body)).status).toBe(429);
  });
});

describe('warehouse work list', () => {
  it('lists an order only once it is recorded as waiting for the warehouse', async () => {
    const staff = await stack.idToken(DEMO_ACCOUNTS.warehouse);
    const orderId = crypto.randomUUID();
    const now = new Date().toISOString();
    // As AwaitWarehouse leaves it between listing the order and recording its status.
    await db.send(
      new PutCommand({
        TableName: tables.orders,
        Item: {
          orderId,
          ownerSub: 'someone',
          createdAt: now,
          updatedAt: now,
          orderStatus: 'PROCESSING',
          currentStep: 'ChargePayment',
          seq: 3,
          warehouseStatus: 'AWAITING',
          awaitingSince: now,
          warehouseDeadline: now,
          heartbeatSeconds: 60,
          taskToken: 'token',
          lines: [{ sku: 'ethiopia-guji', quantity: 1, unitPriceCents: 1800 }],
          shippingAddress: {
            name: 'Ada',
            line1: '1 Row',
            city: 'London',
            postalCode: 'N1',
            country: 'GB',
          },
        },
      }),
    );
    const listed = async () => {
      const response = await listTasks(routes, staff);
      expect(response.status).toBe(200);
      const { tasks } = (await response.json()) as { tasks: { orderId: string }[] };
      return tasks.some((task) => task.orderId === orderId);
    };
    expect(await listed()).toBe(false);

    await db.send(
      new UpdateCommand({
        TableName: tables.orders,
        Key: { orderId },
        UpdateExpression: 'SET orderStatus = :s, currentStep = :step',
        ExpressionAttributeValues: { ':s': 'AWAITING_WAREHOUSE', ':step': 'AwaitWarehouse' },
      }),
    );
    expect(await listed()).toBe(true);
  });
});
