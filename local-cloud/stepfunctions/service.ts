import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { LocalStateMachine } from '../backend/model';
import { scaleTimeout } from '../core/clock';
import { awsJsonService } from '../core/protocols/aws-json';
import { AwsError } from '../core/protocols/errors';
import type { LocalRequest, LocalService, ServiceContext } from '../core/service';
import type { LambdaService } from '../lambda/service';
import { TooManyRequestsError } from '../lambda/types';
import { ExecutionRun, ROLE_ARN, type EngineHost } from './engine/execution';
import { StatesError } from './language/errors';
import { loadStateMachine, type LoadedStateMachine } from './definitions/machines';
import { ExecutionStore, type ExecutionStatus, type HistoryEvent } from './store';
import { TaskTokens } from './task-tokens';
import {
  decodePageToken,
  encodePageToken,
  historyEventToWire,
  optionalString,
  pageSize,
  requireExecutionArn,
  requireJson,
  requireStateMachineArn,
  requireString,
  toEpochSeconds,
  validateExecutionName,
} from './wire';

export interface StepFunctionsOptions {
  stateMachines: LocalStateMachine[];
  /** Task states invoke their functions here, as Step Functions calls Lambda. */
  lambda: Pick<LambdaService, 'invoke'>;
}

/** What `events` emits as `'execution-event'`, for later features (an ops page). */
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
 * Step Functions (AWS JSON 1.0, `AWSStepFunctions.*`) over the durable interpreter in
 * `execution.ts`. Signatures are not verified (dummy local credentials): a request only needs an
 * Authorization header shaped like SigV4, which every AWS SDK sends.
 */
export class StepFunctionsService implements LocalService {
  readonly name = 'stepfunctions';
  /** `'execution-event'` (ExecutionEventMessage) for every history event, as it is persisted. */
  readonly events = new EventEmitter();
  readonly store: ExecutionStore;
  readonly tokens: TaskTokens;
  private readonly machines = new Map<string, LoadedStateMachine>();
  private readonly loadErrors: string[] = [];
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
    for (const entry of options.stateMachines) {
      try {
        const machine = loadStateMachine(entry, ctx.region, ctx.clock.now());
        this.machines.set(machine.arn, machine);
      } catch (error) {
        this.loadErrors.push(String(error instanceof Error ? error.message : error));
        ctx.log.error(`cannot load state machine ${entry.name}`, { error: String(error) });
      }
    }
    this.host = {
      store: this.store,
      tokens: this.tokens,
      clock: ctx.clock,
      region: ctx.region,
      invoke: (_machine, ref, payload) => this.invoke(ref, payload),
      onEvent: (run, event) => this.onEvent(run, event),
      onFinished: (run) => this.runs.delete(run.arn),
    };
    this.http = awsJsonService({
      name: this.name,
      version: '1.0',
      targetPrefix: 'AWSStepFunctions',
      namespace: 'com.amazonaws.sfn',
      authorize: 'sigv4',
      operations: this.operations(),
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
    const detail = `${this.machines.size} state machine(s), ${this.runs.size} running, ${this.tokens.parked} parked on task tokens`;
    if (this.loadErrors.length > 0)
      return { ok: false, detail: `${detail}; ${this.loadErrors.join('; ')}` };
    return { ok: true, detail };
  }

  /** Executions stay RUNNING in storage and resume on the next start. */
  close(): void {
    this.closed = true;
    for (const run of this.runs.values()) run.suspend();
    this.runs.clear();
    this.store.flush();
  }

  get stateMachineArns(): string[] {
    return [...this.machines.keys()];
  }

  /** In-process StartExecution (same semantics as the wire operation). */
  startExecution(stateMachineArn: string, input = '{}', name: string = crypto.randomUUID()) {
    const machine = this.machines.get(stateMachineArn);
    if (!machine)
      throw new AwsError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    validateExecutionName(name);
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
    const timeoutSeconds = machine.definition.TimeoutSeconds;
    const timeoutMs =
      timeoutSeconds !== undefined
        ? scaleTimeout(timeoutSeconds * 1000, this.ctx.clock.timeScale)
        : undefined;
    const timeoutAt = timeoutMs !== undefined ? startDate + timeoutMs : null;
    const record = {
      arn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING' as const,
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
      timeoutAt,
    };
    const run = new ExecutionRun(this.host, machine, record, 0);
    this.store.transaction(() => {
      this.store.insertExecution(record);
      run.recordStart();
    });
    this.runs.set(arn, run);
    void run.run(false);
    return { executionArn: arn, startDate: toEpochSeconds(startDate) };
  }

  private resumeRunning(): void {
    for (const record of this.store.runningExecutions()) {
      const machine = this.machines.get(record.stateMachineArn);
      const run = new ExecutionRun(
        this.host,
        machine ?? this.orphanMachine(record.stateMachineArn),
        record,
        this.store.lastEventId(record.arn),
      );
      if (!machine) {
        // The ASL file was removed or renamed while this execution was running.
        run.stop(
          'States.Runtime',
          `State machine ${record.stateMachineArn} is no longer defined locally`,
        );
        continue;
      }
      this.runs.set(record.arn, run);
      this.ctx.log.info(
        `resuming ${machine.name}/${record.name} at ${record.currentState ?? 'start'}`,
      );
      void run.run(true);
    }
  }

  private orphanMachine(arn: string): LoadedStateMachine {
    return {
      name: arn.split(':').pop() ?? arn,
      arn,
      definition: { StartAt: '', States: {} },
      definitionText: '{}',
      createdAt: 0,
    };
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
    const who = `${run.machine.name}/${run.record.name}`;
    const type = event.type;
    if (type === 'ExecutionStarted') this.ctx.log.info(`${who} started`);
    else if (type.endsWith('StateEntered')) {
      const details = event.stateEnteredEventDetails as { name: string };
      this.ctx.log.info(`${who} -> ${details.name}`);
    } else if (
      /(Failed|TimedOut)$/.test(type) &&
      !type.startsWith('Execution') &&
      !type.startsWith('Map') &&
      !type.startsWith('Parallel')
    ) {
      const key = Object.keys(event).find((k) => k.endsWith('EventDetails'));
      const details = (key ? event[key] : {}) as { error?: string };
      this.ctx.log.info(`${who} ${type} ${details.error ?? ''}`.trimEnd());
    } else if (TERMINAL_LOG[type]) {
      const key = Object.keys(event).find((k) => k.endsWith('EventDetails'));
      const details = (key ? event[key] : {}) as { error?: string };
      this.ctx.log.info(`${who} ${TERMINAL_LOG[type]}${details.error ? ` ${details.error}` : ''}`);
    }
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

  private machine(arn: string): LoadedStateMachine {
    const machine = this.machines.get(arn);
    if (!machine)
      throw new AwsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  private execution(arn: string) {
    const record = this.store.getExecution(arn);
    if (!record) throw new AwsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  private operations(): Record<string, (input: Record<string, unknown>) => unknown> {
    return {
      StartExecution: (input) => {
        const arn = requireStateMachineArn(input);
        this.machine(arn);
        return this.startExecution(
          arn,
          optionalString(input, 'input') ?? '{}',
          optionalString(input, 'name'),
        );
      },
      DescribeExecution: (input) => {
        const e = this.execution(requireExecutionArn(input));
        return {
          executionArn: e.arn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: e.status,
          startDate: toEpochSeconds(e.startDate),
          ...(e.stopDate !== null ? { stopDate: toEpochSeconds(e.stopDate) } : {}),
          input: e.input,
          inputDetails: { included: true },
          ...(e.output !== null ? { output: e.output, outputDetails: { included: true } } : {}),
          ...(e.error !== null ? { error: e.error } : {}),
          ...(e.cause !== null ? { cause: e.cause } : {}),
          redriveCount: 0,
          redriveStatus: 'NOT_REDRIVABLE',
        };
      },
      ListExecutions: (input) => {
        const machineArn = requireStateMachineArn(input);
        this.machine(machineArn);
        const status = (optionalString(input, 'statusFilter') ?? null) as ExecutionStatus | null;
        if (
          status &&
          !['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'].includes(status)
        ) {
          throw new AwsError('ValidationException', `Invalid statusFilter '${status}'`);
        }
        const limit = pageSize(input);
        const page = decodePageToken<{ m: string; s: string | null; o: number }>(
          optionalString(input, 'nextToken'),
          (p) => p.m === machineArn && p.s === status && Number.isInteger(p.o),
        );
        const offset = page?.o ?? 0;
        const rows = this.store.listExecutions(machineArn, status, offset, limit + 1);
        return {
          executions: rows.slice(0, limit).map((r) => ({
            executionArn: r.arn,
            stateMachineArn: r.stateMachineArn,
            name: r.name,
            status: r.status,
            startDate: toEpochSeconds(r.startDate),
            ...(r.stopDate !== null ? { stopDate: toEpochSeconds(r.stopDate) } : {}),
          })),
          ...(rows.length > limit
            ? { nextToken: encodePageToken({ m: machineArn, s: status, o: offset + limit }) }
            : {}),
        };
      },
      GetExecutionHistory: (input) => {
        const arn = requireExecutionArn(input);
        this.execution(arn);
        const limit = pageSize(input);
        const reverse = input.reverseOrder === true;
        const includeData = input.includeExecutionData !== false;
        const page = decodePageToken<{ e: string; r: boolean; c: number }>(
          optionalString(input, 'nextToken'),
          (p) => p.e === arn && p.r === reverse && Number.isInteger(p.c),
        );
        const events = this.store.history(arn, page?.c, reverse, limit + 1);
        const shown = events.slice(0, limit);
        const last = shown[shown.length - 1];
        return {
          events: shown.map((event) => historyEventToWire(event, includeData)),
          ...(events.length > limit && last
            ? { nextToken: encodePageToken({ e: arn, r: reverse, c: last.id }) }
            : {}),
        };
      },
      StopExecution: (input) => {
        const arn = requireExecutionArn(input);
        const record = this.execution(arn);
        if (record.status === 'RUNNING') {
          const run =
            this.runs.get(arn) ??
            new ExecutionRun(
              this.host,
              this.machine(record.stateMachineArn),
              record,
              this.store.lastEventId(arn),
            );
          run.stop(optionalString(input, 'error'), optionalString(input, 'cause'));
          this.runs.delete(arn);
        }
        // Stopping a closed execution is a no-op that reports when it stopped.
        const stopped = this.execution(arn);
        return { stopDate: toEpochSeconds(stopped.stopDate ?? this.ctx.clock.now()) };
      },
      SendTaskSuccess: (input) => {
        const token = requireString(input, 'taskToken');
        const output = requireJson(requireString(input, 'output'), 'InvalidOutput', 'output');
        this.tokens.succeed(token, output);
        return {};
      },
      SendTaskFailure: (input) => {
        const token = requireString(input, 'taskToken');
        this.tokens.fail(
          token,
          optionalString(input, 'error') ?? '',
          optionalString(input, 'cause') ?? '',
        );
        return {};
      },
      SendTaskHeartbeat: (input) => {
        this.tokens.heartbeat(requireString(input, 'taskToken'), this.ctx.clock.now());
        return {};
      },
      DescribeStateMachine: (input) => {
        const m = this.machine(requireStateMachineArn(input));
        return {
          stateMachineArn: m.arn,
          name: m.name,
          status: 'ACTIVE',
          definition: m.definitionText,
          roleArn: ROLE_ARN,
          type: 'STANDARD',
          creationDate: toEpochSeconds(m.createdAt),
          loggingConfiguration: { level: 'OFF', includeExecutionData: false },
          tracingConfiguration: { enabled: false },
        };
      },
      DescribeStateMachineForExecution: (input) => {
        const e = this.execution(requireExecutionArn(input));
        const m = this.machine(e.stateMachineArn);
        return {
          stateMachineArn: m.arn,
          name: m.name,
          definition: m.definitionText,
          roleArn: ROLE_ARN,
          updateDate: toEpochSeconds(m.createdAt),
        };
      },
      ListStateMachines: (input) => {
        const limit = pageSize(input);
        const page = decodePageToken<{ o: number }>(optionalString(input, 'nextToken'), (p) =>
          Number.isInteger(p.o),
        );
        const offset = page?.o ?? 0;
        const all = [...this.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
        return {
          stateMachines: all.slice(offset, offset + limit).map((m) => ({
            stateMachineArn: m.arn,
            name: m.name,
            type: 'STANDARD',
            creationDate: toEpochSeconds(m.createdAt),
          })),
          ...(all.length > offset + limit
            ? { nextToken: encodePageToken({ o: offset + limit }) }
            : {}),
        };
      },
    };
  }
}

export function createStepFunctionsService(
  ctx: ServiceContext,
  options: StepFunctionsOptions,
): StepFunctionsService {
  return new StepFunctionsService(ctx, options);
}
