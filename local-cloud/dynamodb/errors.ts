import type { DynaliteError } from './dynalite';

/** DynamoDB's JSON 1.0 error namespace; the SDK reads the name after `#`. */
const NAMESPACE = 'com.amazonaws.dynamodb.v20120810';

/** An error in dynalite's shape (`statusCode` + AWS body), so one writer sends both kinds. */
export function dynamoError(
  type: string,
  message: string,
  extra: Record<string, unknown> = {},
  statusCode = 400,
): DynaliteError {
  const namespace = type === 'ValidationException' ? 'com.amazon.coral.validate' : NAMESPACE;
  return Object.assign(new Error(message), {
    name: type,
    statusCode,
    body: { __type: `${namespace}#${type}`, message, ...extra },
  });
}

export const validationException = (message: string) => dynamoError('ValidationException', message);

export const resourceNotFound = (tableName: string) =>
  dynamoError(
    'ResourceNotFoundException',
    `Requested resource not found: Table: ${tableName} not found`,
  );

export function isDynaliteError(error: unknown): error is DynaliteError & {
  statusCode: number;
  body: NonNullable<DynaliteError['body']>;
} {
  const e = error as DynaliteError | undefined;
  return typeof e?.statusCode === 'number' && typeof e.body?.__type === 'string';
}

/** `com.amazonaws...#ConditionalCheckFailedException` -> `ConditionalCheckFailedException`. */
export function errorType(error: unknown): string | undefined {
  return isDynaliteError(error) ? error.body.__type.split('#').pop() : undefined;
}

export function errorMessage(error: unknown): string {
  if (isDynaliteError(error)) return error.body.message ?? error.body.Message ?? error.message;
  return String((error as Error)?.message ?? error);
}
