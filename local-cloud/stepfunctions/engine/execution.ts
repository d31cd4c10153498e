/**
 * The interpreter behind the Step Functions stand-in: our own, not `aws-local-stepfunctions`.
 *
 * Why: the hardest requirement is durability: after SIGKILL, a RUNNING execution must continue
 * "from the last state it entered", with its retry counters, Wait deadline or open task token
 * intact. The library runs a whole machine in memory from StartAt and has no way to resume
 * mid-machine with its counters (a sub-definition with StartAt = X could restart a state, but not
 * a half-spent retry budget or a parked token), and on top it lacks `.waitForTaskToken`,
 * `$$.Task.Token`, HeartbeatSeconds, has a wrong 60 s default task timeout, and keeps re-running
 * handlers after abort(). Patching all that around its internals is more code, and more fragile,
 * than interpreting the JSONPath flavour of ASL ourselves, where every top-level state entry is a
 * checkpoint in SQLite.
 *
 * Durability model: top-level states are checkpoints (name + input, plus retry counters, the
 * pending retry/Wait deadline, or the open task token). Parallel/Map states are one checkpoint:
 * after a crash they re-run as a whole (at-least-once, like any state), and task tokens minted
 * inside their branches before the crash are closed (SendTaskSuccess on them -> TaskTimedOut).
 * Who writes what: interpreter.ts the checkpoint on entry, retry-catch.ts the retry resume
 * point, states/wait.ts the Wait deadline, states/task-callback.ts the token.
 *
 * Isolation: one execution cannot take the process with it. Every state transition goes through
 * the event-loop pacer (pacing.ts), so a synchronous loop yields to I/O; the history quota
 * (25,000 events) fails a runaway loop or a huge Map with States.Runtime; payloads over 256 KiB
 * fail their state with States.DataLimitExceeded (limits.ts); an inline Map runs at most 40
 * iterations at once. Each of these fails only the execution that hit it.
 *
 * Layout: this class is the execution's lifecycle (start, finish, stop, suspend, timeout) and
 * its history; frame.ts is what a state sees; history.ts builds every event; states/* hold one
 * module per state type.
 */
import { setTimerAt } from '../../core/clock';
import type { LoadedStateMachine } from '../definitions/registry';
import type { StateMachineDefinition } from '../language/asl';
import { toStatesError, type StatesError } from '../language/errors';
import type { ExecutionRecord, ExecutionStatus, HistoryEvent } from '../store';
import { ABORTED, AbortScope } from './abort-scope';
import type { RunContext, Scope } from './frame';
import * as history from './history';
import type { EngineHost } from './host';
import { runStates } from './interpreter';
import { historyLimitReached, MAX_HISTORY_EVENTS } from './limits';
import { processPacer } from './pacing';

export type { EngineHost };

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

type TerminalFields = { output?: string; error?: string; cause?: string };

export class ExecutionRun implements RunContext {
  readonly scope = new AbortScope();
  private nextEventId: number;
  private cancelExecutionTimeout?: () => void;
  private finished = false;
  /** A failure of the execution as a whole (the history quota): no Catch sees it. */
  private fatal?: StatesError;
  private parsedInput?: { value: unknown };

  constructor(
    readonly host: EngineHost,
    readonly machine: LoadedStateMachine,
    readonly record: ExecutionRecord,
    lastEventId: number,
  ) {
    this.nextEventId = lastEventId + 1;
  }

  get arn(): string {
    return this.record.arn;
  }

  get executionInput(): unknown {
    this.parsedInput ??= { value: JSON.parse(this.record.input) };
    return this.parsedInput.value;
  }

  /** ExecutionStarted; the caller writes it in the same transaction as the execution row. */
  recordStart(): void {
    const { input, startDate } = this.record;
    this.write(history.executionStarted(input, this.machine.roleArn), startDate);
  }

  /**
   * ExecutionRedriven; the caller writes it in the same transaction that reopens the row (whose
   * `redriveCount` is already the new count), then calls run('redrive').
   */
  recordRedrive(): void {
    this.write(history.executionRedriven(this.record.redriveCount), this.host.clock.now());
  }

  /**
   * Runs the execution to a terminal state: from StartAt (`start`), from its checkpoint after a
   * restart (`resume`), or from the state it did not complete (`redrive`).
   */
  async run(mode: 'start' | 'resume' | 'redrive'): Promise<void> {
    if (this.record.timeoutAt !== null) {
      this.cancelExecutionTimeout = setTimerAt(
        this.host.clock,
        () => this.timeOut(),
        this.record.timeoutAt,
      );
    }
    try {
      const output = JSON.stringify(await this.runRoot(mode)) ?? 'null';
      this.finish('SUCCEEDED', history.executionSucceeded(output), { output });
    } catch (error) {
      if (!this.fatal && (error === ABORTED || this.scope.aborted)) return;
      const failure = this.fatal ?? toStatesError(error);
      const fields = { error: failure.name || undefined, cause: failure.cause || undefined };
      this.finish('FAILED', history.executionFailed(fields), fields);
    }
  }

  /** Shutdown: stop working on the execution without recording anything, so it resumes later. */
  suspend(): void {
    this.finished = true;
    this.cancelExecutionTimeout?.();
    this.scope.abort();
  }

  /** StopExecution: the running handler (if any) finishes unobserved and is not retried. */
  stop(error?: string, cause?: string): void {
    this.scope.abort();
    const details: history.ErrorDetails = {};
    if (error !== undefined) details.error = error;
    if (cause !== undefined) details.cause = cause;
    this.finish('ABORTED', history.executionAborted(details), { error, cause });
  }

  /**
   * Fails the execution from outside (e.g. its state machine was deleted): like stop(), the
   * running handler finishes unobserved, but the execution ends FAILED with `error`.
   */
  fail(error: string, cause: string): void {
    this.scope.abort();
    const fields = { error, cause };
    this.finish('FAILED', history.executionFailed(fields), fields);
  }

  emit(scope: Scope, event: history.NewHistoryEvent): void {
    scope.abort.throwIfAborted();
    // Room is kept for the terminal event, so a failed execution's history ends with it.
    if (this.nextEventId >= MAX_HISTORY_EVENTS) this.failExecution(historyLimitReached());
    this.write(event, this.host.clock.now());
  }

  runStates(definition: StateMachineDefinition, input: unknown, scope: Scope): Promise<unknown> {
    return runStates(this, definition, input, scope);
  }

  pace(): Promise<void> | undefined {
    return processPacer.pace();
  }

  /** Aborts every branch of the execution; run() then records `error` as its failure. */
  private failExecution(error: StatesError): never {
    this.fatal ??= error;
    this.scope.abort();
    throw ABORTED;
  }

  private timeOut(): void {
    this.scope.abort();
    const details = { error: 'States.Timeout', cause: 'The execution timed out' };
    this.finish('TIMED_OUT', history.executionTimedOut(details), details);
  }

  private finish(
    status: ExecutionStatus,
    event: history.NewHistoryEvent,
    fields: TerminalFields,
  ): void {
    if (this.finished) return;
    const now = this.host.clock.now();
    const done = this.host.store.transaction(() => {
      if (!this.host.store.finish(this.arn, status, fields, now)) return false;
      this.write(event, now);
      return true;
    });
    this.finished = true;
    this.cancelExecutionTimeout?.();
    if (done) this.host.onFinished(this, status);
  }

  private write(event: history.NewHistoryEvent, timestamp: number): void {
    const id = this.nextEventId++;
    // Key order as AWS prints an event: id, previousEventId, type, timestamp, details.
    const stored: HistoryEvent = { id, previousEventId: id - 1, type: event.type, timestamp };
    for (const key in event) if (key !== 'type') stored[key] = event[key];
    this.host.store.appendEvent(this.arn, stored);
    this.host.onEvent(this, stored);
  }

  private runRoot(mode: 'start' | 'resume' | 'redrive'): Promise<unknown> {
    const scope: Scope = { abort: this.scope, root: true };
    const definition = this.machine.definition;
    const unfinished = this.record.currentState;
    if (mode === 'redrive' && unfinished !== null) {
      // AWS: "continues the failed execution from the unsuccessful step and uses the same input";
      // its retry budget starts afresh. A Parallel or Map state re-runs as a whole (AWS redrives
      // only its failed branches or iterations: a known gap, since they are one checkpoint here).
      const input = parse(this.record.stateInput);
      return runStates(this, definition, input, scope, { name: unfinished, enter: true });
    }
    if (mode === 'resume' && unfinished !== null) {
      return runStates(this, definition, parse(this.record.stateInput), scope, {
        name: unfinished,
        enteredAt: this.record.stateEnteredAt ?? this.host.clock.now(),
        point: this.record.resume ?? {},
      });
    }
    return runStates(this, definition, this.executionInput, scope);
  }
}
