import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { IDEMPOTENCY_TABLE, INVENTORY_TABLE, ORDERS_TABLE } from '../functions/shared/table-schema';

export interface OrderTablesProps {
  /**
   * Defaults to RETAIN: order history and stock outlive a stack. Amplify sandboxes override
   * this with DESTROY on every resource anyway.
   */
  removalPolicy?: RemovalPolicy;
}

/**
 * The three tables of the order flow: on-demand billing (idle cost is storage only),
 * point-in-time recovery on all, TTL where records expire (idempotency keys).
 */
export class OrderTables extends Construct {
  readonly orders: Table;
  readonly inventory: Table;
  readonly idempotency: Table;

  constructor(scope: Construct, id: string, props: OrderTablesProps = {}) {
    super(scope, id);
    const common = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    };

    this.orders = new Table(this, 'Orders', {
      ...common,
      partitionKey: { name: ORDERS_TABLE.partitionKey, type: AttributeType.STRING },
    });
    this.orders.addGlobalSecondaryIndex({
      indexName: ORDERS_TABLE.byOwnerIndex.name,
      partitionKey: { name: ORDERS_TABLE.byOwnerIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: ORDERS_TABLE.byOwnerIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    this.orders.addGlobalSecondaryIndex({
      indexName: ORDERS_TABLE.byWarehouseStatusIndex.name,
      partitionKey: {
        name: ORDERS_TABLE.byWarehouseStatusIndex.partitionKey,
        type: AttributeType.STRING,
      },
      sortKey: { name: ORDERS_TABLE.byWarehouseStatusIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    const intake = ORDERS_TABLE.byIntakePendingIndex;
    this.orders.addGlobalSecondaryIndex({
      indexName: intake.name,
      partitionKey: { name: intake.partitionKey, type: AttributeType.STRING },
      sortKey: { name: intake.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...intake.projected],
    });

    this.inventory = new Table(this, 'Inventory', {
      ...common,
      partitionKey: { name: INVENTORY_TABLE.partitionKey, type: AttributeType.STRING },
    });

    this.idempotency = new Table(this, 'Idempotency', {
      ...common,
      partitionKey: { name: IDEMPOTENCY_TABLE.partitionKey, type: AttributeType.STRING },
      timeToLiveAttribute: IDEMPOTENCY_TABLE.ttlAttribute,
    });
  }
}
