import { randomBytes } from 'node:crypto';
import { AwsError } from '../core/protocols/errors';
import { setTimerAt } from '../core/clock';
import type { Clock } from '../core/service';
import type { ExecutionStore, TokenRecord } from './store';

export type TokenOutcome =
  | { kind: 'succeeded'; output: string }
  | { kind: 'failed' | 'timed_out' | 'closed'; error: string; cause: string };

const TOKEN_PREFIX = 'LCT1';
const TOKEN_SHAPE = /^LCT1[A-Za-z0-9_-]{43}$/;

interface Waiter {
  resolve(outcome: TokenOutcome): void;
  record: TokenRecord;
  cancelTimeout?: () => void;
  cancelHeartbeat?: () => void;
}

function outcomeOf(record: TokenRecord): TokenOutcome {
  if (record.status === 'succeeded') return { kind: 'succeeded', output: record.output ?? 'null' };
  return {
    kind: record.status === 'open' ? 'closed' : record.status,
    error: record.error ?? 'States.Runtime',
    cause: record.cause ?? '',
  };
}

/**
 * Task tokens for `.waitForTaskToken`: the row in `sfn_task_tokens` is the truth (it survives a
 * restart, so a token handed out before a crash still works after); the in-memory waiter only
 * wakes the execution that is parked on it. Every close is a compare-and-set from `open`, so a
 * SendTaskSuccess racing a timeout resolves exactly once.
 */
export class TaskTokens {
  private readonly waiters = new Map<string, Waiter>();

  constructor(
    private readonly store: ExecutionStore,
    private readonly clock: Clock,
  ) {}

  get parked(): number {
    return this.waiters.size;
  }

  mint(): string {
    return TOKEN_PREFIX + randomBytes(32).toString('base64url');
  }

  /** Resolves when the token is completed, failed or times out (deadlines from its row). */
  wait(token: string): Promise<TokenOutcome> {
    const record = this.store.getToken(token);
    if (!record)
      return Promise.resolve({
        kind: 'closed',
        error: 'States.Runtime',
        cause: 'Unknown task token',
      });
    if (record.status !== 'open') return Promise.resolve(outcomeOf(record));
    return new Promise((resolve) => {
      const waiter: Waiter = { resolve, record };
      this.waiters.set(token, waiter);
      if (record.timeoutAt !== null) {
        waiter.cancelTimeout = setTimerAt(
          this.clock,
          () => this.expire(token, 'States.Timeout'),
          record.timeoutAt,
        );
      }
      if (record.heartbeatAt !== null) this.armHeartbeat(waiter, record.heartbeatAt);
    });
  }

  /** Forget a waiter without resolving it (the execution was stopped). */
  release(token: string): void {
    const waiter = this.waiters.get(token);
    if (!waiter) return;
    waiter.cancelTimeout?.();
    waiter.cancelHeartbeat?.();
    this.waiters.delete(token);
  }

  succeed(token: string, output: string): void {
    this.close(this.check(token), { kind: 'succeeded', output });
  }

  fail(token: string, error: string, cause: string): void {
    this.close(this.check(token), { kind: 'failed', error, cause });
  }

  heartbeat(token: string, now: number): void {
    const record = this.check(token);
    if (record.heartbeatMs === null) return;
    const at = now + record.heartbeatMs;
    this.store.heartbeat(token, at);
    const waiter = this.waiters.get(token);
    if (waiter) this.armHeartbeat(waiter, at);
  }

  private armHeartbeat(waiter: Waiter, at: number): void {
    waiter.cancelHeartbeat?.();
    waiter.cancelHeartbeat = setTimerAt(
      this.clock,
      () => this.expire(waiter.record.token, 'States.HeartbeatTimeout'),
      at,
    );
  }

  private check(token: string): TokenRecord {
    if (typeof token !== 'string' || token.length === 0 || token.length > 2048) {
      throw new AwsError('ValidationException', 'taskToken must be 1 to 2048 characters');
    }
    if (!TOKEN_SHAPE.test(token)) throw new AwsError('InvalidToken', 'Invalid token');
    const record = this.store.getToken(token);
    if (!record) throw new AwsError('TaskDoesNotExist', 'Task does not exist anymore');
    if (record.status !== 'open') throw new AwsError('TaskTimedOut', 'Task Timed Out');
    return record;
  }

  private expire(token: string, error: 'States.Timeout' | 'States.HeartbeatTimeout'): void {
    const cause =
      error === 'States.Timeout'
        ? 'The task timed out'
        : 'The task did not send a heartbeat in time';
    if (this.store.closeToken(token, 'timed_out', { error, cause })) {
      this.notify(token, { kind: 'timed_out', error, cause });
    }
  }

  private close(record: TokenRecord, outcome: TokenOutcome): void {
    const closed =
      outcome.kind === 'succeeded'
        ? this.store.closeToken(record.token, 'succeeded', { output: outcome.output })
        : this.store.closeToken(record.token, 'failed', {
            error: outcome.error,
            cause: outcome.cause,
          });
    if (!closed) throw new AwsError('TaskTimedOut', 'Task Timed Out');
    this.notify(record.token, outcome);
  }

  private notify(token: string, outcome: TokenOutcome): void {
    const waiter = this.waiters.get(token);
    if (!waiter) return; // No one parked yet (restart in progress): resume reads the row.
    this.release(token);
    waiter.resolve(outcome);
  }
}
