/**
 * The interpreter behind the Step Functions stand-in: our own, not `aws-local-stepfunctions`.
 *
 * Why: the hardest requirement is durability: after SIGKILL, a RUNNING execution must
 * continue "from the last state it entered", with its retry counters, Wait deadline or open task
 * token intact. The library runs a whole machine in memory from StartAt and has no way to resume
 * mid-machine with its counters (a sub-definition with StartAt = X could restart a state, but not
 * a half-spent retry budget or a parked token), and on top it lacks `.waitForTaskToken`,
 * `$$.Task.Token`, HeartbeatSeconds, has a wrong 60 s default task timeout, and keeps re-running
 * handlers after abort(). Patching all that around its internals is more code, and more fragile,
 * than interpreting the JSONPath flavour of ASL ourselves (~1k lines with paths, intrinsics and
 * choice rules), where every top-level state entry is a checkpoint in SQLite.
 *
 * Durability model: top-level states are checkpoints (name + input, plus retry counters, the
 * pending retry/Wait deadline, or the open task token). Parallel/Map states are one checkpoint:
 * after a crash they re-run as a whole (at-least-once, like any state), and task tokens minted
 * inside their branches before the crash are closed (SendTaskSuccess on them -> TaskTimedOut).
 */
import type { Clock } from '../../core/service';
import { scaleDelay, scaleTimeout, setTimerAt } from '../../core/clock';
import { ABORTED, AbortScope } from './abort-scope';
import { STATE_EVENT_PREFIX, type State, type StateMachineDefinition } from '../language/asl';
import { evaluateRule } from '../language/choice';
import {
  applyInputPath,
  applyOutputPath,
  applyResultPath,
  resolveTemplate,
} from '../language/data-flow';
import { StatesError, errorMatches, runtimeError, toStatesError } from '../language/errors';
import { readPath } from '../language/json-path';
import type { LoadedStateMachine } from '../definitions/machines';
import { retryDelayMs } from '../language/retry';
import type {
  ExecutionRecord,
  ExecutionStatus,
  ExecutionStore,
  HistoryEvent,
  ResumePoint,
} from '../store';
import type { TaskTokens } from '../task-tokens';

export interface EngineHost {
  store: ExecutionStore;
  tokens: TaskTokens;
  clock: Clock;
  region: string;
  invoke(
    machine: LoadedStateMachine,
    functionRef: string,
    payload: unknown,
    timeoutMs?: number,
  ): Promise<unknown>;
  onEvent(run: ExecutionRun, event: HistoryEvent): void;
  onFinished(run: ExecutionRun, status: ExecutionStatus): void;
}

interface Scope {
  abort: AbortScope;
  /** Top level: state entries are checkpoints. */
  root: boolean;
  mapItem?: { Index: number; Value: unknown };
}

interface Outcome {
  output: unknown;
  next?: string;
}

type TaskKind =
  { kind: 'direct'; functionRef: string } | { kind: 'invoke'; wait: boolean; resource: string };

const LAMBDA_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/;

function classifyResource(resource: string | undefined): TaskKind {
  if (resource && LAMBDA_ARN.test(resource)) return { kind: 'direct', functionRef: resource };
  if (resource === 'arn:aws:states:::lambda:invoke')
    return { kind: 'invoke', wait: false, resource: 'invoke' };
  if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
    return { kind: 'invoke', wait: true, resource: 'invoke.waitForTaskToken' };
  }
  // Deviation: only Lambda integrations run locally; others fail loudly instead of faking.
  throw runtimeError(`The local cloud does not support Task resource '${resource ?? ''}'`);
}

/** Deviation: there is no IAM locally; every execution reports this placeholder role. */
export const ROLE_ARN = 'arn:aws:iam::000000000000:role/local-cloud-stepfunctions';

const isoTime = (ms: number) => new Date(ms).toISOString();
const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export class ExecutionRun {
  readonly scope = new AbortScope();
  private nextEventId: number;
  private cancelExecutionTimeout?: () => void;
  private finished = false;

  constructor(
    private readonly host: EngineHost,
    readonly machine: LoadedStateMachine,
    readonly record: ExecutionRecord,
    lastEventId: number,
  ) {
    this.nextEventId = lastEventId + 1;
  }

  get arn(): string {
    return this.record.arn;
  }

  /** ExecutionStarted; the caller writes it in the same transaction as the execution row. */
  recordStart(): void {
    this.write(
      'ExecutionStarted',
      {
        executionStartedEventDetails: {
          input: this.record.input,
          inputDetails: { truncated: false },
          roleArn: ROLE_ARN,
        },
      },
      this.record.startDate,
    );
  }

  /** Runs (or, after a restart, resumes) the execution to a terminal state. */
  async run(resuming: boolean): Promise<void> {
    if (this.record.timeoutAt !== null) {
      this.cancelExecutionTimeout = setTimerAt(
        this.host.clock,
        () => this.timeOut(),
        this.record.timeoutAt,
      );
    }
    try {
      const output = await this.runRoot(resuming);
      this.finish('SUCCEEDED', 'ExecutionSucceeded', 'executionSucceededEventDetails', {
        output: JSON.stringify(output),
        outputDetails: { truncated: false },
      });
    } catch (error) {
      if (error === ABORTED || this.scope.aborted) return;
      const failure = toStatesError(error);
      this.finish('FAILED', 'ExecutionFailed', 'executionFailedEventDetails', {
        error: failure.name,
        cause: failure.cause,
      });
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
    const details: Record<string, string> = {};
    if (error !== undefined) details.error = error;
    if (cause !== undefined) details.cause = cause;
    this.finish('ABORTED', 'ExecutionAborted', 'executionAbortedEventDetails', details, {
      error,
      cause,
    });
  }

  private timeOut(): void {
    this.scope.abort();
    this.finish(
      'TIMED_OUT',
      'ExecutionTimedOut',
      'executionTimedOutEventDetails',
      {
        error: 'States.Timeout',
        cause: 'The execution timed out',
      },
      { error: 'States.Timeout', cause: 'The execution timed out' },
    );
  }

  private finish(
    status: ExecutionStatus,
    type: string,
    key: string,
    details: Record<string, unknown>,
    fields: { output?: string; error?: string; cause?: string } = {
      output: details.output as string | undefined,
      error: details.error as string | undefined,
      cause: details.cause as string | undefined,
    },
  ): void {
    if (this.finished) return;
    const now = this.host.clock.now();
    const done = this.host.store.transaction(() => {
      if (!this.host.store.finish(this.arn, status, fields, now)) return false;
      this.write(type, { [key]: details }, now);
      return true;
    });
    this.finished = true;
    this.cancelExecutionTimeout?.();
    if (done) this.host.onFinished(this, status);
  }

  /** Appends a history event; nothing is written once the execution has been stopped. */
  private emit(scope: Scope, type: string, details?: Record<string, unknown>): void {
    scope.abort.throwIfAborted();
    this.write(type, details ?? {}, this.host.clock.now());
  }

  private write(type: string, details: Record<string, unknown>, timestamp: number): void {
    const id = this.nextEventId++;
    const event: HistoryEvent = { id, previousEventId: id - 1, type, timestamp, ...details };
    this.host.store.appendEvent(this.arn, event);
    this.host.onEvent(this, event);
  }

  private context(
    stateName: string,
    enteredAt: number,
    retryCount: number,
    scope: Scope,
    token?: string,
  ): Record<string, unknown> {
    return {
      Execution: {
        Id: this.arn,
        Input: JSON.parse(this.record.input),
        Name: this.record.name,
        RoleArn: ROLE_ARN,
        StartTime: isoTime(this.record.startDate),
        RedriveCount: 0,
      },
      State: { EnteredTime: isoTime(enteredAt), Name: stateName, RetryCount: retryCount },
      StateMachine: { Id: this.machine.arn, Name: this.machine.name },
      ...(token ? { Task: { Token: token } } : {}),
      ...(scope.mapItem ? { Map: { Item: scope.mapItem } } : {}),
    };
  }

  private enter(scope: Scope, name: string, state: State, input: unknown): number {
    const now = this.host.clock.now();
    const details = {
      stateEnteredEventDetails: {
        name,
        input: JSON.stringify(input),
        inputDetails: { truncated: false },
      },
    };
    if (!scope.root) {
      this.emit(scope, `${STATE_EVENT_PREFIX[state.Type]}Entered`, details);
      return now;
    }
    this.emit(scope, `${STATE_EVENT_PREFIX[state.Type]}Entered`, details);
    this.host.store.checkpoint(this.arn, name, JSON.stringify(input), now);
    return now;
  }

  private runRoot(resuming: boolean): Promise<unknown> {
    const scope: Scope = { abort: this.scope, root: true };
    if (resuming && this.record.currentState !== null) {
      return this.runStates(this.machine.definition, parse(this.record.stateInput), scope, {
        name: this.record.currentState,
        enteredAt: this.record.stateEnteredAt ?? this.host.clock.now(),
        point: this.record.resume ?? {},
      });
    }
    return this.runStates(this.machine.definition, JSON.parse(this.record.input), scope);
  }

  private async runStates(
    definition: StateMachineDefinition,
    input: unknown,
    scope: Scope,
    resume?: { name: string; enteredAt: number; point: ResumePoint },
  ): Promise<unknown> {
    let name = resume?.name ?? definition.StartAt;
    let current = input;
    let resumed = resume;
    for (;;) {
      const state = definition.States[name];
      if (!state) throw runtimeError(`State '${name}' does not exist`);
      const enteredAt = resumed ? resumed.enteredAt : this.enter(scope, name, state, current);
      const outcome = await this.executeState(
        name,
        state,
        current,
        scope,
        enteredAt,
        resumed?.point,
      );
      resumed = undefined;
      this.emit(scope, `${STATE_EVENT_PREFIX[state.Type]}Exited`, {
        stateExitedEventDetails: {
          name,
          output: JSON.stringify(outcome.output),
          outputDetails: { truncated: false },
        },
      });
      if (outcome.next === undefined) return outcome.output;
      name = outcome.next;
      current = outcome.output;
    }
  }

  private async executeState(
    name: string,
    state: State,
    input: unknown,
    scope: Scope,
    enteredAt: number,
    resume: ResumePoint | undefined,
  ): Promise<Outcome> {
    const ctx = () => this.context(name, enteredAt, 0, scope);
    const next = state.End ? undefined : state.Next;
    switch (state.Type) {
      case 'Pass': {
        const effective = applyInputPath(state.InputPath, input, ctx());
        const result =
          state.Parameters !== undefined
            ? resolveTemplate(state.Parameters, effective, ctx())
            : state.Result !== undefined
              ? state.Result
              : effective;
        return {
          output: applyOutputPath(
            state.OutputPath,
            applyResultPath(state.ResultPath, input, result),
            ctx(),
          ),
          next,
        };
      }
      case 'Succeed':
        return {
          output: applyOutputPath(
            state.OutputPath,
            applyInputPath(state.InputPath, input, ctx()),
            ctx(),
          ),
        };
      case 'Fail': {
        const error =
          state.Error ??
          (state.ErrorPath ? String(readPath(state.ErrorPath, input, ctx())) : 'States.Fail');
        const cause =
          state.Cause ?? (state.CausePath ? String(readPath(state.CausePath, input, ctx())) : '');
        throw new StatesError(error, cause);
      }
      case 'Choice': {
        const effective = applyInputPath(state.InputPath, input, ctx());
        const rule = (state.Choices ?? []).find((r) => evaluateRule(r, effective, ctx()));
        const target = rule?.Next ?? state.Default;
        if (!target)
          throw new StatesError(
            'States.NoChoiceMatched',
            `No Choice rule matched and there is no Default in state '${name}'`,
          );
        return { output: applyOutputPath(state.OutputPath, effective, ctx()), next: target };
      }
      case 'Wait': {
        const effective = applyInputPath(state.InputPath, input, ctx());
        const dueAt = resume?.resumeAt ?? this.waitDeadline(state, effective, ctx());
        if (scope.root && resume?.resumeAt === undefined)
          this.host.store.setResume(this.arn, { resumeAt: dueAt });
        await this.sleepUntil(scope, dueAt);
        return { output: applyOutputPath(state.OutputPath, effective, ctx()), next };
      }
      case 'Task':
      case 'Parallel':
      case 'Map':
        return this.withRetryAndCatch(name, state, input, scope, enteredAt, resume);
    }
  }

  private waitDeadline(state: State, input: unknown, ctx: unknown): number {
    const now = this.host.clock.now();
    const scale = this.host.clock.timeScale ?? 1;
    const seconds =
      state.Seconds ??
      (state.SecondsPath ? Number(readPath(state.SecondsPath, input, ctx)) : undefined);
    if (seconds !== undefined) return now + scaleDelay(seconds * 1000, scale);
    const stamp =
      state.Timestamp ??
      (state.TimestampPath ? String(readPath(state.TimestampPath, input, ctx)) : undefined);
    const at = stamp ? Date.parse(stamp) : NaN;
    if (Number.isNaN(at))
      throw runtimeError('Wait state needs Seconds, SecondsPath, Timestamp or TimestampPath');
    return now + scaleDelay(Math.max(0, at - now), scale);
  }

  private sleepUntil(scope: Scope, dueAt: number): Promise<void> {
    if (dueAt <= this.host.clock.now()) return scope.abort.guard(Promise.resolve());
    let cancel: (() => void) | undefined;
    const sleeping = new Promise<void>((resolve) => {
      cancel = setTimerAt(this.host.clock, resolve, dueAt);
    });
    return scope.abort.guard(sleeping).finally(() => cancel?.());
  }

  private async withRetryAndCatch(
    name: string,
    state: State,
    input: unknown,
    scope: Scope,
    enteredAt: number,
    resume: ResumePoint | undefined,
  ): Promise<Outcome> {
    const retriers = state.Retry ?? [];
    const counters = resume?.retryCounters ?? retriers.map(() => 0);
    let retryCount = resume?.retryCount ?? 0;
    let pendingUntil = resume?.resumeAt;
    let resumeToken = resume?.token;
    for (;;) {
      const ctx = this.context(name, enteredAt, retryCount, scope);
      try {
        if (pendingUntil !== undefined) await this.sleepUntil(scope, pendingUntil);
        pendingUntil = undefined;
        const effective = applyInputPath(state.InputPath, input, ctx);
        const token = resumeToken;
        resumeToken = undefined;
        const raw = await this.attempt(name, state, effective, scope, enteredAt, {
          retryCount,
          counters,
          token,
        });
        const result =
          state.ResultSelector !== undefined
            ? resolveTemplate(state.ResultSelector, raw, ctx)
            : raw;
        const output = applyOutputPath(
          state.OutputPath,
          applyResultPath(state.ResultPath, input, result),
          ctx,
        );
        return { output, next: state.End ? undefined : state.Next };
      } catch (thrown) {
        if (thrown === ABORTED || scope.abort.aborted) throw ABORTED;
        const error = toStatesError(thrown);
        const index = retriers.findIndex((r) => errorMatches(r.ErrorEquals, error.name));
        const retrier = index >= 0 ? retriers[index] : undefined;
        if (retrier && counters[index]! < (retrier.MaxAttempts ?? 3)) {
          const delay = retryDelayMs(retrier, counters[index]!);
          counters[index] = counters[index]! + 1;
          retryCount += 1;
          pendingUntil = this.host.clock.now() + scaleDelay(delay, this.host.clock.timeScale ?? 1);
          if (scope.root) {
            this.host.store.setResume(this.arn, {
              retryCounters: counters,
              retryCount,
              resumeAt: pendingUntil,
            });
          }
          continue;
        }
        const catcher = (state.Catch ?? []).find((c) => errorMatches(c.ErrorEquals, error.name));
        if (!catcher) throw error;
        const output = applyResultPath(catcher.ResultPath, input, {
          Error: error.name,
          Cause: error.cause,
        });
        return { output, next: catcher.Next };
      }
    }
  }

  private attempt(
    name: string,
    state: State,
    effective: unknown,
    scope: Scope,
    enteredAt: number,
    retry: { retryCount: number; counters: number[]; token: string | undefined },
  ): Promise<unknown> {
    if (state.Type === 'Parallel')
      return this.runParallel(name, state, effective, scope, enteredAt, retry.retryCount);
    if (state.Type === 'Map')
      return this.runMap(name, state, effective, scope, enteredAt, retry.retryCount);
    return this.runTask(name, state, effective, scope, enteredAt, retry);
  }

  private seconds(
    value: number | undefined,
    path: string | undefined,
    input: unknown,
    ctx: unknown,
  ): number | undefined {
    if (value !== undefined) return value;
    if (path === undefined) return undefined;
    const resolved = readPath(path, input, ctx);
    if (typeof resolved !== 'number' || resolved <= 0)
      throw runtimeError(`${path} must be a positive number`);
    return resolved;
  }

  private async runTask(
    name: string,
    state: State,
    effective: unknown,
    scope: Scope,
    enteredAt: number,
    retry: { retryCount: number; counters: number[]; token: string | undefined },
  ): Promise<unknown> {
    const task = classifyResource(state.Resource);
    const scale = this.host.clock.timeScale ?? 1;
    const baseCtx = this.context(name, enteredAt, retry.retryCount, scope);
    const timeoutSeconds = this.seconds(
      state.TimeoutSeconds,
      state.TimeoutSecondsPath,
      effective,
      baseCtx,
    );
    const heartbeatSeconds = this.seconds(
      state.HeartbeatSeconds,
      state.HeartbeatSecondsPath,
      effective,
      baseCtx,
    );

    if (task.kind === 'invoke' && task.wait) {
      return this.runCallbackTask(name, state, effective, scope, enteredAt, retry, {
        timeoutSeconds,
        heartbeatSeconds,
      });
    }

    const params =
      state.Parameters !== undefined
        ? resolveTemplate(state.Parameters, effective, baseCtx)
        : effective;
    const direct = task.kind === 'direct';
    const functionRef = direct ? task.functionRef : this.functionName(params);
    const payload = direct ? params : (params as Record<string, unknown>).Payload;
    const timing = {
      ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
      ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
    };
    // AWS reports the legacy direct-ARN form as LambdaFunction* events, the integration as Task*.
    const lambdaDetails = { resourceType: 'lambda', resource: direct ? '' : 'invoke' };
    if (direct) {
      this.emit(scope, 'LambdaFunctionScheduled', {
        lambdaFunctionScheduledEventDetails: {
          resource: functionRef,
          input: JSON.stringify(payload),
          ...timing,
        },
      });
      this.emit(scope, 'LambdaFunctionStarted');
    } else {
      this.emit(scope, 'TaskScheduled', {
        taskScheduledEventDetails: {
          ...lambdaDetails,
          region: this.host.region,
          parameters: JSON.stringify(params),
          ...timing,
        },
      });
      this.emit(scope, 'TaskStarted', { taskStartedEventDetails: lambdaDetails });
    }
    const timeoutMs =
      timeoutSeconds !== undefined ? scaleTimeout(timeoutSeconds * 1000, scale) : undefined;
    let result: unknown;
    try {
      result = await scope.abort.guard(
        this.withTimeout(
          this.host.invoke(this.machine, functionRef, payload, timeoutMs),
          timeoutMs,
        ),
      );
    } catch (thrown) {
      if (thrown === ABORTED || scope.abort.aborted) throw ABORTED;
      const error = toStatesError(thrown);
      const timedOut = error.name === 'States.Timeout';
      const details = { error: error.name, cause: error.cause };
      if (direct) {
        const type = timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed';
        this.emit(scope, type, {
          [timedOut ? 'lambdaFunctionTimedOutEventDetails' : 'lambdaFunctionFailedEventDetails']:
            details,
        });
      } else {
        const type = timedOut ? 'TaskTimedOut' : 'TaskFailed';
        this.emit(scope, type, {
          [timedOut ? 'taskTimedOutEventDetails' : 'taskFailedEventDetails']: {
            ...lambdaDetails,
            ...details,
          },
        });
      }
      throw error;
    }
    if (direct) {
      this.emit(scope, 'LambdaFunctionSucceeded', {
        lambdaFunctionSucceededEventDetails: {
          output: JSON.stringify(result),
          outputDetails: { truncated: false },
        },
      });
      return result;
    }
    const response = { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
    this.emit(scope, 'TaskSucceeded', {
      taskSucceededEventDetails: {
        ...lambdaDetails,
        output: JSON.stringify(response),
        outputDetails: { truncated: false },
      },
    });
    return response;
  }

  private functionName(params: unknown): string {
    const fn = (params as Record<string, unknown> | null)?.FunctionName;
    if (typeof fn !== 'string') throw runtimeError('lambda:invoke needs Parameters.FunctionName');
    return fn;
  }

  private withTimeout<T>(promise: Promise<T>, timeoutMs: number | undefined): Promise<T> {
    if (timeoutMs === undefined) return promise;
    let cancel: (() => void) | undefined;
    const timeout = new Promise<never>((_, reject) => {
      cancel = setTimerAt(
        this.host.clock,
        () => reject(new StatesError('States.Timeout', 'Task timed out')),
        this.host.clock.now() + timeoutMs,
      );
    });
    return Promise.race([promise, timeout]).finally(() => cancel?.());
  }

  private async runCallbackTask(
    name: string,
    state: State,
    effective: unknown,
    scope: Scope,
    enteredAt: number,
    retry: { retryCount: number; counters: number[]; token: string | undefined },
    timing: { timeoutSeconds?: number; heartbeatSeconds?: number },
  ): Promise<unknown> {
    const details = { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' };
    let token = retry.token;
    if (!token) {
      token = this.host.tokens.mint();
      const ctx = this.context(name, enteredAt, retry.retryCount, scope, token);
      const params =
        state.Parameters !== undefined
          ? resolveTemplate(state.Parameters, effective, ctx)
          : effective;
      const now = this.host.clock.now();
      const scale = this.host.clock.timeScale ?? 1;
      const heartbeatMs =
        timing.heartbeatSeconds !== undefined
          ? (scaleTimeout(timing.heartbeatSeconds * 1000, scale) ?? null)
          : null;
      const timeoutMs =
        timing.timeoutSeconds !== undefined
          ? scaleTimeout(timing.timeoutSeconds * 1000, scale)
          : undefined;
      const mintedToken = token;
      // The token row and the resume point land before the handler can leak the token.
      this.host.store.transaction(() => {
        this.host.store.insertToken({
          token: mintedToken,
          executionArn: this.arn,
          stateName: name,
          timeoutAt: timeoutMs !== undefined ? now + timeoutMs : null,
          heartbeatAt: heartbeatMs !== null ? now + heartbeatMs : null,
          heartbeatMs,
        });
        if (scope.root) {
          this.host.store.setResume(this.arn, {
            retryCounters: retry.counters,
            retryCount: retry.retryCount,
            token: mintedToken,
          });
        }
        this.emit(scope, 'TaskScheduled', {
          taskScheduledEventDetails: {
            ...details,
            region: this.host.region,
            parameters: JSON.stringify(params),
            ...(timing.timeoutSeconds !== undefined
              ? { timeoutInSeconds: timing.timeoutSeconds }
              : {}),
            ...(timing.heartbeatSeconds !== undefined
              ? { heartbeatInSeconds: timing.heartbeatSeconds }
              : {}),
          },
        });
        this.emit(scope, 'TaskStarted', { taskStartedEventDetails: details });
      });
      let invoked: unknown;
      try {
        invoked = await scope.abort.guard(
          this.host.invoke(
            this.machine,
            this.functionName(params),
            (params as Record<string, unknown>).Payload,
          ),
        );
      } catch (thrown) {
        if (thrown === ABORTED || scope.abort.aborted) throw ABORTED;
        const error = toStatesError(thrown);
        this.host.store.closeToken(mintedToken, 'failed', {
          error: error.name,
          cause: error.cause,
        });
        this.emit(scope, 'TaskFailed', {
          taskFailedEventDetails: { ...details, error: error.name, cause: error.cause },
        });
        throw error;
      }
      this.emit(scope, 'TaskSubmitted', {
        taskSubmittedEventDetails: {
          ...details,
          output: JSON.stringify({ ExecutedVersion: '$LATEST', Payload: invoked, StatusCode: 200 }),
          outputDetails: { truncated: false },
        },
      });
    }
    const parkedToken = token;
    const outcome = await scope.abort
      .guard(this.host.tokens.wait(parkedToken))
      .catch((error: unknown) => {
        if (error === ABORTED) this.host.tokens.release(parkedToken);
        throw error;
      });
    if (outcome.kind === 'succeeded') {
      this.emit(scope, 'TaskSucceeded', {
        taskSucceededEventDetails: {
          ...details,
          output: outcome.output,
          outputDetails: { truncated: false },
        },
      });
      return JSON.parse(outcome.output);
    }
    const eventDetails = { ...details, error: outcome.error, cause: outcome.cause };
    if (outcome.kind === 'timed_out')
      this.emit(scope, 'TaskTimedOut', { taskTimedOutEventDetails: eventDetails });
    else this.emit(scope, 'TaskFailed', { taskFailedEventDetails: eventDetails });
    throw new StatesError(outcome.error, outcome.cause);
  }

  private async runParallel(
    name: string,
    state: State,
    effective: unknown,
    scope: Scope,
    enteredAt: number,
    retryCount: number,
  ): Promise<unknown> {
    const ctx = this.context(name, enteredAt, retryCount, scope);
    const branchInput =
      state.Parameters !== undefined
        ? resolveTemplate(state.Parameters, effective, ctx)
        : effective;
    this.emit(scope, 'ParallelStateStarted');
    const children = scope.abort.child();
    try {
      const results = await Promise.all(
        (state.Branches ?? []).map((branch) =>
          this.runStates(branch, branchInput, { abort: children, root: false }),
        ),
      );
      this.emit(scope, 'ParallelStateSucceeded');
      return results;
    } catch (error) {
      children.abort();
      if (error === ABORTED || scope.abort.aborted) throw ABORTED;
      this.emit(scope, 'ParallelStateFailed');
      throw error;
    }
  }

  private async runMap(
    name: string,
    state: State,
    effective: unknown,
    scope: Scope,
    enteredAt: number,
    retryCount: number,
  ): Promise<unknown> {
    const ctx = this.context(name, enteredAt, retryCount, scope);
    const items = readPath(state.ItemsPath ?? '$', effective, ctx);
    if (!Array.isArray(items))
      throw runtimeError(`Map state '${name}': ItemsPath did not select an array`);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (!processor) throw runtimeError(`Map state '${name}' has no ItemProcessor`);
    const selector = state.ItemSelector ?? state.Parameters;
    this.emit(scope, 'MapStateStarted', { mapStateStartedEventDetails: { length: items.length } });
    const children = scope.abort.child();
    const results: unknown[] = new Array(items.length);
    const limit =
      state.MaxConcurrency && state.MaxConcurrency > 0 ? state.MaxConcurrency : items.length;
    let nextIndex = 0;
    const worker = async () => {
      while (nextIndex < items.length) {
        const index = nextIndex++;
        const mapItem = { Index: index, Value: items[index] };
        const itemScope: Scope = { abort: children, root: false, mapItem };
        const itemInput =
          selector !== undefined
            ? resolveTemplate(
                selector,
                effective,
                this.context(name, enteredAt, retryCount, itemScope),
              )
            : items[index];
        const details = { mapIterationStartedEventDetails: { name, index } };
        this.emit(itemScope, 'MapIterationStarted', details);
        try {
          results[index] = await this.runStates(processor, itemInput, {
            abort: children,
            root: false,
          });
        } catch (error) {
          if (error !== ABORTED && !children.aborted) {
            this.emit(itemScope, 'MapIterationFailed', {
              mapIterationFailedEventDetails: { name, index },
            });
          }
          throw error;
        }
        this.emit(itemScope, 'MapIterationSucceeded', {
          mapIterationSucceededEventDetails: { name, index },
        });
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(limit, Math.max(items.length, 1)) }, worker));
      this.emit(scope, 'MapStateSucceeded');
      return results;
    } catch (error) {
      children.abort();
      if (error === ABORTED || scope.abort.aborted) throw ABORTED;
      this.emit(scope, 'MapStateFailed');
      throw error;
    }
  }
}
