import type { ChoiceRule } from './choice';
import type { Retrier } from './retry';

/** The JSONPath flavour of Amazon States Language, as far as the interpreter reads it. */
export interface StateMachineDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, State>;
  TimeoutSeconds?: number;
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

export interface State {
  Type: 'Task' | 'Pass' | 'Choice' | 'Wait' | 'Parallel' | 'Map' | 'Succeed' | 'Fail';
  Next?: string;
  End?: boolean;
  Comment?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
  Parameters?: unknown;
  ResultSelector?: unknown;
  ResultPath?: string | null;
  Result?: unknown;
  Retry?: Retrier[];
  Catch?: Catcher[];
  // Task
  Resource?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  HeartbeatSecondsPath?: string;
  // Choice
  Choices?: ChoiceRule[];
  Default?: string;
  // Wait
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  // Parallel / Map
  Branches?: StateMachineDefinition[];
  Iterator?: StateMachineDefinition;
  ItemProcessor?: StateMachineDefinition;
  ItemsPath?: string;
  ItemSelector?: unknown;
  MaxConcurrency?: number;
  // Fail
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
}

/** AWS history prefixes per state type (`TaskStateEntered`, `MapStateExited`, ...). */
export const STATE_EVENT_PREFIX: Record<State['Type'], string> = {
  Task: 'TaskState',
  Pass: 'PassState',
  Choice: 'ChoiceState',
  Wait: 'WaitState',
  Parallel: 'ParallelState',
  Map: 'MapState',
  Succeed: 'SucceedState',
  Fail: 'FailState',
};
