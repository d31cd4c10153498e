import type { Clock } from '../../core/service';
import type { LoadedStateMachine } from '../definitions/machines';
import type { ExecutionStatus, ExecutionStore, HistoryEvent } from '../store';
import type { TaskTokens } from '../task-tokens';
import type { ExecutionRun } from './execution';

/** What the interpreter needs from the service around it. */
export interface EngineHost {
  store: ExecutionStore;
  tokens: TaskTokens;
  clock: Clock;
  region: string;
  /**
   * Calls a Lambda function. `machine` and `timeoutMs` are not used by the engine's host (the
   * task timeout is enforced here, on the clock); they stay in the signature because the service
   * implements it with that arity.
   */
  invoke(
    machine: LoadedStateMachine,
    functionRef: string,
    payload: unknown,
    timeoutMs?: number,
  ): Promise<unknown>;
  onEvent(run: ExecutionRun, event: HistoryEvent): void;
  onFinished(run: ExecutionRun, status: ExecutionStatus): void;
}

/** Deviation: there is no IAM locally; every execution reports this placeholder role. */
export const ROLE_ARN = 'arn:aws:iam::000000000000:role/local-cloud-stepfunctions';
