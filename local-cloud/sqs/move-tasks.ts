import { randomUUID } from 'node:crypto';
import type { Clock, Logger } from '../core/service';
import { integerIn } from './messaging';
import { sqsError } from './errors';
import type { QueueRegistry } from './queues';
import type { MoveTaskRecord, SqsStore } from './store';

/** Without MaxNumberOfMessagesPerSecond AWS picks a rate itself; this is ours. */
const DEFAULT_RATE = 500;
const TICK_MS = 1000;

const notFound = (message: string) => sqsError('ResourceNotFoundException', message);

/**
 * Message move tasks (DLQ redrive): each tick of the clock moves one batch, at most the task's
 * rate, of the messages that were in the dead-letter queue when the task started, to the
 * destination or back to each message's source queue. Progress is persisted per batch, so a
 * task resumes after a restart.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 */
export class MoveTasks {
  private readonly timers = new Map<string, () => void>();

  constructor(
    private readonly store: SqsStore,
    private readonly queues: QueueRegistry,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly onMoved: (queueName: string) => void,
  ) {
    for (const task of store.runningTasks()) this.schedule(task.handle, 0);
  }

  start(input: {
    SourceArn?: unknown;
    DestinationArn?: unknown;
    MaxNumberOfMessagesPerSecond?: unknown;
  }) {
    const sourceArn = String(input.SourceArn ?? '');
    const source = this.queues.byArn(sourceArn);
    if (!source)
      throw notFound("The resource that you specified for the SourceArn parameter doesn't exist.");
    if (this.queues.sourcesOf(sourceArn).length === 0) {
      throw sqsError(
        'InvalidParameterValue',
        'Source queue must be configured as a Dead Letter Queue.',
      );
    }
    let destinationArn: string | null = null;
    if (input.DestinationArn !== undefined && input.DestinationArn !== null) {
      destinationArn = String(input.DestinationArn);
      if (!this.queues.byArn(destinationArn)) {
        throw notFound(
          "The resource that you specified for the DestinationArn parameter doesn't exist.",
        );
      }
    }
    const rate =
      input.MaxNumberOfMessagesPerSecond === undefined ||
      input.MaxNumberOfMessagesPerSecond === null
        ? null
        : integerIn(input.MaxNumberOfMessagesPerSecond, 'MaxNumberOfMessagesPerSecond', 1, 500);
    if (
      this.store
        .tasksOf(sourceArn, 10)
        .some((t) => t.status === 'RUNNING' || t.status === 'CANCELLING')
    ) {
      throw sqsError(
        'UnsupportedOperation',
        'There is already a task running. Only one active task is allowed for each source queue arn at a given time.',
      );
    }
    const maxSeq = this.store.maxSeq(source.name);
    const task: MoveTaskRecord = {
      handle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn })).toString('base64'),
      sourceArn,
      destinationArn,
      rate,
      status: 'RUNNING',
      moved: 0,
      toMove: this.store.countUpTo(source.name, maxSeq),
      maxSeq,
      startedAt: this.clock.now(),
      failureReason: null,
    };
    this.store.insertTask(task);
    this.schedule(task.handle, 0);
    return { TaskHandle: task.handle };
  }

  list(input: { SourceArn?: unknown; MaxResults?: unknown }) {
    const sourceArn = String(input.SourceArn ?? '');
    if (!this.queues.byArn(sourceArn)) {
      throw notFound("The resource that you specified for the SourceArn parameter doesn't exist.");
    }
    const max =
      input.MaxResults === undefined || input.MaxResults === null
        ? 1
        : integerIn(input.MaxResults, 'MaxResults', 1, 10);
    return {
      Results: this.store.tasksOf(sourceArn, max).map((task) => ({
        ...(task.status === 'RUNNING' ? { TaskHandle: task.handle } : {}),
        Status: task.status,
        SourceArn: task.sourceArn,
        ...(task.destinationArn ? { DestinationArn: task.destinationArn } : {}),
        ...(task.rate !== null ? { MaxNumberOfMessagesPerSecond: task.rate } : {}),
        ApproximateNumberOfMessagesMoved: task.moved,
        ApproximateNumberOfMessagesToMove: task.toMove,
        ...(task.failureReason ? { FailureReason: task.failureReason } : {}),
        StartedTimestamp: task.startedAt,
      })),
    };
  }

  cancel(input: { TaskHandle?: unknown }) {
    const task =
      typeof input.TaskHandle === 'string' ? this.store.task(input.TaskHandle) : undefined;
    if (!task) throw notFound('Task does not exist.');
    if (task.status !== 'RUNNING') {
      throw sqsError('UnsupportedOperation', 'Only active tasks can be cancelled.');
    }
    // Batches move synchronously, so nothing is half-way: cancelling takes effect at once.
    this.timers.get(task.handle)?.();
    this.timers.delete(task.handle);
    this.store.updateTask({ ...task, status: 'CANCELLED' });
    return { ApproximateNumberOfMessagesMoved: task.moved };
  }

  close(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  private schedule(handle: string, delayMs: number): void {
    this.timers.set(
      handle,
      this.clock.setTimer(() => {
        this.timers.delete(handle);
        this.tick(handle);
      }, delayMs),
    );
  }

  private tick(handle: string): void {
    const task = this.store.task(handle);
    if (!task || task.status !== 'RUNNING') return;
    const source = this.queues.byArn(task.sourceArn);
    const fail = (reason: string) => {
      this.store.updateTask({ ...task, status: 'FAILED', failureReason: reason });
      this.log.warn(`message move task from ${task.sourceArn} failed: ${reason}`);
    };
    if (!source) {
      fail('The source queue was deleted.');
      return;
    }
    const batch = task.rate ?? DEFAULT_RATE;
    const now = this.clock.now();
    const messages = this.store.movable(source.name, task.maxSeq, now, batch);
    const touched = new Set<string>();
    let moved = task.moved;
    let failure: string | undefined;
    let more = false;
    this.store.transaction(() => {
      for (const message of messages) {
        const target = this.queues.byArn(task.destinationArn ?? message.sourceArn ?? '');
        if (!target) {
          failure = `The destination queue ${task.destinationArn ?? message.sourceArn ?? '(unknown source)'} does not exist.`;
          break;
        }
        this.store.move(message.seq, target.name, now, null);
        touched.add(target.name);
        moved++;
      }
      // Done when nothing receivable is left of what was there at the start (in-flight DLQ
      // messages stay where they are).
      more = !failure && this.store.movable(source.name, task.maxSeq, now, 1).length > 0;
      this.store.updateTask({
        ...task,
        moved,
        status: failure ? 'FAILED' : more ? 'RUNNING' : 'COMPLETED',
        failureReason: failure ?? null,
      });
    });
    for (const name of touched) this.onMoved(name);
    if (more) this.schedule(handle, TICK_MS);
  }
}
