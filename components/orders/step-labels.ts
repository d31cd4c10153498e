import type { OrderStatus, StepName } from '@/amplify/functions/shared/order-status';

export const STEP_LABELS: Record<StepName, string> = {
  Queued: 'Order received',
  ReserveInventory: 'Reserve stock',
  ChargePayment: 'Take payment',
  AwaitWarehouse: 'Pack in the warehouse',
  ShipOrder: 'Hand to the carrier',
  RefundPayment: 'Refund payment',
  ReleaseInventory: 'Release reserved stock',
};

/**
 * Shown first when the order has it: only orders accepted in queue mode wait in the intake
 * queue, so a direct-mode order does not show a step it never had.
 */
export const LEADING_STEPS: StepName[] = ['Queued'];

/** The happy path, shown as pending until each step starts. */
export const MAIN_STEPS: StepName[] = [
  'ReserveInventory',
  'ChargePayment',
  'AwaitWarehouse',
  'ShipOrder',
];

export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  QUEUED: 'Queued',
  PENDING: 'Received',
  PROCESSING: 'Processing',
  AWAITING_WAREHOUSE: 'Waiting for packing',
  SHIPPED: 'Shipped',
  COMPENSATING: 'Undoing',
  FAILED: 'Failed',
};

export const ORDER_STATUS_TONES: Record<OrderStatus, string> = {
  QUEUED: 'bg-violet-100 text-violet-900',
  PENDING: 'bg-stone-100 text-stone-800',
  PROCESSING: 'bg-blue-100 text-blue-900',
  AWAITING_WAREHOUSE: 'bg-amber-100 text-amber-900',
  SHIPPED: 'bg-green-100 text-green-900',
  COMPENSATING: 'bg-orange-100 text-orange-900',
  FAILED: 'bg-red-100 text-red-900',
};
