/**
 * Key and index names shared by the CDK tables and the code that queries them, so a rename
 * cannot drift between infrastructure and handlers. The Orders item itself is `order-item.ts`.
 */
export const ORDERS_TABLE = {
  partitionKey: 'orderId',
  ownerAttribute: 'ownerSub',
  /** "My orders, newest first": query by owner, ScanIndexForward false. */
  byOwnerIndex: { name: 'byOwner', partitionKey: 'ownerSub', sortKey: 'createdAt' },
  /**
   * The warehouse work list. Sparse: only orders waiting for packing carry `warehouseStatus`,
   * so the index holds exactly the open tasks.
   */
  byWarehouseStatusIndex: {
    name: 'byWarehouseStatus',
    partitionKey: 'warehouseStatus',
    sortKey: 'awaitingSince',
  },
  /**
   * Orders accepted into the intake queue whose workflow has not started yet (queue mode), for
   * the reconciler that re-sends lost messages. Sparse: the intake worker removes
   * `intakePending` once the execution has started. The partition key is spread over
   * `INTAKE_PENDING_SHARDS` so a burst of orders is not written to one index partition.
   */
  byIntakePendingIndex: {
    name: 'byIntakePending',
    partitionKey: 'intakePending',
    sortKey: 'queuedAt',
    /** Carried into the index so the reconciler re-sends without reading the order. */
    projected: ['intakeMessage'],
  },
} as const;

/** Every value `intakePending` takes; eight spread a burst of thousands of orders per second. */
export const INTAKE_PENDING_SHARDS = Array.from({ length: 8 }, (_, i) => `QUEUED#${i}`);

/** `intakePending` of an order: one of `INTAKE_PENDING_SHARDS`, stable per order. */
export function intakePendingShard(orderId: string): string {
  let hash = 0;
  for (const char of orderId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return INTAKE_PENDING_SHARDS[hash % INTAKE_PENDING_SHARDS.length]!;
}

export const WAREHOUSE_STATUS_AWAITING = 'AWAITING';

export const INVENTORY_TABLE = {
  /** The product slug. */
  partitionKey: 'sku',
  availableAttribute: 'available',
} as const;

export const IDEMPOTENCY_TABLE = {
  partitionKey: 'key',
  /** Epoch seconds; DynamoDB TTL deletes the record after it. */
  ttlAttribute: 'expiresAt',
} as const;
