/**
 * The slice of Lambda's SQS event and partial batch response the intake functions use.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes?: { ApproximateReceiveCount?: string; SentTimestamp?: string };
  eventSourceARN?: string;
}

export interface SqsEvent {
  Records: SqsRecord[];
}

/** With `ReportBatchItemFailures`, only these messages return to the queue. */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}
