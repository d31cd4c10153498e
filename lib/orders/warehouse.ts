import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
} from '@aws-sdk/client-sfn';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { OrderItem, WarehouseListingFields } from '@/amplify/functions/shared/order-item';
import type { OrderStatus } from '@/amplify/functions/shared/order-status';
import { ORDERS_TABLE, WAREHOUSE_STATUS_AWAITING } from '@/amplify/functions/shared/table-schema';
import type { OrderLine, ShippingAddress } from '@/amplify/functions/shared/workflow-types';
import type { Caller } from '@/lib/auth/verify-token';
import { dynamo, sfn } from '@/lib/aws/clients';
import { loadOutputs } from '@/lib/config/outputs';
import { problem, type ProblemDetails } from '@/lib/http/problem';
import { notFound } from '@/lib/http/responses';
import { isOrderId } from '@/amplify/functions/shared/order-id';

export interface WarehouseTask {
  orderId: string;
  awaitingSince: string;
  /** When the workflow gives up on packing (the ASL's TimeoutSeconds). */
  deadline: string;
  /**
   * When the step fails unless a heartbeat arrives first (the ASL's HeartbeatSeconds, counted
   * from the listing or the last heartbeat). The console sends heartbeats while it shows a task.
   */
  heartbeatDeadline: string;
  heartbeatSeconds: number;
  lines: OrderLine[];
  shipTo: Pick<ShippingAddress, 'name' | 'city' | 'country'>;
}

/** An order the work-list index holds: AwaitWarehouse listed it, so its listing is there. */
type TaskItem = Pick<OrderItem, 'orderId' | 'lines' | 'shippingAddress' | 'lastHeartbeatAt'> &
  Required<
    Pick<WarehouseListingFields, 'awaitingSince' | 'warehouseDeadline' | 'heartbeatSeconds'>
  >;

// One screen of work; the oldest come first, so nothing waits unseen for long.
const MAX_TASKS = 100;

/**
 * The work list, oldest first: the sparse index holds the orders listed for packing. AwaitWarehouse
 * lists the order (index attributes and task token) before it records the order as
 * AWAITING_WAREHOUSE, so for a moment the index also holds an order that is still PROCESSING;
 * it joins the list only once the status is recorded, and the shopper and staff agree.
 */
export async function listWarehouseTasks(): Promise<WarehouseTask[]> {
  const index = ORDERS_TABLE.byWarehouseStatusIndex;
  const Items: TaskItem[] = [];
  let start: Record<string, unknown> | undefined;
  // The filter runs after Limit, so a page can come back short: read on until the list is full.
  do {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: loadOutputs().custom.ordersTableName,
        IndexName: index.name,
        KeyConditionExpression: '#status = :awaiting',
        FilterExpression: '#orderStatus = :recorded',
        ExpressionAttributeNames: { '#status': index.partitionKey, '#orderStatus': 'orderStatus' },
        ExpressionAttributeValues: {
          ':awaiting': WAREHOUSE_STATUS_AWAITING,
          ':recorded': 'AWAITING_WAREHOUSE' satisfies OrderStatus,
        },
        ScanIndexForward: true,
        Limit: MAX_TASKS,
        ExclusiveStartKey: start,
      }),
    );
    Items.push(...((page.Items ?? []) as TaskItem[]));
    start = page.LastEvaluatedKey;
  } while (start && Items.length < MAX_TASKS);
  return Items.slice(0, MAX_TASKS).map((item) => ({
    orderId: item.orderId,
    awaitingSince: item.awaitingSince,
    deadline: item.warehouseDeadline,
    heartbeatDeadline: new Date(
      Date.parse(item.lastHeartbeatAt ?? item.awaitingSince) + item.heartbeatSeconds * 1000,
    ).toISOString(),
    heartbeatSeconds: item.heartbeatSeconds,
    lines: item.lines,
    shipTo: {
      name: item.shippingAddress.name,
      city: item.shippingAddress.city,
      country: item.shippingAddress.country,
    },
  }));
}

export type TaskDecision =
  | { kind: 'packed' }
  | { kind: 'rejected'; reason: string }
  /** Keeps the task alive while staff work on it (HeartbeatSeconds in the ASL). */
  | { kind: 'heartbeat' };

export type DecisionResult = 'done' | 'not-found' | 'expired';

const decisionSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('packed') }),
  z.object({ decision: z.literal('heartbeat') }),
  z.object({
    decision: z.literal('rejected'),
    reason: z.string().trim().min(1, 'Say why the order cannot be fulfilled.').max(500),
  }),
]);

/** Reads the console's answer to a task; anything else is a 422 naming the three it may send. */
export async function readTaskDecision(
  request: Request,
): Promise<{ ok: true; decision: TaskDecision } | { ok: false; problem: ProblemDetails }> {
  const body: unknown = await request.json().catch(() => undefined);
  const parsed = decisionSchema.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      problem: {
        status: 422,
        title: 'Invalid decision',
        detail:
          'Send {"decision":"packed"}, {"decision":"heartbeat"} or {"decision":"rejected","reason":"…"}.',
      },
    };
  }
  const decision: TaskDecision =
    parsed.data.decision === 'rejected'
      ? { kind: 'rejected', reason: parsed.data.reason }
      : { kind: parsed.data.decision };
  return { ok: true, decision };
}

/** How a decision that did not land is told to the console. */
export function taskDecisionRefusal(result: Exclude<DecisionResult, 'done'>): Response {
  if (result === 'not-found') return notFound('warehouse task');
  return problem({
    status: 409,
    title: 'This task is over',
    detail: 'The workflow already moved on (timed out or answered); the order is off the list.',
  });
}

/**
 * Answers the workflow's callback with the task token stored on the order. The token never
 * leaves the server. Step Functions' own errors tell us when the task is already over.
 */
export async function decideTask(
  caller: Caller,
  orderId: string,
  decision: TaskDecision,
): Promise<DecisionResult> {
  if (!isOrderId(orderId)) return 'not-found';
  const table = loadOutputs().custom.ordersTableName;
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table, Key: { orderId }, ConsistentRead: true }),
  );
  const task = Item as WarehouseListingFields | undefined;
  if (!task) return 'not-found';
  // ShipOrder and ReleaseInventory remove the token once the task is answered: an order that
  // was on the work list (awaitingSince stays) but has no token any more was already decided.
  if (!task.taskToken) return task.awaitingSince ? 'expired' : 'not-found';
  const taskToken = task.taskToken;

  try {
    if (decision.kind === 'packed') {
      await sfn().send(
        new SendTaskSuccessCommand({
          taskToken,
          output: JSON.stringify({
            packedBy: caller.email ?? caller.sub,
            packedAt: new Date().toISOString(),
          }),
        }),
      );
    } else if (decision.kind === 'rejected') {
      await sfn().send(
        new SendTaskFailureCommand({
          taskToken,
          error: 'WarehouseRejected',
          cause: decision.reason,
        }),
      );
    } else {
      await sfn().send(new SendTaskHeartbeatCommand({ taskToken }));
      await dynamo()
        .send(
          new UpdateCommand({
            TableName: table,
            Key: { orderId },
            UpdateExpression: 'SET lastHeartbeatAt = :now',
            ConditionExpression: 'taskToken = :token',
            ExpressionAttributeValues: { ':now': new Date().toISOString(), ':token': taskToken },
          }),
        )
        .catch((error: unknown) => {
          if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        });
      return 'done';
    }
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'TaskTimedOut' && name !== 'TaskDoesNotExist' && name !== 'InvalidToken')
      throw error;
    await takeOffWorkList(table, orderId, taskToken);
    return 'expired';
  }
  // The workflow's next step also clears it; doing it now keeps the list honest meanwhile.
  await takeOffWorkList(table, orderId, taskToken);
  return 'done';
}

async function takeOffWorkList(table: string, orderId: string, taskToken: string) {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table,
        Key: { orderId },
        UpdateExpression: 'REMOVE warehouseStatus',
        ConditionExpression: 'taskToken = :token',
        ExpressionAttributeValues: { ':token': taskToken },
      }),
    );
  } catch (error) {
    // A newer attempt already holds a new token: leave its listing alone.
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}
