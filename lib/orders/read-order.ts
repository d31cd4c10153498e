import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { WAREHOUSE_GROUP } from '@/amplify/auth/groups';
import type { OrderItem } from '@/amplify/functions/shared/order-item';
import type { Caller } from '@/lib/auth/verify-token';
import { dynamo } from '@/lib/aws/clients';
import { loadOutputs } from '@/lib/config/outputs';
import { problem } from '@/lib/http/problem';
import { notFound } from '@/lib/http/responses';
import { isOrderId } from '@/amplify/functions/shared/order-id';
import { toOrderView, type OrderView } from './order-item';
import { decidePoll, planNextPoll, type OrderProgress, type PollState } from './polling';
import { isTerminal } from './timeline';

// Pages and tests take the view from here, next to the poll that serves it.
export type { OrderView } from './order-item';

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

export type PollResult =
  | { kind: 'not-found' }
  | { kind: 'throttled'; retryAfterSeconds: number }
  | { kind: 'ok'; order: OrderView; etag: string }
  | { kind: 'not-modified'; etag: string; nextPollAt: string | null };

export function etagOf(order: Pick<OrderItem, 'orderId' | 'seq'>): string {
  return `W/"${order.orderId}-${order.seq}"`;
}

/** What the workflow wrote that tells when the order should move on (see `polling.ts`). */
function progressOf(order: OrderItem): OrderProgress {
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
      : { kind: 'ok', order: toOrderView(order, null), etag };
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
    : { kind: 'ok', order: toOrderView(order, nextPollAt), etag };
}

/** How a poll that gets no order is told to the client (the types are in `lib/api/openapi.ts`). */
export function pollRefusal(
  result: Extract<PollResult, { kind: 'not-found' | 'throttled' }>,
): Response {
  if (result.kind === 'not-found') return notFound();
  return problem(
    {
      type: '/problems/poll-too-early',
      status: 429,
      title: 'Polled before nextPollAt',
      detail: `Nothing has changed. Ask again in ${result.retryAfterSeconds} s, or subscribe for live updates.`,
    },
    { 'Retry-After': String(result.retryAfterSeconds) },
  );
}
