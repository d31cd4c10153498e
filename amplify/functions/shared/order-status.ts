/** Names shared by the status recorder, the AppSync `OrderUpdate` type and the app. */
export const STEPS = [
  // Queue mode only: the order waits in the intake queue until a worker starts its workflow.
  'Queued',
  'ReserveInventory',
  'ChargePayment',
  'AwaitWarehouse',
  'ShipOrder',
  'RefundPayment',
  'ReleaseInventory',
] as const;
export type StepName = (typeof STEPS)[number];

export type StepStatus = 'STARTED' | 'SUCCEEDED' | 'FAILED' | 'WAITING' | 'SKIPPED';

export type OrderStatus =
  | 'QUEUED'
  | 'PENDING'
  | 'PROCESSING'
  | 'AWAITING_WAREHOUSE'
  | 'SHIPPED'
  | 'COMPENSATING'
  | 'FAILED';

export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = ['SHIPPED', 'FAILED'];

/**
 * Expected duration of each step, used to tell polling clients when to come back
 * (`nextPollAt`). Issue 6 refines the back-off; the defaults live here so the app and the
 * handlers agree.
 */
export const EXPECTED_STEP_SECONDS: Record<StepName, number> = {
  // An idle queue hands a message to the worker within a second; a backlog takes longer, and
  // the Queued step's own update says when it is picked up.
  Queued: 2,
  ReserveInventory: 2,
  ChargePayment: 5,
  AwaitWarehouse: 120,
  ShipOrder: 2,
  RefundPayment: 5,
  ReleaseInventory: 2,
};

/**
 * What an update states besides its step and status, as data rather than prose: the shopper's
 * page words it for a person, the operations console and webhook consumers read it as is.
 * `message` stays the operator's text (error names and causes included).
 */
export interface UpdateFacts {
  /** FAILED: the error the workflow matched (`PaymentDeclined`, `OutOfStock`, `States.Timeout`). */
  reason?: string | null;
  /** WAITING: when the step gives up (the warehouse's packing deadline). */
  until?: string | null;
  /** ShipOrder SUCCEEDED: the shipment. */
  carrier?: string | null;
  trackingNumber?: string | null;
}

export const UPDATE_FACT_FIELDS = [
  'reason',
  'until',
  'carrier',
  'trackingNumber',
] as const satisfies readonly (keyof UpdateFacts)[];

/** The AppSync `OrderUpdate` payload, exactly as `publishOrderUpdate` takes it. */
export interface OrderUpdate extends UpdateFacts {
  orderId: string;
  seq: number;
  step: StepName;
  status: StepStatus;
  attempt: number;
  message?: string | null;
  orderStatus: OrderStatus;
  nextPollAt?: string | null;
  timestamp: string;
}

export function nextPollAtFor(step: StepName, orderStatus: OrderStatus, now: Date): string | null {
  if (TERMINAL_ORDER_STATUSES.includes(orderStatus)) return null;
  return new Date(now.getTime() + EXPECTED_STEP_SECONDS[step] * 1000).toISOString();
}

/** Identifies one logical update so a replayed handler does not record it twice. */
export function updateKey(step: StepName, status: StepStatus, attempt: number): string {
  return `${step}#${status}#${attempt}`;
}
