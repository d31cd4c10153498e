import { ListExecutionsCommand, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderItem } from '@/amplify/functions/shared/order-item';
import { TERMINAL_ORDER_STATUSES } from '@/amplify/functions/shared/order-status';
import {
  INTAKE_PENDING_SHARDS,
  ORDERS_TABLE,
  WAREHOUSE_STATUS_AWAITING,
} from '@/amplify/functions/shared/table-schema';
import { dynamo, sfn, sqs } from '@/lib/aws/clients';
import { loadOutputs } from '@/lib/config/outputs';

/**
 * The console's first screen: where orders are, what waits, what needs a person. Built from the
 * same calls in AWS and offline: executions from Step Functions (by start time), what waits in
 * the queues from SQS, and from the Orders table what no API reports (orders at the warehouse,
 * the oldest order still queued, orders whose workflow closed without a final status).
 */
export interface WindowCounts {
  running: number;
  waitingForWarehouse: number;
  shipped: number;
  failed: number;
  stopped: number;
  needsAttention: number;
}

export interface NeedsAttention {
  orderId: string;
  executionArn: string;
  executionStatus: string;
  /** The order's status: not final, though its workflow has closed. */
  orderStatus: string;
  stoppedAt?: string;
}

export interface Overview {
  generatedAt: string;
  lastHour: WindowCounts;
  lastDay: WindowCounts;
  /** Orders accepted and waiting in the intake queue for a worker. */
  intake: { visible: number; inFlight: number; oldestQueuedAt?: string };
  deadLetters: { visible: number };
  /** Orders on the warehouse work list now. */
  atWarehouse: number;
  needsAttention: NeedsAttention[];
  /** True when the day had more executions than were read; counts cover the newest ones. */
  truncated: boolean;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A day of a demo shop's executions; past this the counts say they are partial. */
const MAX_EXECUTIONS = 2_000;

export async function overview(now = Date.now()): Promise<Overview> {
  const { custom } = loadOutputs();
  const [day, intake, deadLetters, atWarehouse, oldestQueuedAt] = await Promise.all([
    executionsSince(custom.orderWorkflowArn, now - DAY_MS),
    queueDepth(custom.orderIntakeQueueUrl),
    queueDepth(custom.orderIntakeDeadLetterQueueUrl),
    warehouseCount(custom.ordersTableName),
    oldestQueued(custom.ordersTableName),
  ]);
  const attention = await closedButNotFinal(custom.ordersTableName, day.executions);
  const flagged = new Set(attention.map((a) => a.executionArn));
  const count = (since: number): WindowCounts => {
    const counts: WindowCounts = {
      running: 0,
      waitingForWarehouse: 0,
      shipped: 0,
      failed: 0,
      stopped: 0,
      needsAttention: 0,
    };
    for (const e of day.executions) {
      if (e.startDate!.getTime() < since) continue;
      if (flagged.has(e.executionArn!)) counts.needsAttention += 1;
      if (e.status === 'RUNNING') counts.running += 1;
      else if (e.status === 'SUCCEEDED') counts.shipped += 1;
      else if (e.status === 'ABORTED') counts.stopped += 1;
      else counts.failed += 1;
    }
    return counts;
  };
  const lastHour = count(now - HOUR_MS);
  const lastDay = count(now - DAY_MS);
  // The work list is "now", not a window; running counts exclude what waits on the warehouse.
  for (const window of [lastHour, lastDay]) {
    window.waitingForWarehouse = Math.min(atWarehouse, window.running);
    window.running -= window.waitingForWarehouse;
  }
  return {
    generatedAt: new Date(now).toISOString(),
    lastHour,
    lastDay,
    intake: { ...intake, oldestQueuedAt },
    deadLetters: { visible: deadLetters.visible },
    atWarehouse,
    needsAttention: attention,
    truncated: day.truncated,
  };
}

async function executionsSince(stateMachineArn: string, since: number) {
  const executions: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn().send(
      new ListExecutionsCommand({ stateMachineArn, maxResults: 1000, nextToken }),
    );
    for (const e of page.executions ?? []) {
      // Newest first: the first one older than the window ends the read.
      if (e.startDate!.getTime() < since) return { executions, truncated: false };
      executions.push(e);
    }
    nextToken = page.nextToken;
  } while (nextToken && executions.length < MAX_EXECUTIONS);
  return { executions, truncated: Boolean(nextToken) };
}

async function queueDepth(queueUrl: string) {
  const { Attributes = {} } = await sqs().send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

async function warehouseCount(table: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: table,
        IndexName: ORDERS_TABLE.byWarehouseStatusIndex.name,
        KeyConditionExpression: '#status = :awaiting',
        ExpressionAttributeNames: { '#status': ORDERS_TABLE.byWarehouseStatusIndex.partitionKey },
        ExpressionAttributeValues: { ':awaiting': WAREHOUSE_STATUS_AWAITING },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

/**
 * SQS reports the oldest message's age only as a CloudWatch metric, so the age comes from the
 * orders themselves: the earliest `queuedAt` in the sparse index of orders not yet started.
 */
async function oldestQueued(table: string): Promise<string | undefined> {
  const index = ORDERS_TABLE.byIntakePendingIndex;
  const firsts = await Promise.all(
    INTAKE_PENDING_SHARDS.map(async (shard) => {
      const { Items = [] } = await dynamo().send(
        new QueryCommand({
          TableName: table,
          IndexName: index.name,
          KeyConditionExpression: '#shard = :shard',
          ExpressionAttributeNames: { '#shard': index.partitionKey },
          ExpressionAttributeValues: { ':shard': shard },
          ScanIndexForward: true,
          Limit: 1,
        }),
      );
      return Items[0]?.[index.sortKey] as string | undefined;
    }),
  );
  return firsts.filter((t): t is string => Boolean(t)).sort()[0];
}

/** Closed executions whose order never reached SHIPPED or FAILED: someone has to look. */
async function closedButNotFinal(
  table: string,
  executions: ExecutionListItem[],
): Promise<NeedsAttention[]> {
  const closed = executions.filter((e) => e.status !== 'RUNNING' && e.status !== 'PENDING_REDRIVE');
  const found: NeedsAttention[] = [];
  for (let i = 0; i < closed.length; i += 100) {
    const batch = closed.slice(i, i + 100);
    const { Responses } = await dynamo().send(
      new BatchGetCommand({
        RequestItems: {
          [table]: {
            Keys: batch.map((e) => ({ orderId: e.name! })),
            ProjectionExpression: 'orderId, orderStatus',
          },
        },
      }),
    );
    const status = new Map(
      ((Responses?.[table] ?? []) as Pick<OrderItem, 'orderId' | 'orderStatus'>[]).map((o) => [
        o.orderId,
        o.orderStatus,
      ]),
    );
    for (const e of batch) {
      const orderStatus = status.get(e.name!);
      if (!orderStatus || TERMINAL_ORDER_STATUSES.includes(orderStatus)) continue;
      found.push({
        orderId: e.name!,
        executionArn: e.executionArn!,
        executionStatus: e.status!,
        orderStatus,
        stoppedAt: e.stopDate?.toISOString(),
      });
    }
  }
  return found;
}
