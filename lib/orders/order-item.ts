import type { IntakeFields, NewOrderItem, OrderItem } from '@/amplify/functions/shared/order-item';
import type { OrderStatus, OrderUpdate } from '@/amplify/functions/shared/order-status';
import type { WorkflowInput } from '@/amplify/functions/shared/workflow-types';
import type { Caller } from '@/lib/auth/verify-token';
import { buildTimeline, type TimelineStep } from './timeline';

/**
 * The app's side of the Orders item (its type is `amplify/functions/shared/order-item.ts`): the
 * item as the API shows it, and the item the API writes for a new order.
 */

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

/** `nextPollAt` is the caller's own poll schedule, not the item's: each caller has one. */
export function toOrderView(order: OrderItem, nextPollAt: string | null): OrderView {
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

export interface NewOrder {
  caller: Caller;
  /** The workflow's input, built from the request: the item stores the same lines and sums. */
  input: WorkflowInput;
  executionArn: string;
  nextPollAt: string;
  /** What the intake mode starts the order with (see `intake.ts`). */
  intake: IntakeFields;
  now: Date;
}

/** The item the API puts when it accepts an order, once, under `attribute_not_exists`. */
export function newOrderItem({
  caller,
  input,
  executionArn,
  nextPollAt,
  intake,
  now,
}: NewOrder): NewOrderItem {
  return {
    orderId: input.orderId,
    ownerSub: caller.sub,
    ownerEmail: caller.email,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ...intake,
    lines: input.lines,
    totalCents: input.totalCents,
    currency: input.currency,
    shippingAddress: input.shippingAddress,
    cardLast4: input.payment.cardLast4,
    executionArn,
    nextPollAt,
  };
}
