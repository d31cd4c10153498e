import { randomUUID } from 'node:crypto';
import type { Container, InvokeOutcome } from './container';
import { TooManyRequestsError } from './errors';
import type { InvokeResult } from './types';

/** A container lent to one invocation; `cold` = started for it. */
interface Lease {
  container: Container;
  cold: boolean;
}

interface Waiter {
  resolve(lease: Lease): void;
  reject(error: Error): void;
}

export interface PoolLimits {
  /** Reserved concurrency: more concurrent invocations are throttled. Undefined = none. */
  reserved?: number;
  /** At most this many containers; beyond, unreserved invocations queue. */
  maxContainers: number;
  /** An idle container is stopped after this long. */
  idleTimeoutMs: number;
}

export interface InvocationRequest {
  payload: string;
  invokedFunctionArn: string;
  timeoutMs: number | undefined;
  deadlineMs(): number;
}

/**
 * The containers of one function, scaled as Lambda scales a function: an invocation takes an
 * idle (warm) container if there is one, else starts a new one (cold), one invocation per
 * container at a time. With reserved concurrency, invocations beyond it are throttled, as
 * Lambda answers 429 (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
 * Deviation: without a reservation Lambda scales to the account's limit (1,000); locally the
 * cap is `maxContainers` and invocations beyond it wait for a free container (first come,
 * first served) rather than fail, because the local cap is ours, not the caller's to handle.
 * Idle containers are stopped after `idleTimeoutMs`, as Lambda reclaims idle environments
 * (after an undocumented while); the next invocation is then a cold start.
 */
export class FunctionPool {
  private readonly containers = new Set<Container>();
  /** Most recently used last: the warmest container is reused first. */
  private readonly idle: Container[] = [];
  private readonly idleTimers = new Map<Container, NodeJS.Timeout>();
  private readonly waiters: Waiter[] = [];
  /** Invocations holding, starting or waiting for a container (what concurrency counts). */
  private admitted = 0;
  private closed = false;
  invocations = 0;

  constructor(
    private readonly functionName: string,
    private readonly limits: PoolLimits,
    private readonly create: (onGone: (container: Container) => void) => Container,
  ) {}

  get size(): number {
    let live = 0;
    for (const container of this.containers) if (container.alive) live += 1;
    return live;
  }

  get busy(): number {
    return this.containers.size - this.idle.length;
  }

  async invoke(request: InvocationRequest): Promise<InvokeResult> {
    if (this.closed) throw new Error('The Lambda runtime is closed');
    if (this.limits.reserved !== undefined && this.admitted >= this.limits.reserved) {
      throw new TooManyRequestsError(this.functionName);
    }
    this.admitted += 1;
    try {
      const { container, cold } = await this.lease();
      const requestId = randomUUID();
      this.invocations += 1;
      if (cold) {
        const init = await container.start(requestId);
        if (!init.ok) {
          this.giveBack(container);
          return { ok: false, error: init.error, durationMs: init.durationMs, coldStart: true };
        }
      }
      const outcome: InvokeOutcome = await container.invoke({
        requestId,
        payload: request.payload,
        invokedFunctionArn: request.invokedFunctionArn,
        timeoutMs: request.timeoutMs,
        deadlineMs: request.deadlineMs(),
      });
      this.giveBack(container);
      return { ...outcome, coldStart: cold };
    } finally {
      this.admitted -= 1;
    }
  }

  /** Stops every container; queued invocations are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      waiter.reject(new Error('The Lambda runtime is closed'));
    }
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    await Promise.all([...this.containers].map((container) => container.kill()));
  }

  private lease(): Promise<Lease> {
    const ready = this.next();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** A warm container, a new one if the cap allows, or nothing (then the caller queues). */
  private next(): Lease | undefined {
    const warm = this.idle.pop();
    if (warm) {
      clearTimeout(this.idleTimers.get(warm));
      this.idleTimers.delete(warm);
      warm.hold(true);
      return { container: warm, cold: false };
    }
    if (this.containers.size >= this.limits.maxContainers) return undefined;
    const container = this.create((gone) => this.forget(gone));
    this.containers.add(container);
    return { container, cold: true };
  }

  private giveBack(container: Container): void {
    if (!container.reusable || this.closed) {
      // Discarded containers leave the pool when they exit (forget), which frees a slot.
      void container.kill();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.resolve({ container, cold: false });
      return;
    }
    container.hold(false);
    this.idle.push(container);
    const timer = setTimeout(() => {
      this.idleTimers.delete(container);
      const at = this.idle.indexOf(container);
      if (at === -1) return;
      this.idle.splice(at, 1);
      void container.kill();
    }, this.limits.idleTimeoutMs);
    timer.unref();
    this.idleTimers.set(container, timer);
  }

  private forget(container: Container): void {
    this.containers.delete(container);
    const at = this.idle.indexOf(container);
    if (at !== -1) this.idle.splice(at, 1);
    clearTimeout(this.idleTimers.get(container));
    this.idleTimers.delete(container);
    // A slot is free: the first queued invocation gets a new container.
    if (this.closed) return;
    while (this.waiters.length > 0) {
      const lease = this.next();
      if (!lease) break;
      this.waiters.shift()!.resolve(lease);
    }
  }
}
