import type { OrderStatus } from '@/amplify/functions/shared/order-status';
import { ORDER_STATUS_LABELS, ORDER_STATUS_TONES } from './step-labels';

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  return (
    <span
      data-testid="order-status"
      className={`inline-block rounded-full px-3 py-1 text-sm font-medium ${ORDER_STATUS_TONES[status]}`}
    >
      {ORDER_STATUS_LABELS[status]}
    </span>
  );
}
