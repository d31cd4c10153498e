/**
 * The one error type every local service throws for a modelled AWS exception. Each protocol
 * writes it in its own shape (JSON `__type`, REST `x-amzn-ErrorType`, Query `<Error><Code>`),
 * so a service only says what went wrong, never how the wire spells it.
 */
export class AwsError extends Error {
  constructor(
    /** The exception name, e.g. `ExecutionDoesNotExist` (no namespace). */
    readonly type: string,
    message: string,
    readonly statusCode = 400,
    readonly options: {
      /**
       * Smithy namespace written before `#` in JSON 1.0 `__type`, when it differs from the
       * service's own (DynamoDB's validation errors come from `com.amazon.coral.validate`).
       */
      namespace?: string;
      /** Extra members of the error structure (e.g. DynamoDB's `CancellationReasons`). */
      members?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
    this.name = type;
  }

  /** Who is at fault, as AWS Query errors and `x-amzn-query-error` report it. */
  get fault(): 'Sender' | 'Receiver' {
    return this.statusCode >= 500 ? 'Receiver' : 'Sender';
  }
}

export const isAwsError = (error: unknown): error is AwsError => error instanceof AwsError;

/**
 * What AWS answers when a member the model marks `@required` is absent. The wording is the
 * Coral validation message every JSON service shares; the exception name differs per service
 * (`ValidationException` for Step Functions and DynamoDB, `InvalidParameterException` for
 * Cognito), so the protocol takes it from the service's declaration.
 */
export function missingMembersError(members: string[], type: string): AwsError {
  const details = members.map(
    (member) => `Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );
  const count = `${members.length} validation error${members.length === 1 ? '' : 's'} detected`;
  return new AwsError(type, `${count}: ${details.join('; ')}`);
}

/**
 * What a protocol sends for a failure: a modelled error as it is; anything else is a bug in the
 * local cloud, logged with its stack and answered as the service's 500 (`internalType`).
 */
export function asAwsError(
  error: unknown,
  log: { error(message: string, fields?: Record<string, unknown>): void },
  operation: string,
  internalType = 'InternalFailure',
): AwsError {
  if (error instanceof AwsError) return error;
  log.error(`${operation} failed`, { error: String((error as Error)?.stack ?? error) });
  return new AwsError(internalType, 'Internal error in the local cloud', 500);
}
