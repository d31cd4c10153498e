import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderStatus, OrderUpdate, StepName } from '@/amplify/functions/shared/order-status';
import type { OrderLine, ShippingAddress } from '@/amplify/functions/shared/workflow-types';
import type { Caller } from '@/lib/auth/verify-token';
import { dynamo } from '@/lib/aws/clients';
import { loadOutputs } from '@/lib/config/outputs';
import { isOrderId } from '@/amplify/functions/shared/order-id';
import { decidePoll, planNextPoll, type OrderProgress, type PollState } from './polling';
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

/** What the workflow wrote that tells when the order should move on (see `polling.ts`). */
function progressOf(order: OrderItem & { warehouseDeadline?: string }): OrderProgress {
  const latest = order.updates?.at(-1);
  return {
    seq: order.seq,
    currentStep: order.currentStep,
    stepStatus: latest?.status,
    attempt: latest?.attempt,
    updatedAt: order.updatedAt,
    warehouseDeadline: order.warehouseDeadline,
  };
}

export interface PollRequest {
  /** The client's `If-None-Match`, if any: it picks 304 or 200, it does not lift the throttle. */
  ifNoneMatch?: string;
  /** A page is showing the order (`Prefer: watch`): the back-off is capped lower. */
  watched?: boolean;
  now?: number;
}

type StoredPollState = PollState & { key: string };

/**
 * The poll state is written only if nobody else wrote it since it was read (`nextPollAt` is
 * its version), so two concurrent polls of one caller cannot both pass in the same window, nor
 * two early reloads share its one grace answer. Returns false when the other one won.
 */
async function savePollState(
  key: string,
  now: number,
  next: PollState,
  previous?: StoredPollState,
) {
  const grace = next.graceWindow !== undefined && next.graceWindow === previous?.nextPollAt;
  try {
    await dynamo().send(
      new PutCommand({
        TableName: loadOutputs().custom.idempotencyTableName,
        Item: { ...next, key, expiresAt: Math.floor(now / 1000) + 24 * 60 * 60 },
        ConditionExpression: !previous
          ? 'attribute_not_exists(#key)'
          : grace
            ? 'nextPollAt = :seen AND (attribute_not_exists(graceWindow) OR graceWindow <> :seen)'
            : 'nextPollAt = :seen',
        ExpressionAttributeNames: previous ? undefined : { '#key': 'key' },
        ExpressionAttributeValues: previous ? { ':seen': previous.nextPollAt } : undefined,
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    return false;
  }
}

/**
 * A status read that is also a poll: it enforces and advances the caller's poll schedule for
 * this order, kept per user and order in the Idempotency table (`poll#<sub>#<orderId>`), so the
 * throttle holds across server instances. `polling.ts` says what is served before `nextPollAt`.
 */
export async function pollOrder(
  caller: Caller,
  orderId: string,
  { ifNoneMatch, watched = false, now = Date.now() }: PollRequest = {},
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

  const key = `poll#${caller.sub}#${orderId}`;
  const { Item } = await dynamo().send(
    new GetCommand({
      TableName: loadOutputs().custom.idempotencyTableName,
      Key: { key },
      ConsistentRead: true,
    }),
  );
  const previous = Item as StoredPollState | undefined;
  const decision = decidePoll(now, order, previous, ifNoneMatch === undefined);
  if (!decision.serve) return { kind: 'throttled', retryAfterSeconds: decision.retryAfterSeconds };

  // An early read without an ETag uses the window's one grace answer and keeps the schedule.
  const next: PollState =
    decision.grace && previous
      ? { ...previous, graceWindow: previous.nextPollAt }
      : planNextPoll(now, progressOf(order), previous, watched);
  if (!(await savePollState(key, now, next, previous))) {
    return { kind: 'throttled', retryAfterSeconds: 1 };
  }
  const nextPollAt = new Date(next.nextPollAt).toISOString();
  return current
    ? { kind: 'not-modified', etag, nextPollAt }
    : { kind: 'ok', order: toView(order, nextPollAt), etag };
}
