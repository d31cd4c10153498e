import type { TestCardBehaviour } from './test-cards';

/** What the app passes to StartExecution; the ASL reads these paths. */
export interface OrderLine {
  /** Product slug; the Inventory table's partition key. */
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface WorkflowInput {
  orderId: string;
  ownerSub: string;
  lines: OrderLine[];
  totalCents: number;
  currency: string;
  payment: { cardLast4: string; testCard: TestCardBehaviour };
  shippingAddress: ShippingAddress;
}

/** Step Functions' Catch output, stored under `$.error` by the ASL. */
export interface CaughtError {
  Error: string;
  Cause?: string;
}

/** Every task receives the retry count as `attempt` (`$$.State.RetryCount`, 0-based). */
interface TaskInput {
  orderId: string;
  attempt: number;
}

export interface ReserveInventoryInput extends TaskInput {
  lines: OrderLine[];
}
export interface ReserveInventoryOutput {
  reservedAt: string;
  lines: { sku: string; quantity: number }[];
}

export interface ChargePaymentInput extends TaskInput {
  totalCents: number;
  currency: string;
  payment: WorkflowInput['payment'];
}
export interface ChargePaymentOutput {
  chargeId: string;
  amountCents: number;
  currency: string;
  chargedAt: string;
}

export interface AwaitWarehouseInput extends TaskInput {
  taskToken: string;
  lines: OrderLine[];
  shippingAddress: ShippingAddress;
  /** Mirrors the ASL's TimeoutSeconds / HeartbeatSeconds so the work list can show deadlines. */
  timeoutSeconds: number;
  heartbeatSeconds: number;
}
/** Not a return value: this is what the warehouse console sends with SendTaskSuccess. */
export interface WarehouseCallbackOutput {
  packedBy: string;
  packedAt: string;
}
export interface AwaitWarehouseOutput {
  listedAt: string;
  deadline: string;
}

export interface ShipOrderInput extends TaskInput {
  shippingAddress: ShippingAddress;
}
export interface ShipOrderOutput {
  trackingNumber: string;
  carrier: string;
  shippedAt: string;
}

export interface CompensationInput extends TaskInput {
  error: CaughtError;
}
export interface RefundPaymentOutput {
  refunded: boolean;
  chargeId?: string;
}
export interface ReleaseInventoryInput extends CompensationInput {
  lines: OrderLine[];
}
export interface ReleaseInventoryOutput {
  released: boolean;
  lines: { sku: string; quantity: number }[];
}
