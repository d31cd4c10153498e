import type { Clock } from '../../core/service';
import type { ExecutionStatus, ExecutionStore, HistoryEvent } from '../store';
import type { TaskTokens } from '../task-tokens';
import type { ExecutionRun } from './execution';

/** What the interpreter needs from the service around it. */
export interface EngineHost {
  store: ExecutionStore;
  tokens: TaskTokens;
  clock: Clock;
  region: string;
  /** Calls a Lambda function (the task timeout is enforced by the engine, on the clock). */
  invoke(functionRef: string, payload: unknown): Promise<unknown>;
  onEvent(run: ExecutionRun, event: HistoryEvent): void;
  onFinished(run: ExecutionRun, status: ExecutionStatus): void;
}
