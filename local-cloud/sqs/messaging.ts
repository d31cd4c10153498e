import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { scaleDelay, scaleTimeout } from '../core/clock';
import type { Clock } from '../core/service';
import { redrivePolicyOf } from './attributes';
import { invalidParameter, receiptHandleIsInvalid, sqsError } from './errors';
import { md5Hex, md5OfAttributes } from './md5';
import { checkBody, checkMessageAttributes, checkSystemAttributes, messageSize } from './messages';
import type { Queue, QueueRegistry } from './queues';
import type { MessageRecord, SqsStore } from './store';
import type { Waiters } from './waiters';

export interface SendInput {
  MessageBody?: unknown;
  DelaySeconds?: unknown;
  MessageAttributes?: unknown;
  MessageSystemAttributes?: unknown;
  MessageDeduplicationId?: unknown;
  MessageGroupId?: unknown;
}

export interface SendResult {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}

/** A message as one receive handed it out. */
export interface Received {
  message: MessageRecord;
  receiptHandle: string;
}

/** FIFO deduplication interval. It is not time-scaled: a shorter window only lets duplicates in. */
const DEDUPLICATION_MS = 5 * 60_000;
const GROUP_ID = /^[!-~]{1,128}$/;
/** FIFO queues are read whole to apply group locks; more than this many backlog is not local. */
const FIFO_SCAN = 20_000;

export const sequenceNumberOf = (seq: number) => String(seq).padStart(20, '0');

export function integerIn(value: unknown, name: string, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw invalidParameter(
      `Value ${String(value)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}, if provided.`,
    );
  }
  return n;
}

/**
 * Receipt handles name the message row and the receive that produced it, so a handle from an
 * earlier receive is recognised as stale rather than as malformed.
 */
function encodeHandle(queue: string, seq: number, nonce: string): string {
  return Buffer.from(`${queue}\n${seq}\n${nonce}`, 'utf8').toString('base64url');
}

function decodeHandle(handle: unknown, queue: Queue): { seq: number; nonce: string } {
  if (typeof handle !== 'string' || handle === '') {
    throw sqsError('MissingParameter', 'The request must contain the parameter ReceiptHandle.');
  }
  const parts = /^[A-Za-z0-9_-]+$/.test(handle)
    ? Buffer.from(handle, 'base64url').toString('utf8').split('\n')
    : [];
  if (
    parts.length !== 3 ||
    parts[0] !== queue.name ||
    !/^\d+$/.test(parts[1]!) ||
    !/^[0-9a-f]{32}$/.test(parts[2]!)
  ) {
    throw receiptHandleIsInvalid(handle);
  }
  return { seq: Number(parts[1]), nonce: parts[2]! };
}

/**
 * Sending, receiving, deleting and visibility: the message life cycle over the store, with long
 * polls woken through `waiters`. Durations come in seconds and are stored as clock deadlines:
 * delays are waits (time-scaled), visibility timeouts are timeouts (time-scaled, but real time
 * under an infinite scale, where a zero timeout would redeliver every message at once).
 */
export class Messaging {
  private fifoWrites = 0;

  constructor(
    private readonly store: SqsStore,
    private readonly queues: QueueRegistry,
    private readonly clock: Clock,
    private readonly waiters: Waiters<Received>,
    private readonly senderId: string,
  ) {}

  waitMs(seconds: number): number {
    return scaleDelay(seconds * 1000, this.clock.timeScale);
  }

  timeoutMs(seconds: number): number {
    return scaleTimeout(seconds * 1000, this.clock.timeScale) ?? seconds * 1000;
  }

  /** Validates one message against the queue; throws before anything is written. */
  prepare(queue: Queue, input: SendInput) {
    const body = checkBody(input.MessageBody);
    const attributes = checkMessageAttributes(input.MessageAttributes);
    const systemAttributes = checkSystemAttributes(input.MessageSystemAttributes);
    const size = messageSize(body, attributes);
    const max = Number(queue.attributes.MaximumMessageSize);
    if (size > max) {
      throw invalidParameter(
        `One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`,
      );
    }
    let delay = Number(queue.attributes.DelaySeconds);
    if (input.DelaySeconds !== undefined && input.DelaySeconds !== null) {
      if (queue.fifo) {
        throw invalidParameter(
          `Value ${String(input.DelaySeconds)} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`,
        );
      }
      delay = integerIn(input.DelaySeconds, 'DelaySeconds', 0, 900);
    }
    const groupId = input.MessageGroupId ?? null;
    if (groupId !== null && (typeof groupId !== 'string' || !GROUP_ID.test(groupId))) {
      throw invalidParameter(`Value ${String(groupId)} for parameter MessageGroupId is invalid.`);
    }
    let dedupId = (input.MessageDeduplicationId ?? null) as string | null;
    if (queue.fifo) {
      if (groupId === null) {
        throw sqsError(
          'MissingParameter',
          'The request must contain the parameter MessageGroupId.',
        );
      }
      if (dedupId !== null && (typeof dedupId !== 'string' || !GROUP_ID.test(dedupId))) {
        throw invalidParameter(
          `Value ${String(dedupId)} for parameter MessageDeduplicationId is invalid.`,
        );
      }
      if (dedupId === null) {
        if (queue.attributes.ContentBasedDeduplication !== 'true') {
          throw invalidParameter(
            'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
          );
        }
        dedupId = createHash('sha256').update(body).digest('hex');
      }
    } else if (dedupId !== null) {
      throw invalidParameter(
        `Value ${String(dedupId)} for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.`,
      );
    }
    return {
      body,
      attributes,
      systemAttributes,
      size,
      delay,
      groupId: groupId as string | null,
      dedupId,
    };
  }

  /** Writes a prepared message (inside the caller's transaction for a batch). */
  write(queue: Queue, prepared: ReturnType<Messaging['prepare']>): SendResult {
    const now = this.clock.now();
    const digests = {
      MD5OfMessageBody: md5Hex(prepared.body),
      MD5OfMessageAttributes: md5OfAttributes(prepared.attributes),
      MD5OfMessageSystemAttributes: md5OfAttributes(prepared.systemAttributes),
    };
    let dedupKey: string | undefined;
    if (queue.fifo) {
      dedupKey =
        queue.attributes.DeduplicationScope === 'messageGroup'
          ? `${prepared.groupId}\u0000${prepared.dedupId}`
          : prepared.dedupId!;
      const duplicate = this.store.findDuplicate(queue.name, dedupKey, now);
      // A duplicate is accepted and answered as the original, but not enqueued again.
      if (duplicate) {
        return {
          MessageId: duplicate.messageId,
          ...digests,
          SequenceNumber: sequenceNumberOf(duplicate.seq),
        };
      }
    }
    const id = randomUUID();
    const seq = this.store.insertMessage({
      queue: queue.name,
      id,
      body: prepared.body,
      attributes: prepared.attributes,
      systemAttributes: prepared.systemAttributes,
      md5OfBody: digests.MD5OfMessageBody,
      sentAt: now,
      senderId: this.senderId,
      visibleAt: now + this.waitMs(prepared.delay),
      groupId: prepared.groupId,
      dedupId: queue.fifo ? prepared.dedupId : null,
      sourceArn: null,
    });
    if (dedupKey !== undefined) {
      this.store.rememberDeduplication(queue.name, dedupKey, id, seq, now + DEDUPLICATION_MS);
      // Expired deduplication ids are only ignored by reads; clear them out now and then.
      if (++this.fifoWrites % 1000 === 0) this.store.forgetDeduplicationBefore(now);
    }
    return {
      MessageId: id,
      ...digests,
      ...(queue.fifo ? { SequenceNumber: sequenceNumberOf(seq) } : {}),
    };
  }

  /** After a commit: wake long polls for what was sent (delayed messages arm a timer instead). */
  sent(queue: Queue): void {
    this.waiters.notify(queue.name);
  }

  /**
   * Up to `max` messages made invisible for `visibilityMs`. A message whose receive count would
   * pass the RedrivePolicy's maxReceiveCount goes to the dead-letter queue instead, with its id,
   * body, attributes and SentTimestamp; expired messages (MessageRetentionPeriod) are dropped.
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
   */
  receive(queueName: string, max: number, visibilityMs: number): Received[] {
    const queue = this.queues.byName(queueName);
    if (!queue) return [];
    const now = this.clock.now();
    // Retention counts real (unscaled) time, so a sped-up clock never drops a backlog.
    const expiredBefore = now - Number(queue.attributes.MessageRetentionPeriod) * 1000;
    const policy = redrivePolicyOf(queue.attributes);
    const deadLetter = policy ? this.queues.byArn(policy.deadLetterTargetArn) : undefined;
    const out: Received[] = [];
    let redriven = false;
    this.store.transaction(() => {
      for (let round = 0; round < 5 && out.length < max; round++) {
        const candidates = queue.fifo
          ? this.fifoCandidates(queue, now, max - out.length)
          : this.store.visible(queue.name, now, max - out.length);
        if (candidates.length === 0) break;
        for (const message of candidates) {
          if (message.sentAt < expiredBefore) {
            this.store.deleteMessage(message.seq);
          } else if (deadLetter && policy && message.receiveCount >= policy.maxReceiveCount) {
            this.store.move(message.seq, deadLetter.name, now, queue.arn);
            redriven = true;
          } else {
            const nonce = randomBytes(16).toString('hex');
            this.store.markReceived(message.seq, now + visibilityMs, nonce, now);
            out.push({
              message: {
                ...message,
                receiveCount: message.receiveCount + 1,
                firstReceiveAt: message.firstReceiveAt ?? now,
                receipt: nonce,
              },
              receiptHandle: encodeHandle(queue.name, message.seq, nonce),
            });
          }
        }
      }
    });
    if (redriven && deadLetter) this.waiters.notify(deadLetter.name);
    if (out.length > 0) this.waiters.armWake(queue.name);
    return out;
  }

  /**
   * Messages of a FIFO queue that may go out now, in order: a group with an earlier message
   * still invisible (in flight or delayed) is locked, so one batch per group is in flight.
   */
  private fifoCandidates(queue: Queue, now: number, max: number): MessageRecord[] {
    const locked = new Set<string | null>();
    const out: MessageRecord[] = [];
    for (const message of this.store.inOrder(queue.name, FIFO_SCAN)) {
      if (locked.has(message.groupId)) continue;
      if (message.visibleAt > now) {
        locked.add(message.groupId);
        continue;
      }
      out.push(message);
      if (out.length >= max) break;
    }
    return out;
  }

  /**
   * DeleteMessage. A handle from an earlier receive of a message received again since is
   * accepted and does nothing: the API reference says the call "will still succeed, but the
   * message might not be deleted"; deleting only by the latest handle keeps the consumer that
   * holds the message now in charge of it.
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
   */
  delete(queue: Queue, handle: unknown): void {
    const { seq, nonce } = decodeHandle(handle, queue);
    const message = this.store.get(seq);
    if (!message || message.queue !== queue.name || message.receipt !== nonce) return;
    this.store.deleteMessage(seq);
    if (queue.fifo) this.waiters.notify(queue.name);
  }

  /**
   * ChangeMessageVisibility: counts from now. A message whose visibility already ran out is not
   * in flight (MessageNotInflight).
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
   */
  changeVisibility(queue: Queue, handle: unknown, timeout: unknown): void {
    if (timeout === undefined || timeout === null) {
      throw sqsError(
        'MissingParameter',
        'The request must contain the parameter VisibilityTimeout.',
      );
    }
    const seconds = integerIn(timeout, 'VisibilityTimeout', 0, 43_200);
    const { seq, nonce } = decodeHandle(handle, queue);
    const message = this.store.get(seq);
    if (!message || message.queue !== queue.name || message.receipt !== nonce) {
      throw invalidParameter(
        `Value ${String(handle)} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      );
    }
    const now = this.clock.now();
    if (message.visibleAt <= now) {
      throw sqsError('MessageNotInflight', 'The message referred to is not in flight.');
    }
    this.store.setVisibleAt(seq, now + this.timeoutMs(seconds));
    if (seconds === 0) this.waiters.notify(queue.name);
    else this.waiters.armWake(queue.name);
  }
}
