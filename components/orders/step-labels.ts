import type { OrderStatus, StepName } from '@/amplify/functions/shared/order-status';

export const STEP_LABELS: Record<StepName, string> = {
  ReserveInventory: 'Reserve stock',
  ChargePayment: 'Take payment',
  AwaitWarehouse: 'Pack in the warehouse',
  ShipOrder: 'Hand to the carrier',
  RefundPayment: 'Refund payment',
  ReleaseInventory: 'Release reserved stock',
};

/** The happy path, shown as pending until each step starts. */
export const MAIN_STEPS: StepName[] = [
  'ReserveInventory',
  'ChargePayment',
  'AwaitWarehouse',
  'ShipOrder',
];

export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  PENDING: 'Received',
  PROCESSING: 'Processing',
  AWAITING_WAREHOUSE: 'Waiting for packing',
  SHIPPED: 'Shipped',
  COMPENSATING: 'Undoing',
  FAILED: 'Failed',
};

export const ORDER_STATUS_TONES: Record<OrderStatus, string> = {
  PENDING: 'bg-stone-100 text-stone-800',
  PROCESSING: 'bg-blue-100 text-blue-900',
  AWAITING_WAREHOUSE: 'bg-amber-100 text-amber-900',
  SHIPPED: 'bg-green-100 text-green-900',
  COMPENSATING: 'bg-orange-100 text-orange-900',
  FAILED: 'bg-red-100 text-red-900',
};
