import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { LocalEventSourceMapping } from '../../backend/model';
import { scaleDelay } from '../../core/clock';
import type { Clock, Logger } from '../../core/service';
import { TooManyRequestsError, type InvokeResult } from '../runtime';
import type { LambdaService } from '../service';
import { readBatchResponse } from './batch-response';
import { toSqsRecord } from './sqs-event';
import { backoffMs, pause } from './wait';

/** What a mapping's pollers need from the local Lambda. */
export type Invoker = Pick<LambdaService, 'invoke'>;

export interface PollerContext {
  clock: Clock;
  log: Logger;
  region: string;
}

export interface MappingStats {
  functionName: string;
  eventSourceArn: string;
  pollers: number;
  /** Invocations running now (never above the mapping's concurrency). */
  inFlight: number;
  batches: number;
  /** Batches whose invocation failed (function error, timeout, unusable partial response). */
  failedBatches: number;
  deleted: number;
}

/** AWS's long poll: the longest ReceiveMessage wait, and at most ten messages per call. */
const WAIT_TIME_SECONDS = 20;
const MAX_MESSAGES_PER_RECEIVE = 10;
/** Lambda's synchronous payload limit; a batch is sent once its bodies would pass it. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** The queue default, used when GetQueueAttributes cannot say. */
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
/** Throttled invokes are retried after 100 ms, 200 ms, ... up to 1 s, on the clock. */
const THROTTLE_BACKOFF = { baseMs: 100, maxMs: 1_000 };
/** After a failed batch a poller waits 1 s, 2 s, ... up to 30 s before it polls again. */
const FAILURE_BACKOFF = { baseMs: 1_000, maxMs: 30_000 };
/** After an SQS error (queue missing, connection refused) a poller waits 1 s, ... 30 s. */
const RECEIVE_ERROR_BACKOFF = { baseMs: 1_000, maxMs: 30_000 };

const REPORT_BATCH_ITEM_FAILURES = 'ReportBatchItemFailures';

/**
 * The pollers of one SQS event source mapping
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html). Each poller is a
 * loop: long-poll, gather a batch, invoke, delete what succeeded. A poller carries one
 * invocation at a time, so `pollers` bounds the invocations in flight: the mapping's
 * MaximumConcurrency when set.
 */
export class MappingPoller {
  private readonly stats: MappingStats;
  private readonly loops: Promise<void>[] = [];
  private visibilityTimeoutSeconds: Promise<number> | undefined;
  /** Failed batches in a row, across this mapping's pollers; a success resets it. */
  private failureStreak = 0;

  constructor(
    private readonly ctx: PollerContext,
    private readonly lambda: Invoker,
    private readonly sqs: SQSClient,
    private readonly mapping: LocalEventSourceMapping,
    private readonly queueUrl: string,
    pollers: number,
    private readonly signal: AbortSignal,
  ) {
    this.stats = {
      functionName: mapping.functionName,
      eventSourceArn: mapping.eventSourceArn,
      pollers,
      inFlight: 0,
      batches: 0,
      failedBatches: 0,
      deleted: 0,
    };
  }

  start(): void {
    for (let i = 0; i < this.stats.pollers; i++) this.loops.push(this.loop());
  }

  /** Resolves once every poller has stopped (after `signal` aborted) and its batch settled. */
  async stopped(): Promise<void> {
    await Promise.all(this.loops);
  }

  snapshot(): MappingStats {
    return { ...this.stats };
  }

  private get fields() {
    return { function: this.mapping.functionName, queue: this.mapping.eventSourceArn };
  }

  private async loop(): Promise<void> {
    let receiveErrors = 0;
    while (!this.signal.aborted) {
      let batch: Message[];
      try {
        batch = await this.gather();
        receiveErrors = 0;
      } catch (error) {
        if (this.signal.aborted) break;
        receiveErrors++;
        // One warning per streak, not one per retry of a queue that is not there.
        const log = receiveErrors === 1 ? this.ctx.log.warn : this.ctx.log.debug;
        log.call(this.ctx.log, 'event source mapping: ReceiveMessage failed', {
          ...this.fields,
          error: String(error),
        });
        await pause(
          this.ctx.clock,
          backoffMs(receiveErrors, RECEIVE_ERROR_BACKOFF.baseMs, RECEIVE_ERROR_BACKOFF.maxMs),
          this.signal,
        );
        continue;
      }
      if (batch.length === 0) continue;
      // A batch received before close() still runs: its messages are invisible already, and
      // dropping it would only delay them by a visibility timeout.
      const ok = await this.process(batch);
      if (ok) {
        this.failureStreak = 0;
      } else {
        this.failureStreak++;
        // Lambda "gradually backs off, reducing the amount of concurrency allocated" after
        // function errors (services-sqs-errorhandling.html); here each poller that saw a
        // failure waits, longer with each failure in a row. With ReportBatchItemFailures Lambda
        // does not scale polling down, and neither do these pollers.
        if (!this.reportsItemFailures) {
          await pause(
            this.ctx.clock,
            backoffMs(this.failureStreak, FAILURE_BACKOFF.baseMs, FAILURE_BACKOFF.maxMs),
            this.signal,
          );
        }
      }
    }
  }

  private get reportsItemFailures(): boolean {
    return this.mapping.functionResponseTypes.includes(REPORT_BATCH_ITEM_FAILURES);
  }

  private receive(max: number, waitSeconds: number, signal: AbortSignal): Promise<Message[]> {
    return this.sqs
      .send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: Math.min(MAX_MESSAGES_PER_RECEIVE, max),
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: signal },
      )
      .then((out) => out.Messages ?? []);
  }

  /**
   * One batch: a long poll for the first messages, then, with a batching window, more
   * receives until the batch is full, the window has passed or the bodies reach 6 MB
   * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html). Without a
   * window the batch is what the first receive returned (at most ten messages).
   */
  private async gather(): Promise<Message[]> {
    const batchSize = Math.max(1, this.mapping.batchSize);
    const batch = await this.receive(batchSize, WAIT_TIME_SECONDS, this.signal);
    const windowSeconds = this.mapping.maximumBatchingWindowSeconds;
    if (batch.length === 0 || windowSeconds <= 0 || batch.length >= batchSize) return batch;

    // One signal for "the window has passed or close() was called". Not AbortSignal.any: on
    // Node 20 a composite of a long-lived signal leaks (nodejs/node#55351, #54614).
    const window = new AbortController();
    const signal = window.signal;
    const closing = () => window.abort();
    this.signal.addEventListener('abort', closing, { once: true });
    const cancel = this.ctx.clock.setTimer(closing, windowSeconds * 1000);
    let bytes = batch.reduce((sum, m) => sum + Buffer.byteLength(m.Body ?? ''), 0);
    try {
      while (batch.length < batchSize && bytes < MAX_PAYLOAD_BYTES && !signal.aborted) {
        const more = await this.receive(
          batchSize - batch.length,
          Math.min(WAIT_TIME_SECONDS, Math.ceil(windowSeconds)),
          signal,
        ).catch((error: unknown) => {
          // The window (or close) ending a receive is the normal end of gathering. Messages
          // such a receive had already taken come back after their visibility timeout. Any
          // other error ends gathering too: the messages in hand are invoked, not dropped.
          if (!signal.aborted) {
            this.ctx.log.warn('event source mapping: ReceiveMessage failed while batching', {
              ...this.fields,
              error: String(error),
            });
          }
          return undefined;
        });
        if (!more) break;
        batch.push(...more);
        bytes += more.reduce((sum, m) => sum + Buffer.byteLength(m.Body ?? ''), 0);
      }
    } finally {
      cancel();
      this.signal.removeEventListener('abort', closing);
    }
    return batch;
  }

  /** Invokes the function with one batch and deletes what succeeded; false when it failed. */
  private async process(batch: Message[]): Promise<boolean> {
    const receivedAt = this.ctx.clock.now();
    const records = batch.map((m) => toSqsRecord(m, this.mapping.eventSourceArn, this.ctx.region));
    this.stats.batches++;
    this.stats.inFlight++;
    let result: InvokeResult | undefined;
    let failure: string | undefined;
    try {
      result = await this.invokeThrottled({ Records: records }, receivedAt);
      if (!result) failure = 'throttled until the visibility timeout';
    } catch (error) {
      // The function is missing or has no code: as good as failing, for the queue.
      failure = `not invoked: ${String(error)}`;
    } finally {
      this.stats.inFlight--;
    }

    const ids = records.map((r) => r.messageId);
    let done: Message[] = [];
    if (result && !result.ok) {
      failure = `${result.error.errorType}: ${result.error.errorMessage}`;
    } else if (result && this.reportsItemFailures) {
      const outcome = readBatchResponse(result.payload, ids);
      if (outcome.kind === 'failure')
        failure = `invalid partial batch response (${outcome.reason})`;
      else done = batch.filter((m) => !outcome.failed.has(m.MessageId ?? ''));
    } else if (result) {
      done = batch;
    }

    if (failure !== undefined) {
      this.stats.failedBatches++;
      // One line per batch: the messages come back after their visibility timeout.
      this.ctx.log.warn('event source mapping: batch failed, messages left on the queue', {
        ...this.fields,
        messages: batch.length,
        error: failure,
      });
      return false;
    }
    await this.delete(done);
    this.ctx.log.debug('event source mapping: batch processed', {
      ...this.fields,
      messages: batch.length,
      deleted: done.length,
      durationMs: result ? Math.round(result.durationMs) : undefined,
    });
    return true;
  }

  /**
   * Invokes, retrying while the function is throttled (its containers all busy), until the
   * batch's visibility timeout would run out: "Lambda continues to retry the message until the
   * message's timestamp exceeds your queue's visibility timeout"
   * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
   * Returns undefined when it gave up (the messages then come back on their own).
   */
  private async invokeThrottled(
    event: unknown,
    receivedAt: number,
  ): Promise<InvokeResult | undefined> {
    const visibility = await this.visibilityTimeout();
    // SQS keeps its deadlines on the clock's (time-scaled) time line; so does this one.
    const deadline = receivedAt + scaleDelay(visibility * 1000, this.ctx.clock.timeScale);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.lambda.invoke(this.mapping.functionName, event);
      } catch (error) {
        if (!(error instanceof TooManyRequestsError)) throw error;
        const wait = backoffMs(attempt, THROTTLE_BACKOFF.baseMs, THROTTLE_BACKOFF.maxMs);
        const waitOnClock = scaleDelay(wait, this.ctx.clock.timeScale);
        if (this.signal.aborted || this.ctx.clock.now() + waitOnClock >= deadline) {
          return undefined;
        }
        await pause(this.ctx.clock, wait, this.signal);
      }
    }
  }

  /** The queue's VisibilityTimeout, asked once per mapping. */
  private visibilityTimeout(): Promise<number> {
    this.visibilityTimeoutSeconds ??= this.sqs
      .send(
        new GetQueueAttributesCommand({
          QueueUrl: this.queueUrl,
          AttributeNames: ['VisibilityTimeout'],
        }),
      )
      .then((out) =>
        Number(out.Attributes?.VisibilityTimeout ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS),
      )
      .catch(() => DEFAULT_VISIBILITY_TIMEOUT_SECONDS);
    return this.visibilityTimeoutSeconds;
  }

  private async delete(messages: Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += MAX_MESSAGES_PER_RECEIVE) {
      const chunk = messages.slice(i, i + MAX_MESSAGES_PER_RECEIVE);
      try {
        const out = await this.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: chunk.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
        this.stats.deleted += out.Successful?.length ?? 0;
        if (out.Failed?.length) {
          this.ctx.log.warn('event source mapping: some deletes failed', {
            ...this.fields,
            failed: out.Failed.length,
            error: out.Failed[0]?.Message,
          });
        }
      } catch (error) {
        this.ctx.log.warn('event source mapping: DeleteMessageBatch failed', {
          ...this.fields,
          error: String(error),
        });
      }
    }
  }
}
