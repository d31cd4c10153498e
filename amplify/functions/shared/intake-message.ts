import { isOrderId } from './order-id';
import type { WorkflowInput } from './workflow-types';

/**
 * What the intake queue carries: the workflow input itself, so the worker starts the execution
 * with exactly the input the direct path would have sent (StartExecution is idempotent by name
 * only for identical input) and needs no read to do it. The same text is kept on the order
 * (`intakeMessage`) for the reconciler to re-send.
 */
export function encodeIntakeMessage(input: WorkflowInput): string {
  return JSON.stringify(input);
}

/** Thrown for a body no worker can ever start: the message belongs in the dead-letter queue. */
export class MalformedIntakeMessage extends Error {
  override name = 'MalformedIntakeMessage';
}

/** The order id of a message, checking only what the worker itself relies on. */
export function orderIdOf(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new MalformedIntakeMessage('The message body is not JSON');
  }
  const orderId = (parsed as { orderId?: unknown } | null)?.orderId;
  if (typeof orderId !== 'string' || !isOrderId(orderId)) {
    throw new MalformedIntakeMessage('The message has no valid orderId');
  }
  return orderId;
}
