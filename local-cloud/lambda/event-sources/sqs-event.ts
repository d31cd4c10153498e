import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';

/** One record of the event Lambda sends a function for an SQS queue. */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, SqsRecordAttribute>;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/** A message attribute as Lambda spells it: camelCase, binary values in base64. */
export interface SqsRecordAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function recordAttribute(value: MessageAttributeValue): SqsRecordAttribute {
  return {
    ...(value.StringValue !== undefined && { stringValue: value.StringValue }),
    ...(value.BinaryValue !== undefined && { binaryValue: base64(value.BinaryValue) }),
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map(base64),
    dataType: value.DataType ?? 'String',
  };
}

/**
 * A received message in the shape of Lambda's SQS event record (the example event of
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html): the system attributes SQS
 * returned for `All` (ApproximateReceiveCount, SentTimestamp, SenderId,
 * ApproximateFirstReceiveTimestamp, and for FIFO queues SequenceNumber, MessageGroupId,
 * MessageDeduplicationId), message attributes renamed to camelCase.
 */
export function toSqsRecord(message: Message, eventSourceArn: string, region: string): SqsRecord {
  const attributes = Object.fromEntries(
    Object.entries(message.Attributes ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes,
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        recordAttribute(value),
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes !== undefined && {
      md5OfMessageAttributes: message.MD5OfMessageAttributes,
    }),
    eventSource: 'aws:sqs',
    eventSourceARN: eventSourceArn,
    awsRegion: region,
  };
}
