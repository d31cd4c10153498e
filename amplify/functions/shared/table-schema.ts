/**
 * Key and index names shared by the CDK tables and the code that queries them, so a rename
 * cannot drift between infrastructure and handlers.
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
} as const;

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
