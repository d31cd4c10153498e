import type { OrderUpdate } from '@/amplify/functions/shared/order-status';
import type { OrderView } from '@/lib/orders/read-order';

/**
 * What the checkout knows the moment the API answers 202: the order it sent and the status the
 * server accepted it in. The order page shows it at once ("Order placed", the first step)
 * instead of a bare "Loading…", until its first read of the order replaces it. Kept in memory:
 * checkout hands over by client-side navigation, and a reload simply reads the order.
 */
const placed = new Map<string, OrderView>();

export interface Placement {
  orderId: string;
  executionArn: string;
  status: 'QUEUED' | 'PENDING';
  nextPollAt: string;
}

export function rememberPlacedOrder(
  accepted: Placement,
  order: Pick<OrderView, 'lines' | 'totalCents' | 'currency' | 'shippingAddress' | 'cardLast4'>,
  now = new Date(),
): void {
  const at = now.toISOString();
  // A queued order's first step is its wait for capacity, as the server records it (the
  // provisional copy has seq 0: the server's own updates always replace it).
  const updates: OrderUpdate[] =
    accepted.status === 'QUEUED'
      ? [
          {
            orderId: accepted.orderId,
            seq: 0,
            step: 'Queued',
            status: 'WAITING',
            attempt: 0,
            orderStatus: 'QUEUED',
            nextPollAt: accepted.nextPollAt,
            timestamp: at,
          },
        ]
      : [];
  placed.set(accepted.orderId, {
    ...order,
    orderId: accepted.orderId,
    executionArn: accepted.executionArn,
    status: accepted.status,
    createdAt: at,
    updatedAt: at,
    seq: 0,
    steps: [],
    updates,
    nextPollAt: accepted.nextPollAt,
  });
}

/** The order as the checkout placed it, if this page session placed it. */
export function placedOrder(orderId: string): OrderView | undefined {
  return placed.get(orderId);
}
