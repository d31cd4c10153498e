import {
  defaultAttributes,
  redrivePolicyOf,
  validateAttributes,
  type QueueAttributes,
} from './attributes';
import { invalidParameter, queueDoesNotExist, sqsError } from './errors';
import { queueArnFor, queueUrlFor, type QueueAddressing } from './naming';
import type { QueueRecord, SqsStore } from './store';

export interface Queue extends QueueRecord {
  url: string;
  arn: string;
}

const STANDARD_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

/** The queue named by a QueueUrl: its last path segment, whatever host the caller used. */
export function queueNameOf(queueUrl: string): string {
  const path = queueUrl.split('?')[0]!.replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Every queue, kept in memory over the `sqs_queues` rows (queues change rarely, messages often:
 * the hot path reads a queue's settings without a query). Writes go to SQLite first.
 */
export class QueueRegistry {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly store: SqsStore,
    private readonly at: QueueAddressing,
  ) {
    for (const record of store.queues()) this.queues.set(record.name, this.withAddresses(record));
  }

  urlOf(name: string): string {
    return queueUrlFor(this.at, name);
  }

  arnOf(name: string): string {
    return queueArnFor(this.at, name);
  }

  get size(): number {
    return this.queues.size;
  }

  all(): Queue[] {
    return [...this.queues.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  byName(name: string): Queue | undefined {
    return this.queues.get(name);
  }

  /** The queue a request's QueueUrl names, or QueueDoesNotExist. */
  byUrl(queueUrl: unknown): Queue {
    if (typeof queueUrl !== 'string' || queueUrl === '') {
      throw sqsError('MissingParameter', 'The request must contain the parameter QueueUrl.');
    }
    const queue = this.queues.get(queueNameOf(queueUrl));
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  byArn(arn: string): Queue | undefined {
    const prefix = this.arnOf('');
    return arn.startsWith(prefix) ? this.queues.get(arn.slice(prefix.length)) : undefined;
  }

  /** Queues whose RedrivePolicy names `arn` as their dead-letter queue. */
  sourcesOf(arn: string): Queue[] {
    return this.all().filter((q) => redrivePolicyOf(q.attributes)?.deadLetterTargetArn === arn);
  }

  /**
   * CreateQueue: a new queue, or the existing one's URL when every attribute given matches.
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
   */
  create(name: unknown, attributesIn: unknown, tags: unknown, now: number): Queue {
    if (typeof name !== 'string' || name === '') {
      throw sqsError('MissingParameter', 'The request must contain the parameter QueueName.');
    }
    const requestedFifo =
      String(
        (attributesIn as Record<string, unknown> | undefined)?.FifoQueue ?? '',
      ).toLowerCase() === 'true';
    const fifo = name.endsWith('.fifo');
    if (
      fifo ? !FIFO_NAME.test(name) || !requestedFifo : !STANDARD_NAME.test(name) || requestedFifo
    ) {
      throw invalidParameter(
        fifo || requestedFifo
          ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
          : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    const attributes = validateAttributes(attributesIn, { fifo, creating: true, queues: this });
    // `FifoQueue: false` is accepted on a standard queue but not kept: it reads as absent.
    if (!fifo) delete attributes.FifoQueue;
    const existing = this.queues.get(name);
    if (existing) {
      for (const [key, value] of Object.entries(attributes)) {
        if ((existing.attributes[key] ?? '') !== value) {
          throw sqsError(
            'QueueNameExists',
            `A queue already exists with the same name and a different value for attribute ${key}`,
          );
        }
      }
      return existing;
    }
    const record: QueueRecord = {
      name,
      fifo,
      attributes: dropEmpty({ ...defaultAttributes(fifo), ...attributes }),
      tags: checkTags(tags ?? {}),
      createdAt: now,
      modifiedAt: now,
      purgedAt: null,
    };
    this.store.insertQueue(record);
    const queue = this.withAddresses(record);
    this.queues.set(name, queue);
    return queue;
  }

  setAttributes(queue: Queue, attributesIn: unknown, now: number): void {
    const attributes = validateAttributes(attributesIn, {
      fifo: queue.fifo,
      creating: false,
      queues: this,
    });
    this.update(queue, {
      attributes: dropEmpty({ ...queue.attributes, ...attributes }),
      modifiedAt: now,
    });
  }

  update(
    queue: Queue,
    changes: Partial<Pick<QueueRecord, 'attributes' | 'tags' | 'modifiedAt' | 'purgedAt'>>,
  ): void {
    const next = { ...queue, ...changes };
    this.store.updateQueue(next);
    this.queues.set(queue.name, next);
  }

  delete(queue: Queue): void {
    this.store.deleteQueue(queue.name);
    this.queues.delete(queue.name);
  }

  private withAddresses(record: QueueRecord): Queue {
    return { ...record, url: this.urlOf(record.name), arn: this.arnOf(record.name) };
  }
}

function dropEmpty(attributes: QueueAttributes): QueueAttributes {
  const out: QueueAttributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== '') out[key] = value;
  // A customer key replaces SSE-SQS: the two are exclusive.
  if (out.KmsMasterKeyId) out.SqsManagedSseEnabled = 'false';
  return out;
}

/** Tags as TagQueue and CreateQueue take them: a string map of at most 50. */
export function checkTags(tags: unknown): Record<string, string> {
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
    throw invalidParameter('Tags must be a map of strings.');
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags as Record<string, unknown>)) {
    if (key.length === 0 || key.length > 128 || typeof value !== 'string' || value.length > 256) {
      throw invalidParameter(`Tag ${key} is invalid.`);
    }
    out[key] = value;
  }
  if (Object.keys(out).length > 50) throw invalidParameter('Too many tags added for queue.');
  return out;
}
