import { createHash } from 'node:crypto';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { executionArnFor } from '@/amplify/functions/shared/start-execution';
import { findTestCard } from '@/amplify/functions/shared/test-cards';
import type { WorkflowInput } from '@/amplify/functions/shared/workflow-types';
import type { Caller } from '@/lib/auth/verify-token';
import { dynamo } from '@/lib/aws/clients';
import { findProduct } from '@/lib/catalog';
import { toShippingAddress } from '@/lib/checkout/schema';
import { loadOutputs } from '@/lib/config/outputs';
import { problem } from '@/lib/http/problem';
import { orderIntake } from './intake';
import { newOrderItem } from './order-item';
import type { OrderRequest } from './order-request';
import { submitLimit, submitWindow, type SubmitLimit, type SubmitWindow } from './rate-limit';

/** Idempotency records outlive any sensible client retry window (the IETF draft suggests 24 h). */
const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export interface PlacedOrder {
  orderId: string;
  executionArn: string;
  /** QUEUED in queue mode (the intake worker starts the workflow), else PENDING. */
  status: 'QUEUED' | 'PENDING';
  nextPollAt: string;
}

export type PlaceOrderResult =
  | { kind: 'accepted'; order: PlacedOrder }
  | { kind: 'key-reused'; orderId: string }
  | { kind: 'key-expired'; orderId: string }
  /** The shopper placed `limit` orders in this window already; nothing was recorded. */
  | { kind: 'rate-limited'; retryAfterSeconds: number; limit: number; windowSeconds: number };

interface IdempotencyRecord {
  key: string;
  requestHash: string;
  orderId: string;
  executionArn?: string;
  nextPollAt: string;
}

/**
 * Records the order and its idempotency key atomically, hands it to the workflow (through the
 * intake queue or directly, see `intake.ts`), and returns what the 202 carries. Safe to call any
 * number of times with one key: the order id and the execution name are derived from (shopper,
 * key), the records are written once under a condition, and handing on is idempotent by the
 * order id. A repeat with a different body is reported, never applied. A new order past the
 * shopper's allowance (see `rate-limit.ts`) is refused before anything is written.
 */
export async function placeOrder(
  caller: Caller,
  idempotencyKey: string,
  order: OrderRequest,
  now = new Date(),
): Promise<PlaceOrderResult> {
  const { custom } = loadOutputs();
  const intake = orderIntake();
  const recordKey = `order#${caller.sub}#${idempotencyKey}`;
  const orderId = deterministicUuid(`${caller.sub}:${idempotencyKey}`);
  const requestHash = sha256(canonicalJson(order));
  const input = workflowInput(orderId, caller.sub, order);
  // The execution is named by the order id, so its ARN is known before it starts.
  const executionArn = executionArnFor(custom.orderWorkflowArn, orderId);
  const nextPollAt = intake.nextPollAt(now);
  const limit = submitLimit();
  const window = limit && submitWindow(caller.sub, now.getTime(), limit);
  let record: IdempotencyRecord = {
    key: recordKey,
    requestHash,
    orderId,
    executionArn,
    nextPollAt,
  };

  // The common path is two calls: write first, start second. Only a repeat (the write's
  // condition fails) reads what the first request recorded.
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: custom.idempotencyTableName,
              Item: {
                ...record,
                expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
              },
              ConditionExpression: 'attribute_not_exists(#key)',
              ExpressionAttributeNames: { '#key': 'key' },
            },
          },
          {
            Put: {
              TableName: custom.ordersTableName,
              Item: newOrderItem({
                caller,
                input,
                executionArn,
                nextPollAt,
                intake: intake.initialFields(input, now),
                now,
              }),
              ConditionExpression: 'attribute_not_exists(orderId)',
            },
          },
          ...(limit && window ? [countSubmission(custom.idempotencyTableName, window, limit)] : []),
        ],
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'TransactionCanceledException') throw error;
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    const failed = (i: number) => reasons?.[i]?.Code === 'ConditionalCheckFailed';
    // Only the allowance failed: a new order over the limit. A repeat of a recorded key is
    // answered below even when the shopper is at the limit.
    if (limit && window && !failed(0) && !failed(1) && failed(2)) {
      return {
        kind: 'rate-limited',
        retryAfterSeconds: Math.max(1, Math.ceil((window.endsAt - now.getTime()) / 1000)),
        limit: limit.limit,
        windowSeconds: limit.windowSeconds,
      };
    }
    // A request with this key came first (or concurrently): answer as it does.
    const existing = await readRecord(custom.idempotencyTableName, recordKey);
    if (!existing) {
      // The order exists but its key record has expired (kept 24 h): the original request
      // can no longer be compared, so the key cannot be honoured.
      if (failed(1)) return { kind: 'key-expired', orderId };
      throw error;
    }
    record = existing;
  }
  if (record.requestHash !== requestHash) return { kind: 'key-reused', orderId: record.orderId };

  // Also on repeats: if the first request recorded the order but could not hand it on, the
  // repeat does. Both ways are idempotent by the order id (see intake.ts).
  await intake.hand(input);
  return {
    kind: 'accepted',
    order: {
      orderId: record.orderId,
      executionArn: record.executionArn ?? executionArn,
      status: intake.status,
      nextPollAt: record.nextPollAt,
    },
  };
}

/**
 * How a refused order is told to the client (RFC 9457; the types are documented in
 * `lib/api/openapi.ts`). The 429 says when the shopper's window opens again.
 */
export function placeOrderRefusal(
  result: Exclude<PlaceOrderResult, { kind: 'accepted' }>,
): Response {
  switch (result.kind) {
    case 'key-reused':
      return problem({
        type: '/problems/idempotency-key-reused',
        status: 422,
        title: 'Idempotency-Key already used for a different order',
        detail: 'Make a new Idempotency-Key for each checkout attempt.',
        orderId: result.orderId,
      });
    case 'rate-limited':
      return problem(
        {
          type: '/problems/too-many-orders',
          status: 429,
          title: 'Too many orders',
          detail: `At most ${result.limit} orders per ${result.windowSeconds} seconds. Try again in ${result.retryAfterSeconds} seconds.`,
          retryAfterSeconds: result.retryAfterSeconds,
        },
        { 'Retry-After': String(result.retryAfterSeconds) },
      );
    case 'key-expired':
      return problem({
        type: '/problems/idempotency-key-expired',
        status: 422,
        title: 'Idempotency-Key expired',
        detail:
          'This key was used more than 24 hours ago. Make a new Idempotency-Key to order again.',
        orderId: result.orderId,
      });
  }
}

/** What the state machine receives. Built only from the request, so retries send identical input. */
export function workflowInput(
  orderId: string,
  ownerSub: string,
  order: OrderRequest,
): WorkflowInput {
  const lines = order.lines.map(({ sku, quantity }) => {
    const product = findProduct(sku);
    if (!product) throw new Error(`Unknown product ${sku}`); // validated before; a bug if hit
    return { sku, quantity, unitPriceCents: product.priceCents };
  });
  const card = findTestCard(order.payment.cardNumber);
  if (!card) throw new Error('Only test cards reach the workflow'); // validated before
  const { shippingAddress: address } = order;
  return {
    orderId,
    ownerSub,
    lines,
    totalCents: lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0),
    currency: 'USD',
    payment: { cardLast4: card.number.slice(-4), testCard: card.behaviour },
    shippingAddress: toShippingAddress(address),
  };
}

async function readRecord(tableName: string, key: string): Promise<IdempotencyRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: tableName, Key: { key }, ConsistentRead: true }),
  );
  return Item as IdempotencyRecord | undefined;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with sorted keys, so the same order in another key order hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A UUID-shaped id derived from a name (like UUIDv5, on SHA-256): same input, same id. */
export function deterministicUuid(name: string): string {
  const hex = sha256(name).slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The transaction item that counts an order against the shopper's window. Counted with the
 * order, not before: a repeat fails the key's condition and cancels this too, so only orders
 * that are really recorded use up the allowance.
 */
function countSubmission(tableName: string, window: SubmitWindow, limit: SubmitLimit) {
  return {
    Update: {
      TableName: tableName,
      Key: { key: window.key },
      UpdateExpression: 'SET expiresAt = if_not_exists(expiresAt, :expires) ADD #count :one',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeNames: { '#count': 'submissions' },
      ExpressionAttributeValues: {
        ':one': 1,
        ':limit': limit.limit,
        ':expires': Math.ceil(window.endsAt / 1000) + 60,
      },
    },
  };
}
