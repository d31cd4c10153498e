import { asWorkflowError } from './errors';
import type { OrderStatus, StepName, UpdateFacts } from './order-status';
import { recordStatus } from './record-status';

export interface StepContext {
  orderId: string;
  step: StepName;
  attempt: number;
  /** Order status while the step runs. */
  runningStatus: OrderStatus;
}

export interface StepOutcome<T> {
  result: T;
  message: string;
  /** Order status once the step succeeded; defaults to `runningStatus`. */
  orderStatus?: OrderStatus;
  facts?: UpdateFacts;
}

/**
 * Records STARTED, runs the step, then records SUCCEEDED or FAILED (with the attempt number, so
 * a retry shows as a new attempt of the same step) and rethrows for Retry/Catch.
 */
export async function runStep<T>(
  context: StepContext,
  body: () => Promise<StepOutcome<T>>,
): Promise<T> {
  const { orderId, step, attempt, runningStatus } = context;
  await recordStatus({ orderId, step, attempt, status: 'STARTED', orderStatus: runningStatus });
  try {
    const outcome = await body();
    await recordStatus({
      orderId,
      step,
      attempt,
      status: 'SUCCEEDED',
      orderStatus: outcome.orderStatus ?? runningStatus,
      message: outcome.message,
      facts: outcome.facts,
    });
    return outcome.result;
  } catch (raw) {
    const error = asWorkflowError(raw);
    const described = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await recordStatus({
      orderId,
      step,
      attempt,
      status: 'FAILED',
      orderStatus: runningStatus,
      message: described,
      facts: { reason: error instanceof Error ? error.name : 'Error' },
    });
    throw error;
  }
}
