/**
 * Lambda's event source mappings for SQS, run by the local cloud: pollers that long-poll a
 * queue over the SQS wire protocol (like Lambda's own pollers, through the public API, not the
 * SQS service's internals), invoke the function with batches in SQS event shape and delete what
 * the function processed. https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 *
 * Deviations from AWS:
 * - Concurrency: a mapping runs MaximumConcurrency pollers, each with one invocation at a time,
 *   so invocations in flight never pass MaximumConcurrency. Without it a mapping runs
 *   DEFAULT_POLLERS (5, the number of batches Lambda starts with) and does not scale up: AWS
 *   scales standard queues to 1,000 concurrent batches
 *   (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html). MaximumConcurrency
 *   above MAX_POLLERS is capped there (the local Lambda has a few containers per function).
 * - Backoff after function errors is a per-poller wait (1 s doubling to 30 s), not Lambda's
 *   unpublished concurrency reduction; throttled invokes are retried every 100 ms..1 s until
 *   the batch's visibility timeout.
 * - Only SQS sources; no filter criteria, no provisioned mode, no FIFO ordering guarantees
 *   beyond what one poller's batches give.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { LocalEventSourceMapping } from '../../backend/model';
import { MappingPoller, type Invoker, type MappingStats, type PollerContext } from './poller';

export type { Invoker, MappingStats } from './poller';
export { readBatchResponse, type BatchOutcome } from './batch-response';
export { toSqsRecord, type SqsRecord, type SqsRecordAttribute } from './sqs-event';

export const DEFAULT_POLLERS = 5;
export const MAX_POLLERS = 10;

export interface EventSourceMappingOptions {
  /** A ServiceContext will do: only the clock, the log and the region are used. */
  ctx: PollerContext;
  lambda: Invoker;
  mappings: LocalEventSourceMapping[];
  /** A client of the local SQS endpoint (the local credentials, the local cloud's URL). */
  sqs: SQSClient;
  /** The queue URL of a queue ARN; undefined for a queue the backend does not have. */
  queueUrlOf(arn: string): string | undefined;
}

export interface EventSourceMappings {
  /** Stops polling (aborting long polls) and resolves once in-flight batches have settled. */
  close(): Promise<void>;
  /** One entry per enabled mapping. */
  stats(): MappingStats[];
}

export function pollersFor(mapping: LocalEventSourceMapping): number {
  return Math.max(1, Math.min(mapping.maximumConcurrency ?? DEFAULT_POLLERS, MAX_POLLERS));
}

export function startEventSourceMappings(options: EventSourceMappingOptions): EventSourceMappings {
  const { ctx } = options;
  const abort = new AbortController();
  const pollers: MappingPoller[] = [];
  for (const mapping of options.mappings) {
    if (!mapping.enabled) {
      ctx.log.debug('event source mapping disabled', {
        function: mapping.functionName,
        queue: mapping.eventSourceArn,
      });
      continue;
    }
    const queueUrl = options.queueUrlOf(mapping.eventSourceArn);
    if (!queueUrl) {
      ctx.log.warn('event source mapping: no such queue, not polling', {
        function: mapping.functionName,
        queue: mapping.eventSourceArn,
      });
      continue;
    }
    const poller = new MappingPoller(
      ctx,
      options.lambda,
      options.sqs,
      mapping,
      queueUrl,
      pollersFor(mapping),
      abort.signal,
    );
    poller.start();
    pollers.push(poller);
  }

  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        abort.abort();
        await Promise.all(pollers.map((p) => p.stopped()));
      })();
      return closing;
    },
    stats: () => pollers.map((p) => p.snapshot()),
  };
}
