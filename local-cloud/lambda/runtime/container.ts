import type { Logger } from '../../core/service';
import { openChannel, type Channel, type ContainerExit } from './channel';
import { containerEnvironment, type ContainerSpec } from './environment';
import { exitError, outOfMemoryError, timedOutError } from './errors';
import type { FromContainer } from './protocol';
import type { FunctionError, Isolation } from './types';

/**
 * Lambda limits the Init phase to 10 s (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib).
 * Not divided by the time scale: it guards against a hung import, and a cold start costs the
 * same real time whatever the scale. Deviation: AWS then retries init within the invocation
 * under the function's timeout; here the invocation fails with Sandbox.Timedout at once.
 */
export const INIT_TIMEOUT_MS = 10_000;

export type InitOutcome = { ok: true } | { ok: false; error: FunctionError; durationMs: number };
export type InvokeOutcome =
  | { ok: true; payload: unknown; durationMs: number }
  | { ok: false; error: FunctionError; durationMs: number };

interface Pending<T> {
  requestId: string;
  startedAt: number;
  resolve(outcome: T): void;
  timer?: NodeJS.Timeout;
}

/**
 * One execution environment: a thread or process running bootstrap.mjs for one function. It
 * serves one invocation at a time; it is discarded (never reused) after a timeout, a crash,
 * running out of memory or failing init, as Lambda resets an environment after those.
 */
export class Container {
  private readonly channel: Channel;
  private init?: Pending<InitOutcome>;
  private running?: Pending<InvokeOutcome> & { timeoutSeconds: number };
  /** An error the bootstrap reported right before exiting. */
  private crashError?: FunctionError;
  private killedBy?: 'timeout' | 'runtime';
  private exited = false;
  private readonly gone: Promise<void>;

  constructor(
    private readonly spec: ContainerSpec,
    isolation: Isolation,
    private readonly log: Logger,
    onGone: (container: Container) => void,
  ) {
    let markGone!: () => void;
    this.gone = new Promise((resolve) => (markGone = resolve));
    this.channel = openChannel(
      isolation,
      {
        data: {
          codePath: spec.codePath,
          exportName: spec.exportName,
          functionName: spec.name,
          memorySizeMb: spec.memorySizeMb,
        },
        env: containerEnvironment(spec),
        memorySizeMb: spec.memorySizeMb,
      },
      {
        onMessage: (message) => this.onMessage(message),
        onOutput: (stream, line) =>
          stream === 'stdout'
            ? this.log.info(`${spec.name}: ${line}`)
            : this.log.warn(`${spec.name}: ${line}`),
        onExit: (exit) => {
          this.exited = true;
          this.onExit(exit);
          onGone(this);
          markGone();
        },
      },
    );
  }

  /** Still alive and fit for another invocation. */
  get reusable(): boolean {
    return !this.exited && !this.killedBy && !this.crashError && !this.init && !this.running;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Waits for the Init phase; `requestId` is the invocation that caused this cold start. */
  start(requestId: string): Promise<InitOutcome> {
    if (this.exited) {
      const error = this.crashError ?? exitError(requestId, { code: null, signal: 'SIGKILL' });
      return Promise.resolve({ ok: false, error, durationMs: 0 });
    }
    return new Promise((resolve) => {
      this.init = { requestId, startedAt: performance.now(), resolve };
      this.init.timer = setTimeout(() => {
        this.log.warn(`${this.spec.name} init did not finish in ${INIT_TIMEOUT_MS} ms`);
        this.settleInit({
          ok: false,
          error: timedOutError(requestId, INIT_TIMEOUT_MS / 1000),
          durationMs: INIT_TIMEOUT_MS,
        });
        void this.kill('runtime');
      }, INIT_TIMEOUT_MS);
    });
  }

  /**
   * Runs one invocation. `timeoutMs` is the (scaled) wall-clock budget, undefined for none;
   * `deadlineMs` is what getRemainingTimeInMillis counts down to.
   */
  invoke(request: {
    requestId: string;
    payload: string;
    invokedFunctionArn: string;
    timeoutMs: number | undefined;
    deadlineMs: number;
  }): Promise<InvokeOutcome> {
    if (this.exited) {
      // It ended between being lent and being given the event.
      const error =
        this.crashError ?? exitError(request.requestId, { code: null, signal: 'SIGKILL' });
      return Promise.resolve({ ok: false, error, durationMs: 0 });
    }
    return new Promise((resolve) => {
      this.running = {
        requestId: request.requestId,
        startedAt: performance.now(),
        resolve,
        timeoutSeconds: this.spec.timeoutSeconds,
      };
      if (request.timeoutMs !== undefined) {
        this.running.timer = setTimeout(() => void this.kill('timeout'), request.timeoutMs);
      }
      this.channel.send({
        type: 'invoke',
        requestId: request.requestId,
        payload: request.payload,
        invokedFunctionArn: request.invokedFunctionArn,
        deadlineMs: request.deadlineMs,
      });
    });
  }

  /** Idle containers do not hold the local cloud's process open; working ones do. */
  hold(held: boolean): void {
    if (this.exited) return;
    if (held) this.channel.ref();
    else this.channel.unref();
  }

  /** Ends the container (SIGKILL in Lambda's terms); resolves once it is gone. */
  async kill(reason: 'timeout' | 'runtime' = 'runtime'): Promise<void> {
    if (!this.exited) {
      this.killedBy ??= reason;
      await this.channel.kill();
    }
    await this.gone;
  }

  private onMessage(message: FromContainer): void {
    switch (message.type) {
      case 'ready':
        this.log.info(`${this.spec.name} cold start`, {
          initMs: Math.round(message.initDurationMs),
        });
        this.settleInit({ ok: true });
        return;
      case 'init-error':
        this.settleInit({
          ok: false,
          error: message.error,
          durationMs: performance.now() - (this.init?.startedAt ?? 0),
        });
        void this.kill('runtime');
        return;
      case 'result':
        if (this.killedBy || this.running?.requestId !== message.requestId) return;
        this.settleInvoke(
          message.ok
            ? { ok: true, payload: JSON.parse(message.payload) as unknown, durationMs: 0 }
            : { ok: false, error: message.error, durationMs: 0 },
        );
        return;
      case 'crash':
        // The bootstrap exits right after this; the outcome is settled on exit.
        this.crashError = message.error;
        if (!this.running && !this.init) {
          this.log.warn(`${this.spec.name} crashed between invocations`, {
            error: `${message.error.errorType}: ${message.error.errorMessage}`,
          });
        }
    }
  }

  private onExit(exit: ContainerExit): void {
    const requestId = this.running?.requestId ?? this.init?.requestId ?? '';
    const error =
      this.killedBy === 'timeout' && this.running
        ? timedOutError(requestId, this.running.timeoutSeconds)
        : exit.outOfMemory
          ? outOfMemoryError(requestId)
          : (this.crashError ??
            exitError(requestId, this.killedBy ? { code: null, signal: 'SIGKILL' } : exit));
    if (this.running || this.init) {
      const level = this.killedBy === 'runtime' ? 'info' : 'warn';
      this.log[level](`${this.spec.name} container ended: ${error.errorType}`, { requestId });
    }
    if (this.init) {
      this.settleInit({
        ok: false,
        error,
        durationMs: performance.now() - this.init.startedAt,
      });
    }
    if (this.running) this.settleInvoke({ ok: false, error, durationMs: 0 });
  }

  private settleInit(outcome: InitOutcome): void {
    const init = this.init;
    if (!init) return;
    this.init = undefined;
    clearTimeout(init.timer);
    init.resolve(outcome);
  }

  private settleInvoke(outcome: InvokeOutcome): void {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    clearTimeout(running.timer);
    running.resolve({ ...outcome, durationMs: performance.now() - running.startedAt });
  }
}
