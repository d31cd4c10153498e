/** Thrown into an execution's awaits once it is stopped, timed out, or a sibling branch failed. */
export const ABORTED = Symbol('execution aborted');

/**
 * Cancellation for one execution (and, as children, its Parallel branches / Map iterations).
 * A handler that is already running cannot be interrupted in-process; the scope makes the
 * interpreter stop waiting for it and ignore whatever it returns, so it is never retried.
 */
export class AbortScope {
  aborted = false;
  private readonly listeners = new Set<() => void>();

  child(): AbortScope {
    const child = new AbortScope();
    if (this.aborted) child.aborted = true;
    else {
      const onAbort = () => child.abort();
      this.listeners.add(onAbort);
    }
    return child;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    for (const listener of this.listeners) listener();
    this.listeners.clear();
  }

  /** Awaits `promise` unless the scope aborts first (then rejects with ABORTED). */
  guard<T>(promise: Promise<T>): Promise<T> {
    if (this.aborted) return Promise.reject(ABORTED);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(ABORTED);
      this.listeners.add(onAbort);
      promise.then(
        (value) => {
          this.listeners.delete(onAbort);
          if (this.aborted) reject(ABORTED);
          else resolve(value);
        },
        (error: unknown) => {
          this.listeners.delete(onAbort);
          reject(this.aborted ? ABORTED : error);
        },
      );
    });
  }

  throwIfAborted(): void {
    if (this.aborted) throw ABORTED;
  }
}
