import {
  SendMessageCommand,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { post } from './http-post';
import type { MessageAttributes } from './messages';
import { queueUrlOfArn, type SnsAddressing } from './naming';
import type { DeliveryRecord } from './store';

/**
 * How one attempt reaches an endpoint (an HTTP/S POST, an SQS SendMessage) and what its answer
 * means: delivered, worth retrying, or refused for good (a client-side error: not retried).
 */
export type AttemptResult =
  | { kind: 'delivered'; statusCode?: number }
  | { kind: 'retry' | 'fatal'; statusCode?: number; error: string };

const USER_AGENT = 'Amazon Simple Notification Service Agent';
const MAX_SQS_ATTRIBUTES = 10;

/**
 * POSTs one message with SNS's headers.
 * https://docs.aws.amazon.com/sns/latest/dg/http-header.html
 * https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html
 */
export async function postToEndpoint(
  delivery: Pick<
    DeliveryRecord,
    'kind' | 'messageId' | 'topicArn' | 'subscriptionArn' | 'endpoint'
  >,
  body: string,
  options: {
    contentType: string;
    raw: boolean;
    timeoutMs: number;
    signal: AbortSignal;
    ca: string[];
  },
): Promise<AttemptResult> {
  const headers: Record<string, string> = {
    'content-type': options.contentType,
    'user-agent': USER_AGENT,
    'x-amz-sns-message-type': delivery.kind,
    'x-amz-sns-message-id': delivery.messageId,
    'x-amz-sns-topic-arn': delivery.topicArn,
  };
  // A SubscriptionConfirmation goes out before there is a subscription to name.
  if (delivery.kind !== 'SubscriptionConfirmation') {
    headers['x-amz-sns-subscription-arn'] = delivery.subscriptionArn;
  }
  if (options.raw) headers['x-amz-sns-rawdelivery'] = 'true';
  const { statusCode } = await post(new URL(delivery.endpoint), body, headers, options);
  // 2xx and 4xx are deliveries: SNS retries only when the endpoint answers outside 200–499 or
  // does not answer within 15 s (connection errors reject, and are retried by the caller).
  // https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.prepare.html
  if (statusCode >= 200 && statusCode < 500) return { kind: 'delivered', statusCode };
  return { kind: 'retry', statusCode, error: `HTTP ${statusCode}` };
}

/**
 * SNS writes to SQS as any SQS client does; so does the local one, over the wire with the
 * official client: the local SQS's send path (validation, MD5s, waking long polls) stays its
 * own business. A queue that does not exist (or refuses the message) is a client-side error:
 * not retried.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html
 */
export async function sendToQueue(
  target: { sqs: SQSClient; at: Pick<SnsAddressing, 'baseUrl' | 'accountId'>; signal: AbortSignal },
  queueArn: string,
  body: string,
  attributes: MessageAttributes,
): Promise<AttemptResult> {
  const queueUrl = queueUrlOfArn(target.at, queueArn);
  if (!queueUrl) return { kind: 'fatal', error: `Not an SQS queue ARN: ${queueArn}` };
  // A raw delivery carries the attributes as SQS attributes, of which SQS takes ten: more is a
  // client-side error, the message is discarded (or dead-lettered).
  // https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html
  if (Object.keys(attributes).length > MAX_SQS_ATTRIBUTES) {
    return { kind: 'fatal', error: 'More than 10 message attributes for a raw SQS delivery' };
  }
  try {
    await target.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        MessageAttributes: toSqsAttributes(attributes),
      }),
      { abortSignal: target.signal },
    );
    return { kind: 'delivered' };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const message = `${(error as Error).name}: ${(error as Error).message}`;
    if (status !== undefined && status < 500) {
      return { kind: 'fatal', statusCode: status, error: message };
    }
    return {
      kind: 'retry',
      ...(status !== undefined ? { statusCode: status } : {}),
      error: message,
    };
  }
}

/** SNS message attributes as SQS message attributes (RawMessageDelivery to a queue). */
function toSqsAttributes(
  attributes: MessageAttributes,
): Record<string, MessageAttributeValue> | undefined {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(
    entries.map(([name, a]) => [
      name,
      a.BinaryValue !== undefined
        ? { DataType: a.DataType, BinaryValue: Buffer.from(a.BinaryValue, 'base64') }
        : { DataType: a.DataType, StringValue: a.StringValue },
    ]),
  );
}
