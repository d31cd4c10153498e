/**
 * Step Functions matches Retry/Catch on the thrown Error's `name` (workflow contract §4), so every
 * error a handler means the state machine to see is a named class here.
 */
export const WORKFLOW_ERRORS = {
  outOfStock: 'OutOfStock',
  paymentDeclined: 'PaymentDeclined',
  paymentTransient: 'PaymentTransientError',
  warehouseRejected: 'WarehouseRejected',
  /** Throttling or a DynamoDB transaction conflict: safe to retry. */
  transient: 'TransientError',
} as const;

export type WorkflowErrorName = (typeof WORKFLOW_ERRORS)[keyof typeof WORKFLOW_ERRORS];

export class WorkflowError extends Error {
  constructor(
    name: WorkflowErrorName,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = name;
  }
}

const TRANSIENT_AWS_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionInProgressException',
]);

/** Rethrows AWS SDK throttling as `TransientError` so the ASL's Retry can name it. */
export function asWorkflowError(error: unknown): unknown {
  if (error instanceof Error && TRANSIENT_AWS_ERRORS.has(error.name)) {
    return new WorkflowError(WORKFLOW_ERRORS.transient, error.message);
  }
  return error;
}
