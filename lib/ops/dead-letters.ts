import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderItem } from '@/amplify/functions/shared/order-item';
import { isOrderId } from '@/amplify/functions/shared/order-id';
import { dynamo, sqs } from '@/lib/aws/clients';
import { loadOutputs } from '@/lib/config/outputs';

/**
 * The intake queue's dead letters: orders whose message no worker could hand to the workflow
 * after `maxReceiveCount` tries. An operator looks (each with its order, as far as it is known)
 * and moves them all back to the intake queue with a message move task, the API behind the SQS
 * console's "Start DLQ redrive".
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html
 */
export interface DeadLetter {
  messageId: string;
  /** The order the message names, when its body is an intake message at all. */
  orderId?: string;
  /** When the message was first sent to the intake queue. */
  sentAt?: string;
  /** Receives so far, across both queues (looking here counts too). */
  receiveCount: number;
  /** The order as recorded, to tell what state it was left in. */
  order?: { status: string; lastStep?: string; lastMessage?: string | null };
  /** The start of the body, for messages that name no order. */
  bodyStart?: string;
}

export interface MoveTask {
  status: string;
  moved: number;
  toMove?: number;
  startedAt: string;
  failureReason?: string;
}

export interface DeadLetterView {
  visible: number;
  inFlight: number;
  messages: DeadLetter[];
  /** The newest message move task from this queue, if any. */
  moveTask?: MoveTask;
}

/** At most this many messages are listed; the counts cover the rest. */
const LISTED = 50;

export async function deadLetters(): Promise<DeadLetterView> {
  const { custom } = loadOutputs();
  const queueUrl = custom.orderIntakeDeadLetterQueueUrl;
  const [attributes, messages, moveTask] = await Promise.all([
    sqs().send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    ),
    peek(queueUrl),
    latestMoveTask(custom.orderIntakeDeadLetterQueueArn),
  ]);
  const orders = await ordersOf(messages.flatMap((m) => (m.orderId ? [m.orderId] : [])));
  return {
    visible: Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    messages: messages.map((m) => ({ ...m, order: m.orderId ? orders.get(m.orderId) : undefined })),
    moveTask,
  };
}

/**
 * Reads messages without taking them: a zero visibility timeout leaves each visible at once, so
 * a move task (or another look) finds them all. Receives are sampled from the queue's hosts, so
 * a few rounds gather more than one call's ten.
 */
async function peek(queueUrl: string): Promise<DeadLetter[]> {
  const seen = new Map<string, DeadLetter>();
  for (let round = 0; round < 5 && seen.size < LISTED; round++) {
    const { Messages = [] } = await sqs().send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      }),
    );
    if (Messages.length === 0) break;
    const before = seen.size;
    for (const message of Messages) {
      if (!message.MessageId || seen.has(message.MessageId)) continue;
      const attributes = message.Attributes ?? {};
      const orderId = orderIdIn(message.Body ?? '');
      seen.set(message.MessageId, {
        messageId: message.MessageId,
        orderId,
        sentAt: attributes.SentTimestamp
          ? new Date(Number(attributes.SentTimestamp)).toISOString()
          : undefined,
        receiveCount: Number(attributes.ApproximateReceiveCount ?? 0),
        ...(orderId ? {} : { bodyStart: (message.Body ?? '').slice(0, 120) }),
      });
    }
    if (seen.size === before) break;
  }
  return [...seen.values()].slice(0, LISTED);
}

function orderIdIn(body: string): string | undefined {
  try {
    const orderId = (JSON.parse(body) as { orderId?: unknown }).orderId;
    return typeof orderId === 'string' && isOrderId(orderId) ? orderId : undefined;
  } catch {
    return undefined;
  }
}

async function ordersOf(orderIds: string[]): Promise<Map<string, DeadLetter['order']>> {
  const found = new Map<string, DeadLetter['order']>();
  const unique = [...new Set(orderIds)];
  const table = loadOutputs().custom.ordersTableName;
  for (let i = 0; i < unique.length; i += 100) {
    const { Responses } = await dynamo().send(
      new BatchGetCommand({
        RequestItems: {
          [table]: {
            Keys: unique.slice(i, i + 100).map((orderId) => ({ orderId })),
            ProjectionExpression: 'orderId, orderStatus, updates',
          },
        },
      }),
    );
    for (const item of (Responses?.[table] ?? []) as Pick<
      OrderItem,
      'orderId' | 'orderStatus' | 'updates'
    >[]) {
      const last = item.updates?.at(-1);
      found.set(item.orderId, {
        status: item.orderStatus,
        lastStep: last?.step,
        lastMessage: last?.message,
      });
    }
  }
  return found;
}

async function latestMoveTask(sourceArn: string): Promise<MoveTask | undefined> {
  const { Results = [] } = await sqs().send(
    new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }),
  );
  const task = Results[0];
  if (!task) return undefined;
  return {
    status: task.Status ?? 'UNKNOWN',
    moved: task.ApproximateNumberOfMessagesMoved ?? 0,
    toMove: task.ApproximateNumberOfMessagesToMove,
    startedAt: new Date(task.StartedTimestamp ?? 0).toISOString(),
    failureReason: task.FailureReason,
  };
}

export type RedriveAllResult =
  { kind: 'started'; taskHandle: string } | { kind: 'conflict'; detail: string };

/**
 * Moves every dead letter back to the intake queue (no destination: SQS sends each to the queue
 * it came from). Only one move task may run per queue, so a second click while one runs is
 * told so rather than started twice.
 */
export async function redriveAllDeadLetters(): Promise<RedriveAllResult> {
  const sourceArn = loadOutputs().custom.orderIntakeDeadLetterQueueArn;
  const running = await latestMoveTask(sourceArn);
  if (running?.status === 'RUNNING') {
    return { kind: 'conflict', detail: 'A redrive of this queue is already running.' };
  }
  try {
    const { TaskHandle } = await sqs().send(
      new StartMessageMoveTaskCommand({ SourceArn: sourceArn }),
    );
    return { kind: 'started', taskHandle: TaskHandle! };
  } catch (error) {
    // SQS answers a second concurrent start with UnsupportedOperation (one task per queue).
    const name = (error as Error).name;
    if (name === 'UnsupportedOperation' || name === 'AWS.SimpleQueueService.UnsupportedOperation') {
      return { kind: 'conflict', detail: (error as Error).message };
    }
    throw error;
  }
}
