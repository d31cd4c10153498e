import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderStatus, OrderUpdate, StepName } from '@/amplify/functions/shared/order-status';
import type { OrderLine, ShippingAddress } from '@/amplify/functions/shared/workflow-types';
import type { Caller } from '@/lib/auth/verify-token';
import { dynamo } from '@/lib/aws/clients';
import { loadOutputs } from '@/lib/config/outputs';
import { isOrderId } from './order-id';
import {
  earlyPollRetryAfter,
  planNextPoll,
  unconditionalReadRetryAfter,
  type PollState,
} from './polling';
import { buildTimeline, isTerminal, type TimelineStep } from './timeline';

/** The Orders item as the API and the workflow write it. */
interface OrderItem {
  orderId: string;
  ownerSub: string;
  createdAt: string;
  updatedAt: string;
  orderStatus: OrderStatus;
  seq: number;
  updates?: OrderUpdate[];
  currentStep?: StepName;
  lines: OrderLine[];
  totalCents: number;
  currency: string;
  shippingAddress: ShippingAddress;
  cardLast4: string;
  executionArn?: string;
  /** Written by ShipOrder (`amplify/functions/ship-order`). */
  shipment?: { trackingNumber: string; carrier: string; shippedAt: string };
}

/** The order as the API shows it: the stored fields, a timeline, and when to poll next. */
export interface OrderView extends Pick<
  OrderItem,
  | 'orderId'
  | 'createdAt'
  | 'updatedAt'
  | 'seq'
  | 'lines'
  | 'totalCents'
  | 'currency'
  | 'shippingAddress'
  | 'cardLast4'
  | 'executionArn'
> {
  status: OrderStatus;
  /** The carrier's tracking number, once shipped. */
  trackingNumber?: string;
  steps: TimelineStep[];
  updates: OrderUpdate[];
  /** When a polling client may ask again; null once the order is final. */
  nextPollAt: string | null;
}

export const WAREHOUSE_GROUP = 'Warehouse';

/** Owners see their orders; warehouse staff see all. Anyone else gets "not found". */
async function readOrderFor(caller: Caller, orderId: string): Promise<OrderItem | undefined> {
  if (!isOrderId(orderId)) return undefined;
  const { Item } = await dynamo().send(
    new GetCommand({
      TableName: loadOutputs().custom.ordersTableName,
      Key: { orderId },
      ConsistentRead: true,
    }),
  );
  const order = Item as OrderItem | undefined;
  if (!order) return undefined;
  return order.ownerSub === caller.sub || caller.groups.includes(WAREHOUSE_GROUP)
    ? order
    : undefined;
}

function toView(order: OrderItem, nextPollAt: string | null): OrderView {
  const updates = order.updates ?? [];
  return {
    orderId: order.orderId,
    status: order.orderStatus,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    seq: order.seq,
    lines: order.lines,
    totalCents: order.totalCents,
    currency: order.currency,
    shippingAddress: order.shippingAddress,
    cardLast4: order.cardLast4,
    executionArn: order.executionArn,
    trackingNumber: order.shipment?.trackingNumber,
    steps: buildTimeline(updates),
    updates,
    nextPollAt,
  };
}

export type PollResult =
  | { kind: 'not-found' }
  | { kind: 'throttled'; retryAfterSeconds: number }
  | { kind: 'ok'; order: OrderView; etag: string }
  | { kind: 'not-modified'; etag: string; nextPollAt: string | null };

export function etagOf(order: Pick<OrderItem, 'orderId' | 'seq'>): string {
  return `W/"${order.orderId}-${order.seq}"`;
}

/**
 * A status read that is also a poll: it enforces and advances the caller's poll schedule for
 * this order (stored per user and order, so the throttle holds across server instances).
 * `ifNoneMatch` is the client's ETag: see `polling.ts` for how it decides what is throttled.
 */
export async function pollOrder(
  caller: Caller,
  orderId: string,
  ifNoneMatch?: string,
  now = Date.now(),
): Promise<PollResult> {
  const order = await readOrderFor(caller, orderId);
  if (!order) return { kind: 'not-found' };
  const etag = etagOf(order);
  const current = ifNoneMatch === etag;
  if (isTerminal(order.orderStatus)) {
    return current
      ? { kind: 'not-modified', etag, nextPollAt: null }
      : { kind: 'ok', order: toView(order, null), etag };
  }

  const { idempotencyTableName } = loadOutputs().custom;
  const key = `poll#${caller.sub}#${orderId}`;
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: idempotencyTableName, Key: { key }, ConsistentRead: true }),
  );
  const previous = Item as (PollState & { key: string }) | undefined;
  const progress = { seq: order.seq, currentStep: order.currentStep, updatedAt: order.updatedAt };
  const retryAfterSeconds = current
    ? earlyPollRetryAfter(now, progress, previous)
    : ifNoneMatch === undefined
      ? unconditionalReadRetryAfter(now, previous)
      : undefined;
  if (retryAfterSeconds !== undefined) return { kind: 'throttled', retryAfterSeconds };

  const next: PollState = {
    ...planNextPoll(now, progress, previous),
    lastUnconditionalAt: ifNoneMatch === undefined ? now : previous?.lastUnconditionalAt,
  };
  try {
    await dynamo().send(
      new PutCommand({
        TableName: idempotencyTableName,
        Item: { key, ...next, expiresAt: Math.floor(now / 1000) + 24 * 60 * 60 },
        // Optimistic: concurrent polls by one caller cannot all pass on the same schedule.
        ConditionExpression: previous ? 'nextPollAt = :seen' : 'attribute_not_exists(#key)',
        ExpressionAttributeNames: previous ? undefined : { '#key': 'key' },
        ExpressionAttributeValues: previous ? { ':seen': previous.nextPollAt } : undefined,
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    return { kind: 'throttled', retryAfterSeconds: 1 };
  }
  const nextPollAt = new Date(next.nextPollAt).toISOString();
  return current
    ? { kind: 'not-modified', etag, nextPollAt }
    : { kind: 'ok', order: toView(order, nextPollAt), etag };
}
