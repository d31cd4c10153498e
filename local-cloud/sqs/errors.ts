import { AwsError } from '../core/protocols/errors';

/**
 * SQS keeps the error codes of its Query days (`awsQueryError` in the Smithy model): the SDK
 * reads the code from `x-amzn-query-error` and maps it back to its exception class, so
 * `QueueDoesNotExist` travels as `AWS.SimpleQueueService.NonExistentQueue` and still surfaces as
 * `error.name === 'QueueDoesNotExist'` (with `error.Code` holding the Query code). Shapes without
 * the trait travel under their own name. The shared JSON layer writes one type for `__type` and
 * the header, so `__type` carries the Query code too (AWS puts the shape name there); clients
 * with the query-compatible trait read the header first, so none of them sees the difference.
 */
const QUERY_CODES: Record<string, string> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  QueueNameExists: 'QueueAlreadyExists',
  BatchEntryIdsNotDistinct: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  BatchRequestTooLong: 'AWS.SimpleQueueService.BatchRequestTooLong',
  EmptyBatchRequest: 'AWS.SimpleQueueService.EmptyBatchRequest',
  InvalidBatchEntryId: 'AWS.SimpleQueueService.InvalidBatchEntryId',
  TooManyEntriesInBatchRequest: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  MessageNotInflight: 'AWS.SimpleQueueService.MessageNotInflight',
  PurgeQueueInProgress: 'AWS.SimpleQueueService.PurgeQueueInProgress',
  QueueDeletedRecently: 'AWS.SimpleQueueService.QueueDeletedRecently',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
};

const STATUS: Record<string, number> = { PurgeQueueInProgress: 403 };

/** An SQS error by its Smithy shape name (or a bare code such as `InvalidParameterValue`). */
export function sqsError(shape: string, message: string): AwsError {
  return new AwsError(QUERY_CODES[shape] ?? shape, message, STATUS[shape] ?? 400);
}

export const queueDoesNotExist = () =>
  sqsError('QueueDoesNotExist', 'The specified queue does not exist.');

export const invalidParameter = (message: string) => sqsError('InvalidParameterValue', message);

export const missingParameter = (name: string) =>
  sqsError('MissingParameter', `The request must contain the parameter ${name}.`);

export const receiptHandleIsInvalid = (handle: string) =>
  sqsError(
    'ReceiptHandleIsInvalid',
    `The input receipt handle "${handle}" is not a valid receipt handle.`,
  );
