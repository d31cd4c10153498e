import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { scaleTimeout } from '../core/clock';
import { awsJsonService } from '../core/protocols/aws-json';
import { AwsError } from '../core/protocols/errors';
import type { LocalRequest, LocalService, ServiceContext } from '../core/service';
import type { LambdaService } from '../lambda/service';
import { TooManyRequestsError } from '../lambda/types';
import { executionOperations } from './api/executions';
import { redriveStatusOf } from './api/redrive-rules';
import { stateMachineOperations } from './api/state-machines';
import { taskOperations } from './api/tasks';
import { StateMachineRegistry, type LoadedStateMachine } from './definitions/registry';
import { ExecutionRun, type EngineHost } from './engine/execution';
import { StatesError } from './language/errors';
import { ExecutionStore, type ExecutionRecord, type HistoryEvent } from './store';
import { TaskTokens } from './task-tokens';
import { requireJson, toEpochSeconds, validateName } from './wire';

export interface StepFunctionsOptions {
  /** Task states invoke their functions here, as Step Functions calls Lambda. */
  lambda: Pick<LambdaService, 'invoke'>;
}

/** What `events` emits as `'execution-event'`, for the operations console and the bench. */
export interface ExecutionEventMessage {
  executionArn: string;
  executionName: string;
  stateMachineArn: string;
  /** As in GetExecutionHistory, but `timestamp` in epoch milliseconds. */
  event: HistoryEvent;
}

const TERMINAL_LOG: Record<string, string> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionAborted: 'ABORTED',
  ExecutionTimedOut: 'TIMED_OUT',
};

/**
 * Step Functions (AWS JSON 1.0, `AWSStepFunctions.*`): state machines in a persisted registry
 * (`definitions/registry.ts`), executions run by the durable interpreter (`engine/`). The wire
 * operations live in `api/`; this class owns the running executions. Signatures are not verified
 * (dummy local credentials): a request only needs an Authorization header shaped like SigV4,
 * which every AWS SDK sends.
 */
export class StepFunctionsService implements LocalService {
  readonly name = 'stepfunctions';
  /** `'execution-event'` (ExecutionEventMessage) for every history event, as it is persisted. */
  readonly events = new EventEmitter();
  readonly store: ExecutionStore;
  readonly tokens: TaskTokens;
  readonly registry: StateMachineRegistry;
  private readonly runs = new Map<string, ExecutionRun>();
  private readonly host: EngineHost;
  private readonly http: Pick<LocalService, 'accepts' | 'handle'>;
  private closed = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly options: StepFunctionsOptions,
  ) {
    this.events.setMaxListeners(0);
    this.store = new ExecutionStore(ctx.db);
    this.tokens = new TaskTokens(this.store, ctx.clock);
    this.registry = new StateMachineRegistry(ctx.db);
    this.host = {
      store: this.store,
      tokens: this.tokens,
      clock: ctx.clock,
      region: ctx.region,
      invoke: (ref, payload) => this.invoke(ref, payload),
      onEvent: (run, event) => this.onEvent(run, event),
      onFinished: (run) => this.onFinished(run),
    };
    this.http = awsJsonService({
      name: this.name,
      version: '1.0',
      targetPrefix: 'AWSStepFunctions',
      namespace: 'com.amazonaws.sfn',
      authorize: 'sigv4',
      operations: {
        ...stateMachineOperations({
          registry: this.registry,
          clock: ctx.clock,
          region: ctx.region,
          runningExecutionsOf: (arn) => this.runningOf(arn).length,
          terminateExecutionsOf: (arn, cause) => {
            for (const run of this.runningOf(arn)) run.fail('States.Runtime', cause);
          },
        }),
        ...executionOperations({
          store: this.store,
          registry: this.registry,
          now: () => ctx.clock.now(),
          startExecution: (arn, input, name) => this.startExecution(arn, input, name),
          stopExecution: (record, error, cause) => this.stopExecution(record, error, cause),
          redriveExecution: (record) => this.redriveExecution(record),
          machineOf: (record) => this.machineOf(record),
        }),
        ...taskOperations({ tokens: this.tokens, now: () => ctx.clock.now() }),
      },
      log: ctx.log,
    });
    this.resumeRunning();
  }

  accepts(req: LocalRequest): boolean {
    return this.http.accepts(req);
  }

  handle(req: LocalRequest, res: ServerResponse): Promise<void> | void {
    return this.http.handle(req, res);
  }

  health(): { ok: boolean; detail?: string } {
    return {
      ok: true,
      detail: `${this.registry.list().length} state machine(s), ${this.runs.size} running, ${this.tokens.parked} parked on task tokens`,
    };
  }

  /** Executions stay RUNNING in storage and resume on the next start. */
  close(): void {
    this.closed = true;
    for (const run of this.runs.values()) run.suspend();
    this.runs.clear();
    this.store.flush();
  }

  get stateMachineArns(): string[] {
    return this.registry.list().map((m) => m.arn);
  }

  /** In-process StartExecution (same semantics as the wire operation). */
  startExecution(stateMachineArn: string, input = '{}', name: string = crypto.randomUUID()) {
    const record = this.registry.get(stateMachineArn);
    if (!record) {
      throw new AwsError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    }
    if (record.status === 'DELETING') {
      throw new AwsError(
        'StateMachineDeleting',
        `State Machine is being deleted: '${stateMachineArn}'`,
      );
    }
    const machine = this.registry.revision(record.revisionId)!;
    validateName(name);
    requireJson(input, 'InvalidExecutionInput', 'execution input');
    const arn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.store.getExecution(arn);
    if (existing) {
      // AWS: idempotent only while the first execution runs with the same input.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn: arn, startDate: toEpochSeconds(existing.startDate) };
      }
      throw new AwsError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const startDate = this.ctx.clock.now();
    const execution: ExecutionRecord = {
      arn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      input,
      output: null,
      error: null,
      cause: null,
      startDate,
      stopDate: null,
      currentState: null,
      stateInput: null,
      stateEnteredAt: null,
      resume: null,
      timeoutAt: this.timeoutAt(machine, startDate),
      revisionId: machine.revisionId,
      redriveCount: 0,
      redriveDate: null,
    };
    const run = new ExecutionRun(this.host, machine, execution, 0);
    this.store.transaction(() => {
      this.store.insertExecution(execution);
      run.recordStart();
    });
    this.runs.set(arn, run);
    void run.run('start');
    return { executionArn: arn, startDate: toEpochSeconds(startDate) };
  }

  private timeoutAt(machine: LoadedStateMachine, from: number): number | null {
    const seconds = machine.definition.TimeoutSeconds;
    if (seconds === undefined) return null;
    return from + (scaleTimeout(seconds * 1000, this.ctx.clock.timeScale) ?? 0);
  }

  private machineOf(record: ExecutionRecord): LoadedStateMachine | undefined {
    if (record.revisionId !== null) return this.registry.revision(record.revisionId);
    return this.registry.current(record.stateMachineArn);
  }

  private runningOf(machineArn: string): ExecutionRun[] {
    return [...this.runs.values()].filter((run) => run.machine.arn === machineArn);
  }

  private stopExecution(record: ExecutionRecord, error?: string, cause?: string): void {
    const run =
      this.runs.get(record.arn) ??
      new ExecutionRun(
        this.host,
        this.machineOf(record) ?? orphanMachine(record.stateMachineArn),
        record,
        this.store.lastEventId(record.arn),
      );
    run.stop(error, cause);
    this.runs.delete(record.arn);
  }

  /**
   * RedriveExecution: the same execution (ARN, input, revision) reopened, its history continued
   * with ExecutionRedriven, run again from the state it did not complete. The execution timeout
   * counts afresh from the redrive, since the time it spent stopped is not running time.
   * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
   */
  private redriveExecution(record: ExecutionRecord): { redriveDate: number } {
    const machine = this.machineOf(record);
    const verdict = redriveStatusOf(record, {
      now: this.ctx.clock.now(),
      store: this.store,
      registry: this.registry,
    });
    if (verdict.status !== 'REDRIVABLE' || !machine) {
      throw new AwsError(
        'ExecutionNotRedrivable',
        `Execution with arn '${record.arn}' cannot be redriven: ${verdict.reason ?? 'its state machine no longer exists'}`,
      );
    }
    const now = this.ctx.clock.now();
    const timeoutAt = this.timeoutAt(machine, now);
    let run: ExecutionRun | undefined;
    this.store.transaction(() => {
      if (!this.store.reopen(record.arn, record.status, now, timeoutAt)) return;
      const reopened = this.store.getExecution(record.arn)!;
      run = new ExecutionRun(this.host, machine, reopened, this.store.lastEventId(record.arn));
      run.recordRedrive();
    });
    // Two redrives racing: the first reopened the row, the second finds it RUNNING.
    if (!run) {
      throw new AwsError(
        'ExecutionNotRedrivable',
        `Execution with arn '${record.arn}' cannot be redriven: Execution is RUNNING and cannot be redriven.`,
      );
    }
    this.runs.set(record.arn, run);
    void run.run('redrive');
    return { redriveDate: now };
  }

  private resumeRunning(): void {
    for (const record of this.store.runningExecutions()) {
      const machine = this.machineOf(record);
      const run = new ExecutionRun(
        this.host,
        machine ?? orphanMachine(record.stateMachineArn),
        record,
        this.store.lastEventId(record.arn),
      );
      if (!machine) {
        // Only rows from before revisions were kept can lose their definition.
        run.stop('States.Runtime', `State machine ${record.stateMachineArn} no longer exists`);
        continue;
      }
      this.runs.set(record.arn, run);
      this.ctx.log.info(
        `resuming ${machine.name}/${record.name} at ${record.currentState ?? 'start'}`,
      );
      void run.run('resume');
    }
  }

  private onFinished(run: ExecutionRun): void {
    this.runs.delete(run.arn);
    const machine = this.registry.get(run.machine.arn);
    if (machine?.status === 'DELETING' && this.runningOf(machine.arn).length === 0) {
      this.registry.remove(machine.arn);
    }
  }

  /**
   * A Lambda task, as Step Functions reports it: a function error is the error Lambda names
   * (`errorType`), with Lambda's error payload as the cause; a missing function or exhausted
   * concurrency are Step Functions' own `Lambda.*` errors.
   * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
   */
  private async invoke(ref: string, payload: unknown): Promise<unknown> {
    let result;
    try {
      result = await this.options.lambda.invoke(ref, payload);
    } catch (error) {
      if (error instanceof AwsError && error.type === 'ResourceNotFoundException') {
        throw new StatesError('Lambda.ResourceNotFoundException', error.message);
      }
      if (error instanceof TooManyRequestsError) {
        throw new StatesError('Lambda.TooManyRequestsException', error.message);
      }
      throw error;
    }
    if (result.ok) return result.payload;
    throw new StatesError(result.error.errorType, JSON.stringify(result.error));
  }

  private onEvent(run: ExecutionRun, event: HistoryEvent): void {
    if (this.closed) return;
    this.logEvent(run, event);
    if (this.events.listenerCount('execution-event') > 0) {
      const message: ExecutionEventMessage = {
        executionArn: run.arn,
        executionName: run.record.name,
        stateMachineArn: run.machine.arn,
        event,
      };
      this.events.emit('execution-event', message);
    }
  }

  /** One info line per state entered, task failure and terminal status. */
  private logEvent(run: ExecutionRun, event: HistoryEvent): void {
    const who = `${run.machine.name}/${run.record.name}`;
    const type = event.type;
    const details = () => {
      const key = Object.keys(event).find((k) => k.endsWith('EventDetails'));
      return (key ? event[key] : {}) as { error?: string; name?: string };
    };
    if (type === 'ExecutionStarted') this.ctx.log.info(`${who} started`);
    else if (type === 'ExecutionRedriven') this.ctx.log.info(`${who} redriven`);
    else if (type.endsWith('StateEntered')) this.ctx.log.info(`${who} -> ${details().name}`);
    else if (TERMINAL_LOG[type]) {
      const error = details().error;
      this.ctx.log.info(`${who} ${TERMINAL_LOG[type]}${error ? ` ${error}` : ''}`);
    } else if (/(Failed|TimedOut)$/.test(type) && !/^(Execution|Map|Parallel)/.test(type)) {
      this.ctx.log.info(`${who} ${type} ${details().error ?? ''}`.trimEnd());
    }
  }
}

/** A stand-in for a machine whose definition is gone, so its execution can still be closed. */
function orphanMachine(arn: string): LoadedStateMachine {
  return {
    name: arn.slice(arn.lastIndexOf(':') + 1),
    arn,
    definition: { StartAt: '', States: {} },
    definitionText: '{}',
    roleArn: '',
    revisionId: '',
    revisionDate: 0,
    createdAt: 0,
  };
}

export function createStepFunctionsService(
  ctx: ServiceContext,
  options: StepFunctionsOptions,
): StepFunctionsService {
  return new StepFunctionsService(ctx, options);
}
