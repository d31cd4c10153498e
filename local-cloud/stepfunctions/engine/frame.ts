/**
 * A state frame: everything one state needs while it runs, passed to the state modules as one
 * object instead of six positional parameters.
 */
import type { LoadedStateMachine } from '../definitions/registry';
import type { State, StateMachineDefinition } from '../language/asl';
import { applyInputPath } from '../language/data-flow';
import type { ExecutionRecord, ResumePoint } from '../store';
import type { AbortScope } from './abort-scope';
import type { NewHistoryEvent } from './history';
import type { EngineHost } from './host';

/** Where a state runs: the execution itself, a Parallel branch or a Map iteration. */
export interface Scope {
  abort: AbortScope;
  /** Top level: state entries are checkpoints. */
  root: boolean;
  mapItem?: { Index: number; Value: unknown };
}

/** The execution as the states see it (implemented by ExecutionRun). */
export interface RunContext {
  readonly host: EngineHost;
  readonly machine: LoadedStateMachine;
  readonly record: ExecutionRecord;
  readonly arn: string;
  /** `$$.Execution.Input`, parsed once. */
  readonly executionInput: unknown;
  /** Appends a history event unless the scope was aborted; enforces the history quota. */
  emit(scope: Scope, event: NewHistoryEvent): void;
  /** Runs a nested state list (a Parallel branch, a Map iteration) to its end. */
  runStates(definition: StateMachineDefinition, input: unknown, scope: Scope): Promise<unknown>;
  /** Undefined, or a promise to await so other work gets the event loop (pacing.ts). */
  pace(): Promise<void> | undefined;
}

export interface StateFrame {
  readonly run: RunContext;
  readonly name: string;
  readonly state: State;
  readonly enteredAt: number;
  /** The state's raw input (before InputPath). */
  readonly input: unknown;
  readonly scope: Scope;
  /** After a restart: the pending retry/Wait deadline or open task token of this state. */
  resume: ResumePoint | undefined;
  /** Per-retrier attempt counters and their total ($$.State.RetryCount). */
  readonly retry: { counters: number[]; count: number };
  /** The input after InputPath, computed on first use (per attempt for Task/Parallel/Map). */
  effective: { value: unknown } | undefined;
}

export interface Outcome {
  output: unknown;
  /** Undefined: this state ends its state list. */
  next?: string;
}

export function createFrame(
  run: RunContext,
  scope: Scope,
  name: string,
  state: State,
  input: unknown,
  enteredAt: number,
  resume?: ResumePoint,
): StateFrame {
  return {
    run,
    name,
    state,
    enteredAt,
    input,
    scope,
    resume,
    retry: {
      counters: resume?.retryCounters ?? (state.Retry ?? []).map(() => 0),
      count: resume?.retryCount ?? 0,
    },
    effective: undefined,
  };
}

const isoTime = (ms: number) => new Date(ms).toISOString();

/** The context object (`$$`): https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html */
export function contextObject(frame: StateFrame, token?: string): Record<string, unknown> {
  const { run, scope } = frame;
  return {
    Execution: {
      Id: run.arn,
      Input: run.executionInput,
      Name: run.record.name,
      RoleArn: run.machine.roleArn,
      StartTime: isoTime(run.record.startDate),
      RedriveCount: run.record.redriveCount,
      ...(run.record.redriveDate !== null ? { RedriveTime: isoTime(run.record.redriveDate) } : {}),
    },
    State: {
      EnteredTime: isoTime(frame.enteredAt),
      Name: frame.name,
      RetryCount: frame.retry.count,
    },
    StateMachine: { Id: run.machine.arn, Name: run.machine.name },
    ...(token ? { Task: { Token: token } } : {}),
    ...(scope.mapItem ? { Map: { Item: scope.mapItem } } : {}),
  };
}

/** The state's input after InputPath. */
export function effectiveInput(frame: StateFrame): unknown {
  frame.effective ??= {
    value: applyInputPath(frame.state.InputPath, frame.input, contextObject(frame)),
  };
  return frame.effective.value;
}

/** `Next`, or undefined for an `End` state. */
export const nextOf = (state: State): string | undefined => (state.End ? undefined : state.Next);
