import { AwsError } from '../core/protocols/errors';

/**
 * SNS's Query error codes and statuses, as its Smithy model declares them (`awsQueryError`):
 * the SDK maps `<Code>` back to its exception class (`InvalidParameter` →
 * `InvalidParameterException`, `ParameterValueInvalid` → `InvalidParameterValueException`).
 * https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html
 */
export const invalidParameter = (message: string) =>
  new AwsError('InvalidParameter', `Invalid parameter: ${message}`, 400);

/** Publish's message attribute errors travel as InvalidParameterValue. */
export const invalidParameterValue = (message: string) =>
  new AwsError('ParameterValueInvalid', message, 400);

export const notFound = (message: string) => new AwsError('NotFound', message, 404);

export const topicNotFound = () => notFound('Topic does not exist');

export const subscriptionNotFound = () => notFound('Subscription does not exist');

export const authorizationError = (message: string) =>
  new AwsError('AuthorizationError', message, 403);

export const batchError = (
  code:
    | 'EmptyBatchRequest'
    | 'TooManyEntriesInBatchRequest'
    | 'BatchEntryIdsNotDistinct'
    | 'InvalidBatchEntryId'
    | 'BatchRequestTooLong',
  message: string,
) => new AwsError(code, message, 400);
