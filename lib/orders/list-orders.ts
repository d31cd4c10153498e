import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderItem } from '@/amplify/functions/shared/order-item';
import type { OrderStatus } from '@/amplify/functions/shared/order-status';
import { ORDERS_TABLE } from '@/amplify/functions/shared/table-schema';
import type { Caller } from '@/lib/auth/verify-token';
import { dynamo } from '@/lib/aws/clients';
import { loadOutputs } from '@/lib/config/outputs';
import type { ProblemDetails } from '@/lib/http/problem';
import { isOrderId } from '@/amplify/functions/shared/order-id';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface OrderSummary {
  orderId: string;
  status: OrderStatus;
  createdAt: string;
  totalCents: number;
  currency: string;
  itemCount: number;
}

export interface OrderPage {
  orders: OrderSummary[];
  /** Present only when more orders follow: pass it back as `?cursor=`. */
  nextCursor?: string;
}

export interface ListQuery {
  limit: number;
  cursor?: string;
}

/** The fields of an Orders item a summary and the byOwner index need. */
type SummaryItem = Pick<
  OrderItem,
  'orderId' | 'ownerSub' | 'createdAt' | 'orderStatus' | 'totalCents' | 'currency' | 'lines'
>;

/** Reads `?limit=` (1–100, default 20) and `?cursor=`; anything else about them is a 400. */
export function parseListQuery(
  url: URL,
): { ok: true; query: ListQuery } | { ok: false; problem: ProblemDetails } {
  const errors: Record<string, string> = {};
  const limits = url.searchParams.getAll('limit');
  const cursors = url.searchParams.getAll('cursor');
  let limit = DEFAULT_PAGE_SIZE;
  if (limits.length > 1) errors.limit = 'Send `limit` at most once.';
  else if (limits.length === 1) {
    const value = limits[0]!;
    limit = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
    if (!(limit >= 1 && limit <= MAX_PAGE_SIZE)) {
      errors.limit = `\`limit\` must be a whole number from 1 to ${MAX_PAGE_SIZE}.`;
    }
  }
  if (cursors.length > 1) errors.cursor = 'Send `cursor` at most once.';
  else if (cursors.length === 1 && cursorOrderId(cursors[0]!) === undefined) {
    errors.cursor = invalidCursorMessage;
  }
  if (Object.keys(errors).length > 0) return { ok: false, problem: invalidQuery(errors) };
  return { ok: true, query: { limit, ...(cursors[0] ? { cursor: cursors[0] } : {}) } };
}

const invalidCursorMessage =
  'This cursor was not issued for your orders. Start again without `cursor`.';

export function invalidQuery(errors: Record<string, string>): ProblemDetails {
  return {
    type: '/problems/invalid-query',
    status: 400,
    title: 'Invalid query parameters',
    detail: 'Correct the parameters listed in `errors` and try again.',
    errors,
  };
}

export type ListOrdersResult = { kind: 'ok'; page: OrderPage } | { kind: 'invalid-cursor' };

/**
 * One page of the caller's orders, newest first. The cursor names the last order of the
 * previous page; it is looked up and must belong to the caller, and the query is always on
 * the caller's own partition of the byOwner index, so no cursor reaches another shopper's
 * orders. One item more than the page is read, so `nextCursor` is given only when more follow.
 */
export async function listOrders(caller: Caller, query: ListQuery): Promise<ListOrdersResult> {
  const table = loadOutputs().custom.ordersTableName;
  let startKey: Record<string, string> | undefined;
  if (query.cursor !== undefined) {
    const orderId = cursorOrderId(query.cursor);
    if (orderId === undefined) return { kind: 'invalid-cursor' };
    const { Item } = await dynamo().send(
      new GetCommand({
        TableName: table,
        Key: { orderId },
        ProjectionExpression: 'orderId, ownerSub, createdAt',
      }),
    );
    const after = Item as Pick<SummaryItem, 'orderId' | 'ownerSub' | 'createdAt'> | undefined;
    if (!after || after.ownerSub !== caller.sub) return { kind: 'invalid-cursor' };
    startKey = { orderId, ownerSub: caller.sub, createdAt: after.createdAt };
  }

  const { Items = [] } = await dynamo().send(
    new QueryCommand({
      TableName: table,
      IndexName: ORDERS_TABLE.byOwnerIndex.name,
      KeyConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#owner': ORDERS_TABLE.byOwnerIndex.partitionKey },
      ExpressionAttributeValues: { ':owner': caller.sub },
      ScanIndexForward: false,
      Limit: query.limit + 1,
      ExclusiveStartKey: startKey,
    }),
  );
  const items = (Items as SummaryItem[]).slice(0, query.limit);
  const last = items.at(-1);
  return {
    kind: 'ok',
    page: {
      orders: items.map(toSummary),
      ...(Items.length > query.limit && last ? { nextCursor: cursorFor(last.orderId) } : {}),
    },
  };
}

export function invalidCursorProblem(): ProblemDetails {
  return invalidQuery({ cursor: invalidCursorMessage });
}

function toSummary(order: SummaryItem): OrderSummary {
  return {
    orderId: order.orderId,
    status: order.orderStatus,
    createdAt: order.createdAt,
    totalCents: order.totalCents,
    currency: order.currency,
    itemCount: order.lines.reduce((sum, line) => sum + line.quantity, 0),
  };
}

// Opaque to clients (they must not build or edit one); versioned so the format can change.
function cursorFor(orderId: string): string {
  return Buffer.from(`o1:${orderId}`).toString('base64url');
}

function cursorOrderId(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('o1:')) return undefined;
  const orderId = text.slice(3);
  return isOrderId(orderId) ? orderId : undefined;
}
