import type { ServerResponse } from 'node:http';
import { awsJsonService } from '../core/protocols/aws-json';
import { AwsError } from '../core/protocols/errors';
import type { OperationCall, OperationTable } from '../core/protocols/operations';
import type { LocalRequest, LocalService, ServiceContext } from '../core/service';
import { COMPUTED_ATTRIBUTES, READABLE_ATTRIBUTES } from './attributes';
import { invalidParameter, sqsError } from './errors';
import { md5OfAttributes } from './md5';
import { selectAttributes } from './messages';
import { integerIn, Messaging, sequenceNumberOf, type Received, type SendInput } from './messaging';
import { MoveTasks } from './move-tasks';
import { checkTags, QueueRegistry, type Queue } from './queues';
import { SqsStore } from './store';
import { Waiters } from './waiters';

type Input = Record<string, unknown>;

const PURGE_INTERVAL_MS = 60_000;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const SYSTEM_ATTRIBUTE_NAMES = new Set([
  'All',
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
]);

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** Pages of a sorted list by the last item returned (`NextToken` is opaque to callers). */
function page<T>(items: T[], keyOf: (item: T) => string, input: Input, max: number) {
  const limit =
    input.MaxResults === undefined || input.MaxResults === null
      ? undefined
      : integerIn(input.MaxResults, 'MaxResults', 1, max);
  if (input.NextToken !== undefined && limit === undefined) {
    throw invalidParameter('MaxResults is required when NextToken is given.');
  }
  const after =
    typeof input.NextToken === 'string'
      ? Buffer.from(input.NextToken, 'base64url').toString('utf8')
      : undefined;
  const rest = after === undefined ? items : items.filter((item) => keyOf(item) > after);
  const shown = rest.slice(0, limit ?? max);
  const more = limit !== undefined && rest.length > shown.length;
  return {
    items: shown,
    NextToken: more ? Buffer.from(keyOf(shown.at(-1)!), 'utf8').toString('base64url') : undefined,
  };
}

/**
 * Checks a batch's entries as the API reference lists its errors: EmptyBatchRequest,
 * TooManyEntriesInBatchRequest, InvalidBatchEntryId, BatchEntryIdsNotDistinct.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
 */
function checkBatch(entries: unknown, kind: string): Input[] {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw sqsError('EmptyBatchRequest', `There should be at least one ${kind} in the request.`);
  }
  if (entries.length > 10) {
    throw sqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
    );
  }
  const seen = new Set<string>();
  for (const entry of entries as Input[]) {
    const id = entry?.Id;
    if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) {
      throw sqsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (seen.has(id)) throw sqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
  return entries as Input[];
}

function failure(id: string, error: unknown) {
  if (!(error instanceof AwsError)) throw error;
  return {
    Id: id,
    SenderFault: error.fault === 'Sender',
    Code: error.type,
    Message: error.message,
  };
}

/**
 * Amazon SQS (AWS JSON 1.0, `AmazonSQS.*`, query-compatible errors): queues and messages in the
 * shared SQLite database (`store.ts`), long polls parked in `waiters.ts`, DLQ redrive tasks in
 * `move-tasks.ts`. Requests are dispatched by X-Amz-Target alone, so a client that sends to the
 * QueueUrl's host (useQueueUrlAsEndpoint) reaches it whatever the path.
 */
export class SqsService implements LocalService {
  readonly name = 'sqs';
  readonly store: SqsStore;
  readonly queues: QueueRegistry;
  private readonly waiters: Waiters<Received>;
  private readonly messaging: Messaging;
  private readonly moves: MoveTasks;
  private readonly http: Pick<LocalService, 'accepts' | 'handle'>;
  private closed = false;

  constructor(private readonly ctx: ServiceContext) {
    this.store = new SqsStore(ctx.db);
    this.queues = new QueueRegistry(this.store, ctx);
    this.waiters = new Waiters(ctx.clock, (queue) =>
      this.store.nextVisibleAt(queue, ctx.clock.now()),
    );
    this.messaging = new Messaging(this.store, this.queues, ctx.clock, this.waiters, ctx.accountId);
    this.moves = new MoveTasks(this.store, this.queues, ctx.clock, ctx.log, (queue) =>
      this.waiters.notify(queue),
    );
    this.http = awsJsonService({
      name: this.name,
      version: '1.0',
      targetPrefix: 'AmazonSQS',
      namespace: 'com.amazonaws.sqs',
      queryCompatible: true,
      validationErrorType: 'MissingParameter',
      authorize: 'sigv4',
      operations: this.operations(),
      log: ctx.log,
    });
  }

  accepts(req: LocalRequest): boolean {
    return this.http.accepts(req);
  }

  handle(req: LocalRequest, res: ServerResponse): Promise<void> | void {
    return this.http.handle(req, res);
  }

  health(): { ok: boolean; detail?: string } {
    return { ok: true, detail: `${this.queues.size} queues` };
  }

  /** Ends parked long polls (empty) and stops move tasks; every message is already committed. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.moves.close();
    this.waiters.release();
  }

  /** The URL CreateQueue returns for `name` (for in-process callers that deploy queues). */
  queueUrl(name: string): string {
    return this.queues.urlOf(name);
  }

  queueArn(name: string): string {
    return this.queues.arnOf(name);
  }

  private now(): number {
    return this.ctx.clock.now();
  }

  private operations(): OperationTable {
    const q = (input: Input) => this.queues.byUrl(input.QueueUrl);
    return {
      CreateQueue: {
        required: ['QueueName'],
        handler: (input) => ({
          QueueUrl: this.queues.create(input.QueueName, input.Attributes, input.tags, this.now())
            .url,
        }),
      },
      GetQueueUrl: {
        required: ['QueueName'],
        handler: (input) => {
          const queue = this.queues.byName(String(input.QueueName));
          if (!queue) throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
          return { QueueUrl: queue.url };
        },
      },
      ListQueues: (input) => {
        const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
        const matching = this.queues.all().filter((queue) => queue.name.startsWith(prefix));
        const { items, NextToken } = page(matching, (queue) => queue.name, input, 1000);
        return {
          ...(items.length > 0 ? { QueueUrls: items.map((queue) => queue.url) } : {}),
          ...(NextToken ? { NextToken } : {}),
        };
      },
      DeleteQueue: {
        required: ['QueueUrl'],
        handler: (input) => {
          const queue = q(input);
          this.queues.delete(queue);
          this.waiters.release(queue.name);
          return {};
        },
      },
      GetQueueAttributes: {
        required: ['QueueUrl'],
        handler: (input) => ({
          Attributes: this.attributesOf(q(input), strings(input.AttributeNames)),
        }),
      },
      SetQueueAttributes: {
        required: ['QueueUrl', 'Attributes'],
        handler: (input) => {
          this.queues.setAttributes(q(input), input.Attributes, this.now());
          return {};
        },
      },
      SendMessage: {
        required: ['QueueUrl', 'MessageBody'],
        handler: (input) => {
          const queue = q(input);
          const prepared = this.messaging.prepare(queue, input as SendInput);
          const result = this.messaging.write(queue, prepared);
          this.messaging.sent(queue);
          return result;
        },
      },
      SendMessageBatch: {
        required: ['QueueUrl', 'Entries'],
        handler: (input) => this.sendBatch(q(input), input.Entries),
      },
      ReceiveMessage: {
        required: ['QueueUrl'],
        handler: (input, call) => this.receive(q(input), input, call),
      },
      DeleteMessage: {
        required: ['QueueUrl', 'ReceiptHandle'],
        handler: (input) => {
          this.messaging.delete(q(input), input.ReceiptHandle);
          return {};
        },
      },
      DeleteMessageBatch: {
        required: ['QueueUrl', 'Entries'],
        handler: (input) => {
          const queue = q(input);
          const entries = checkBatch(input.Entries, 'DeleteMessageBatchRequestEntry');
          return this.eachEntry(entries, (entry) =>
            this.messaging.delete(queue, entry.ReceiptHandle),
          );
        },
      },
      ChangeMessageVisibility: {
        required: ['QueueUrl', 'ReceiptHandle', 'VisibilityTimeout'],
        handler: (input) => {
          this.messaging.changeVisibility(q(input), input.ReceiptHandle, input.VisibilityTimeout);
          return {};
        },
      },
      ChangeMessageVisibilityBatch: {
        required: ['QueueUrl', 'Entries'],
        handler: (input) => {
          const queue = q(input);
          const entries = checkBatch(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
          return this.eachEntry(entries, (entry) =>
            this.messaging.changeVisibility(queue, entry.ReceiptHandle, entry.VisibilityTimeout),
          );
        },
      },
      PurgeQueue: {
        required: ['QueueUrl'],
        handler: (input) => {
          const queue = q(input);
          const now = this.now();
          // The 60 s between purges is clock time, not scaled: it only guards against misuse.
          if (queue.purgedAt !== null && now - queue.purgedAt < PURGE_INTERVAL_MS) {
            throw sqsError(
              'PurgeQueueInProgress',
              `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`,
            );
          }
          this.store.transaction(() => {
            this.store.purge(queue.name);
            this.queues.update(queue, { purgedAt: now });
          });
          return {};
        },
      },
      ListDeadLetterSourceQueues: {
        required: ['QueueUrl'],
        handler: (input) => {
          const queue = q(input);
          const { items, NextToken } = page(
            this.queues.sourcesOf(queue.arn),
            (s) => s.name,
            input,
            1000,
          );
          return {
            queueUrls: items.map((source) => source.url),
            ...(NextToken ? { NextToken } : {}),
          };
        },
      },
      TagQueue: {
        required: ['QueueUrl', 'Tags'],
        handler: (input) => {
          const queue = q(input);
          this.queues.update(queue, {
            tags: checkTags({ ...queue.tags, ...checkTags(input.Tags) }),
          });
          return {};
        },
      },
      UntagQueue: {
        required: ['QueueUrl', 'TagKeys'],
        handler: (input) => {
          const queue = q(input);
          const tags = { ...queue.tags };
          for (const key of strings(input.TagKeys)) delete tags[key];
          this.queues.update(queue, { tags });
          return {};
        },
      },
      ListQueueTags: {
        required: ['QueueUrl'],
        handler: (input) => {
          const tags = q(input).tags;
          return Object.keys(tags).length > 0 ? { Tags: tags } : {};
        },
      },
      StartMessageMoveTask: {
        required: ['SourceArn'],
        handler: (input) => this.moves.start(input),
      },
      ListMessageMoveTasks: { required: ['SourceArn'], handler: (input) => this.moves.list(input) },
      CancelMessageMoveTask: {
        required: ['TaskHandle'],
        handler: (input) => this.moves.cancel(input),
      },
    };
  }

  private attributesOf(queue: Queue, names: string[]): Record<string, string> {
    for (const name of names) {
      if (!READABLE_ATTRIBUTES.has(name)) {
        throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
      }
    }
    const all = names.includes('All');
    const wanted = (name: string) => all || names.includes(name);
    const now = this.now();
    const out: Record<string, string> = {};
    if (COMPUTED_ATTRIBUTES.some((name) => name.startsWith('Approximate') && wanted(name))) {
      this.store.expire(queue.name, now - Number(queue.attributes.MessageRetentionPeriod) * 1000);
      const counts = this.store.counts(queue.name, now);
      if (wanted('ApproximateNumberOfMessages'))
        out.ApproximateNumberOfMessages = String(counts.visible);
      if (wanted('ApproximateNumberOfMessagesNotVisible')) {
        out.ApproximateNumberOfMessagesNotVisible = String(counts.inFlight);
      }
      if (wanted('ApproximateNumberOfMessagesDelayed')) {
        out.ApproximateNumberOfMessagesDelayed = String(counts.delayed);
      }
    }
    if (wanted('CreatedTimestamp'))
      out.CreatedTimestamp = String(Math.floor(queue.createdAt / 1000));
    if (wanted('LastModifiedTimestamp')) {
      out.LastModifiedTimestamp = String(Math.floor(queue.modifiedAt / 1000));
    }
    if (wanted('QueueArn')) out.QueueArn = queue.arn;
    for (const [name, value] of Object.entries(queue.attributes))
      if (wanted(name)) out[name] = value;
    return out;
  }

  private sendBatch(queue: Queue, entriesIn: unknown) {
    const entries = checkBatch(entriesIn, 'SendMessageBatchRequestEntry');
    const Successful: unknown[] = [];
    const Failed: unknown[] = [];
    const prepared = entries.map((entry) => {
      try {
        return this.messaging.prepare(queue, entry as SendInput);
      } catch (error) {
        Failed.push(failure(entry.Id as string, error));
        return undefined;
      }
    });
    const total = prepared.reduce((sum, p) => sum + (p?.size ?? 0), 0);
    const max = Number(queue.attributes.MaximumMessageSize);
    if (total > max) {
      throw sqsError(
        'BatchRequestTooLong',
        `Batch requests cannot be longer than ${max} bytes. You have sent ${total} bytes.`,
      );
    }
    this.store.transaction(() => {
      entries.forEach((entry, i) => {
        if (prepared[i])
          Successful.push({ Id: entry.Id, ...this.messaging.write(queue, prepared[i]) });
      });
    });
    this.messaging.sent(queue);
    return { Successful, Failed };
  }

  private eachEntry(entries: Input[], apply: (entry: Input) => void) {
    const Successful: unknown[] = [];
    const Failed: unknown[] = [];
    this.store.transaction(() => {
      for (const entry of entries) {
        try {
          apply(entry);
          Successful.push({ Id: entry.Id });
        } catch (error) {
          Failed.push(failure(entry.Id as string, error));
        }
      }
    });
    return { Successful, Failed };
  }

  /**
   * ReceiveMessage, long polling included: with nothing to receive and a wait (the call's
   * WaitTimeSeconds, else the queue's ReceiveMessageWaitTimeSeconds), the call parks until a
   * message becomes receivable or the wait ends.
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
   */
  private async receive(queue: Queue, input: Input, call: OperationCall) {
    const max =
      input.MaxNumberOfMessages === undefined || input.MaxNumberOfMessages === null
        ? 1
        : integerIn(input.MaxNumberOfMessages, 'MaxNumberOfMessages', 1, 10);
    const visibility =
      input.VisibilityTimeout === undefined || input.VisibilityTimeout === null
        ? Number(queue.attributes.VisibilityTimeout)
        : integerIn(input.VisibilityTimeout, 'VisibilityTimeout', 0, 43_200);
    const wait =
      input.WaitTimeSeconds === undefined || input.WaitTimeSeconds === null
        ? Number(queue.attributes.ReceiveMessageWaitTimeSeconds)
        : integerIn(input.WaitTimeSeconds, 'WaitTimeSeconds', 0, 20);
    // ReceiveMessage lists no InvalidAttributeName error: names it does not know are ignored.
    const systemNames = [
      ...strings(input.AttributeNames),
      ...strings(input.MessageSystemAttributeNames),
    ].filter((name) => SYSTEM_ATTRIBUTE_NAMES.has(name));
    const attributeNames = strings(input.MessageAttributeNames);
    const visibilityMs = this.messaging.timeoutMs(visibility);
    const attempt = () => this.messaging.receive(queue.name, max, visibilityMs);
    let received = attempt();
    if (received.length === 0 && wait > 0 && !this.closed) {
      received = await this.waiters.wait(
        queue.name,
        this.messaging.timeoutMs(wait),
        attempt,
        (abort) => {
          const socket = call.req.raw.socket;
          if (!socket || socket.destroyed) {
            abort();
            return () => {};
          }
          socket.once('close', abort);
          return () => socket.off('close', abort);
        },
      );
    }
    // An empty receive answers `{}`, as SQS does.
    if (received.length === 0) return {};
    return {
      Messages: received.map((r) => this.toWire(queue, r, systemNames, attributeNames)),
    };
  }

  private toWire(
    queue: Queue,
    { message, receiptHandle }: Received,
    systemNames: string[],
    attributeNames: string[],
  ) {
    const all = systemNames.includes('All');
    const system: Record<string, string | undefined> = {
      SenderId: message.senderId,
      SentTimestamp: String(message.sentAt),
      ApproximateReceiveCount: String(message.receiveCount),
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveAt ?? message.sentAt),
      AWSTraceHeader: message.systemAttributes?.AWSTraceHeader?.StringValue,
      DeadLetterQueueSourceArn: message.sourceArn ?? undefined,
      MessageGroupId: message.groupId ?? undefined,
      ...(queue.fifo
        ? {
            SequenceNumber: sequenceNumberOf(message.seq),
            MessageDeduplicationId: message.dedupId ?? undefined,
          }
        : {}),
    };
    const Attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(system)) {
      if (value !== undefined && (all || systemNames.includes(name))) Attributes[name] = value;
    }
    const MessageAttributes = selectAttributes(message.attributes, attributeNames);
    return {
      MessageId: message.id,
      ReceiptHandle: receiptHandle,
      MD5OfBody: message.md5OfBody,
      Body: message.body,
      ...(Object.keys(Attributes).length > 0 ? { Attributes } : {}),
      ...(MessageAttributes
        ? { MessageAttributes, MD5OfMessageAttributes: md5OfAttributes(MessageAttributes) }
        : {}),
    };
  }
}

export function createSqsService(ctx: ServiceContext): SqsService {
  return new SqsService(ctx);
}
