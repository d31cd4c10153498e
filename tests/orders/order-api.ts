import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { readFileSync } from 'node:fs';
import type { OrderStatus } from '../../amplify/functions/shared/order-status';
import type { OrderView } from '../../lib/orders/read-order';
import type { OfflineStack } from '../support/offline-stack';

/**
 * What the order integration tests share: request builders that call the route handlers the way
 * Next.js would (a WHATWG `Request` in, a `Response` out), and direct table reads for the things
 * the API must not be used for (waiting on progress would trip the polling throttle).
 */
export const CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  transient: '4000000000000119',
} as const;

export interface OrderBody {
  shippingAddress: Record<string, unknown>;
  payment: Record<string, unknown>;
  lines: { sku: string; quantity: number }[];
}

export function orderBody(
  options: { sku?: string; quantity?: number; card?: string; name?: string } = {},
): OrderBody {
  return {
    shippingAddress: {
      fullName: options.name ?? 'Ada Lovelace',
      email: 'ada@example.com',
      line1: '1 Harbour Row',
      city: 'London',
      postalCode: 'N1 9GU',
      country: 'GB',
    },
    payment: { cardNumber: options.card ?? CARDS.success, expiry: '12/39', cvc: '123' },
    lines: [{ sku: options.sku ?? 'ethiopia-guji', quantity: options.quantity ?? 1 }],
  };
}

type Routes = {
  orders: typeof import('../../app/api/orders/route');
  order: typeof import('../../app/api/orders/[id]/route');
  tasks: typeof import('../../app/api/warehouse/tasks/route');
  task: typeof import('../../app/api/warehouse/tasks/[orderId]/route');
};

/** Route modules are imported after the stack set the environment they read. */
export async function loadRoutes(): Promise<Routes> {
  return {
    orders: await import('../../app/api/orders/route'),
    order: await import('../../app/api/orders/[id]/route'),
    tasks: await import('../../app/api/warehouse/tasks/route'),
    task: await import('../../app/api/warehouse/tasks/[orderId]/route'),
  };
}

const BASE = 'http://shop.test';

export function postOrder(
  routes: Routes,
  token: string | undefined,
  body: unknown,
  key: string | undefined = crypto.randomUUID(),
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (key) headers['idempotency-key'] = key;
  return routes.orders.POST(
    new Request(`${BASE}/api/orders`, { method: 'POST', headers, body: JSON.stringify(body) }),
  );
}

export function getOrder(
  routes: Routes,
  token: string | undefined,
  id: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return routes.order.GET(
    new Request(`${BASE}/api/orders/${id}`, {
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    }),
    { params: Promise.resolve({ id }) },
  );
}

export function decide(
  routes: Routes,
  token: string,
  orderId: string,
  decision: { decision: 'packed' } | { decision: 'rejected'; reason: string },
): Promise<Response> {
  return routes.task.POST(
    new Request(`${BASE}/api/warehouse/tasks/${orderId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(decision),
    }),
    { params: Promise.resolve({ orderId }) },
  );
}

export function listTasks(routes: Routes, token: string): Promise<Response> {
  return routes.tasks.GET(
    new Request(`${BASE}/api/warehouse/tasks`, { headers: { authorization: `Bearer ${token}` } }),
  );
}

export interface Tables {
  orders: string;
  inventory: string;
  idempotency: string;
  workflowArn: string;
}

/** Table names and the state machine, read from the outputs file the stack wrote. */
export function tablesOf(stack: OfflineStack): Tables {
  const { custom } = JSON.parse(readFileSync(stack.outputsPath, 'utf8')) as {
    custom: Record<string, string>;
  };
  return {
    orders: custom.ordersTableName!,
    inventory: custom.inventoryTableName!,
    idempotency: custom.idempotencyTableName!,
    workflowArn: custom.orderWorkflowArn!,
  };
}

export function documentClient(stack: OfflineStack): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.cloud.url,
      region: stack.cloud.region,
      credentials: {
        accessKeyId: process.env.AWS_ACCESS_KEY_ID!,
        secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY!,
      },
    }),
  );
}

export async function stockOf(db: DynamoDBDocumentClient, tables: Tables, sku: string) {
  const { Item } = await db.send(
    new GetCommand({ TableName: tables.inventory, Key: { sku }, ConsistentRead: true }),
  );
  return Item?.available as number | undefined;
}

/** The raw Orders item (includes what the API does not show: payment, reservation, shipment). */
export async function orderItem(db: DynamoDBDocumentClient, tables: Tables, orderId: string) {
  const { Item } = await db.send(
    new GetCommand({ TableName: tables.orders, Key: { orderId }, ConsistentRead: true }),
  );
  return Item as (Record<string, unknown> & { orderStatus: OrderStatus; seq: number }) | undefined;
}

export async function scanAll(db: DynamoDBDocumentClient, table: string) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Waits (reading the table, not polling the API) until the order reaches one of `statuses`. */
export async function waitForStatus(
  db: DynamoDBDocumentClient,
  tables: Tables,
  orderId: string,
  statuses: OrderStatus[],
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const item = await orderItem(db, tables, orderId);
    if (item && statuses.includes(item.orderStatus)) return item;
    if (Date.now() > deadline) {
      throw new Error(
        `order ${orderId} is ${item?.orderStatus ?? 'missing'}, expected ${statuses.join('|')}`,
      );
    }
    await sleep(50);
  }
}

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function problemOf(response: Response) {
  return (await response.json()) as { title?: string; status?: number; errors?: object };
}

/** A view read through the API; the first read of an order by a user is never throttled. */
export async function viewOf(routes: Routes, token: string, orderId: string): Promise<OrderView> {
  const response = await getOrder(routes, token, orderId);
  if (response.status !== 200) throw new Error(`GET order answered ${response.status}`);
  return (await response.json()) as OrderView;
}
