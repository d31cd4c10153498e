import type { OrderStatus, OrderUpdate, StepName } from './order-status';
import type { WAREHOUSE_STATUS_AWAITING } from './table-schema';
import type {
  ChargePaymentOutput,
  OrderLine,
  ReserveInventoryOutput,
  ShipOrderOutput,
  ShippingAddress,
} from './workflow-types';

/**
 * The Orders table item: every attribute any writer sets, declared once. It lives here rather
 * than in the app because the workflow's handlers write it too, and the app may import from
 * `amplify/functions/shared/` but not the other way round. Each group says who writes it; the
 * slices below are what one writer owns or one reader needs. Key and index names are in
 * `table-schema.ts`.
 */
export interface OrderItem {
  // Written once by the API when it accepts the order (lib/orders/place-order.ts).
  orderId: string;
  /** The shopper's Cognito `sub`; the byOwner index's partition key. */
  ownerSub: string;
  ownerEmail?: string;
  /** The byOwner index's sort key. */
  createdAt: string;
  lines: OrderLine[];
  totalCents: number;
  currency: string;
  shippingAddress: ShippingAddress;
  cardLast4: string;
  /** Known before the execution starts: it is named by the order id. */
  executionArn: string;

  // Started by the API (by intake mode, lib/orders/intake.ts), then moved on by the status
  // recorder (record-status.ts) under an optimistic lock on `seq`.
  orderStatus: OrderStatus;
  seq: number;
  /** Written with the item; optional as the recorder also appends to an item without it. */
  updates?: OrderUpdate[];
  currentStep?: StepName;
  currentAttempt?: number;
  /** The API's first-poll time, then the latest update's; null once the order is final. */
  nextPollAt: string | null;
  updatedAt: string;

  // Queue mode only: the intake worker removes `intakePending` and `intakeMessage` once the
  // workflow has started, which takes the order out of the reconciler's sparse index.
  /** The byIntakePending index's partition key, one of `INTAKE_PENDING_SHARDS`. */
  intakePending?: string;
  /** The queue message, kept for the reconciler (order-reconciler) to re-send. */
  intakeMessage?: string;
  /** The byIntakePending index's sort key; the reconciler moves it on when it re-sends. */
  queuedAt?: string;
  /** Set by the intake worker when it started the execution. */
  executionStartedAt?: string;

  // The workflow steps' results, each written once under a condition so a replay finds it.
  /** ReserveInventory; ReleaseInventory adds `releasedAt`. */
  reservation?: StoredReservation;
  /** ChargePayment; RefundPayment flips it to REFUNDED. */
  payment?: StoredPayment;
  /** ShipOrder. */
  shipment?: ShipOrderOutput;

  // The warehouse work list, listed by AwaitWarehouse. ShipOrder and ReleaseInventory remove
  // `warehouseStatus` and `taskToken`; the console removes `warehouseStatus` once it answered.
  /** The byWarehouseStatus index's partition key: present only while the order awaits packing. */
  warehouseStatus?: typeof WAREHOUSE_STATUS_AWAITING;
  /** The byWarehouseStatus index's sort key; it stays after the order leaves the list. */
  awaitingSince?: string;
  /** The callback token of the live AwaitWarehouse attempt; never leaves the server. */
  taskToken?: string;
  /** The ASL's TimeoutSeconds counted from the listing. */
  warehouseDeadline?: string;
  heartbeatSeconds?: number;
  /** Set by the warehouse console (lib/orders/warehouse.ts) on each heartbeat it sends. */
  lastHeartbeatAt?: string;

  /** Appended by the operations console (lib/ops/audit.ts): who redrove or stopped the order. */
  operatorActions?: OperatorAction[];
}

export interface OperatorAction {
  action: 'redrive' | 'stop' | 'redrive-dead-letters';
  /** The operator's Cognito `sub` and email, from their ID token. */
  by: { sub: string; email?: string };
  at: string;
  cause?: string;
}

export interface StoredReservation extends ReserveInventoryOutput {
  releasedAt?: string;
}

export interface StoredPayment extends ChargePaymentOutput {
  status: 'CHARGED' | 'REFUNDED';
  refundedAt?: string;
}

/** What the API writes when it accepts an order, besides what the intake mode adds. */
export type AcceptedOrderFields = Pick<
  OrderItem,
  | 'orderId'
  | 'ownerSub'
  | 'ownerEmail'
  | 'createdAt'
  | 'updatedAt'
  | 'lines'
  | 'totalCents'
  | 'currency'
  | 'shippingAddress'
  | 'cardLast4'
  | 'executionArn'
  | 'nextPollAt'
>;

/** What a new item starts with by intake mode: queue mode adds its first update and the index. */
export type IntakeFields = Required<Pick<OrderItem, 'orderStatus' | 'seq' | 'updates'>> &
  Partial<
    Pick<
      OrderItem,
      'currentStep' | 'currentAttempt' | 'intakePending' | 'queuedAt' | 'intakeMessage'
    >
  >;

/** The item as the API puts it. */
export type NewOrderItem = AcceptedOrderFields & IntakeFields;

/** The slice the status recorder owns. */
export type StatusFields = Pick<
  OrderItem,
  'orderStatus' | 'seq' | 'updates' | 'currentStep' | 'currentAttempt' | 'nextPollAt' | 'updatedAt'
>;

/** The slice AwaitWarehouse lists and the console reads and clears. */
export type WarehouseListingFields = Pick<
  OrderItem,
  | 'warehouseStatus'
  | 'awaitingSince'
  | 'taskToken'
  | 'warehouseDeadline'
  | 'heartbeatSeconds'
  | 'lastHeartbeatAt'
>;
