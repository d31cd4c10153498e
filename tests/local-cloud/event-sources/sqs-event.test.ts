import { describe, expect, it } from 'vitest';
import { toSqsRecord } from '../../../local-cloud/lambda/event-sources';

describe('the SQS event record', () => {
  it('has the shape Lambda sends', () => {
    const record = toSqsRecord(
      {
        MessageId: 'm-1',
        ReceiptHandle: 'rh-1',
        Body: '{"orderId":"o-1"}',
        MD5OfBody: 'abc',
        MD5OfMessageAttributes: 'def',
        Attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '1520621625029',
          SenderId: '000000000000',
          ApproximateFirstReceiveTimestamp: '1520621634884',
        },
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'order' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([49, 49, 48, 48]) },
        },
      },
      'arn:aws:sqs:us-east-1:000000000000:intake',
      'us-east-1',
    );
    expect(record).toEqual({
      messageId: 'm-1',
      receiptHandle: 'rh-1',
      body: '{"orderId":"o-1"}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1520621625029',
        SenderId: '000000000000',
        ApproximateFirstReceiveTimestamp: '1520621634884',
      },
      messageAttributes: {
        kind: {
          stringValue: 'order',
          stringListValues: [],
          binaryListValues: [],
          dataType: 'String',
        },
        blob: {
          binaryValue: 'MTEwMA==',
          stringListValues: [],
          binaryListValues: [],
          dataType: 'Binary',
        },
      },
      md5OfBody: 'abc',
      md5OfMessageAttributes: 'def',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:intake',
      awsRegion: 'us-east-1',
    });
  });
});
