import { setTimerAt } from '../core/clock';
import type { Clock } from '../core/service';

interface Waiter<T> {
  /** Tries to receive; a non-empty answer ends the wait. */
  attempt(): T[];
  finish(result: T[]): void;
}

/**
 * Long polls parked per queue. A waiter is retried only when something may have made a message
 * receivable: a send, a visibility timeout running out (one clock timer per queue, at the next
 * `visible_at`), a delete in a FIFO queue (its group unlocks), a move. Nothing polls, and a
 * waiting request holds no more than a promise, so the event loop stays free.
 */
export class Waiters<T> {
  private readonly byQueue = new Map<string, Set<Waiter<T>>>();
  private readonly wakeTimers = new Map<string, { at: number; cancel: () => void }>();

  constructor(
    private readonly clock: Clock,
    /** When the queue's next invisible message becomes receivable, if any. */
    private readonly nextVisibleAt: (queue: string) => number | undefined,
  ) {}

  /**
   * Parks a receive until `attempt` returns messages or `waitMs` (already scaled) runs out; an
   * `abort` (the client hung up) ends it without receiving, so no message goes invisible for
   * a caller that is gone.
   */
  wait(
    queue: string,
    waitMs: number,
    attempt: () => T[],
    onAbort: (abort: () => void) => () => void,
  ): Promise<T[]> {
    return new Promise((resolve) => {
      let waiters = this.byQueue.get(queue);
      if (!waiters) this.byQueue.set(queue, (waiters = new Set()));
      const set = waiters;
      let done = false;
      // Filled in below: `finish` may run before both exist (a client already gone).
      const handles: { cancelTimeout?: () => void; unlisten?: () => void } = {};
      const finish = (result: T[]) => {
        if (done) return;
        done = true;
        set.delete(waiter);
        if (set.size === 0) {
          this.byQueue.delete(queue);
          this.clearWake(queue);
        }
        handles.cancelTimeout?.();
        handles.unlisten?.();
        resolve(result);
      };
      const waiter: Waiter<T> = { attempt, finish };
      set.add(waiter);
      handles.cancelTimeout = setTimerAt(this.clock, () => finish([]), this.clock.now() + waitMs);
      handles.unlisten = onAbort(() => finish([]));
      if (done) handles.unlisten();
      else this.armWake(queue);
    });
  }

  /** Lets parked receives on `queue` try again, oldest first, while they find messages. */
  notify(queue: string): void {
    const waiters = this.byQueue.get(queue);
    if (!waiters) return;
    for (const waiter of [...waiters]) {
      const messages = waiter.attempt();
      if (messages.length === 0) break;
      waiter.finish(messages);
    }
    this.armWake(queue);
  }

  /** Something became invisible until some time: make sure a waiter is woken by then. */
  armWake(queue: string): void {
    if (!this.byQueue.has(queue)) return;
    const at = this.nextVisibleAt(queue);
    const current = this.wakeTimers.get(queue);
    if (at === undefined || (current && current.at <= at)) return;
    current?.cancel();
    const cancel = setTimerAt(
      this.clock,
      () => {
        this.wakeTimers.delete(queue);
        this.notify(queue);
      },
      at,
    );
    this.wakeTimers.set(queue, { at, cancel });
  }

  /** Ends every wait on `queue` empty (queue deleted) or on every queue (shutdown). */
  release(queue?: string): void {
    const queues = queue === undefined ? [...this.byQueue.keys()] : [queue];
    for (const name of queues) {
      for (const waiter of [...(this.byQueue.get(name) ?? [])]) waiter.finish([]);
      this.clearWake(name);
    }
  }

  get parked(): number {
    let n = 0;
    for (const set of this.byQueue.values()) n += set.size;
    return n;
  }

  private clearWake(queue: string): void {
    this.wakeTimers.get(queue)?.cancel();
    this.wakeTimers.delete(queue);
  }
}
