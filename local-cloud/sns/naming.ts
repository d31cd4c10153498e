import { queueUrlFor } from '../sqs/naming';

/** Where the local SNS lives: the same account and region as every local ARN. */
export interface SnsAddressing {
  baseUrl: string;
  region: string;
  accountId: string;
}

export const topicArnFor = (at: Pick<SnsAddressing, 'region' | 'accountId'>, name: string) =>
  `arn:aws:sns:${at.region}:${at.accountId}:${name}`;

/** A subscription's ARN is its topic's ARN and a UUID, as SNS writes it. */
export const subscriptionArnFor = (topicArn: string) => `${topicArn}:${crypto.randomUUID()}`;

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256})$/;
const SUBSCRIPTION_ARN =
  /^(arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}):[0-9a-f-]{36}$/;
const QUEUE_ARN = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;

export function parseTopicArn(arn: string) {
  const match = TOPIC_ARN.exec(arn);
  return match ? { region: match[1]!, accountId: match[2]!, name: match[3]! } : undefined;
}

/** The topic ARN inside a subscription ARN, or undefined when it is not one. */
export function topicArnOfSubscription(arn: string): string | undefined {
  return SUBSCRIPTION_ARN.exec(arn)?.[1];
}

export function parseQueueArn(arn: string) {
  const match = QUEUE_ARN.exec(arn);
  return match ? { region: match[1]!, accountId: match[2]!, name: match[3]! } : undefined;
}

/** The local queue URL for an SQS ARN (SNS delivers to SQS as any client does, by URL). */
export function queueUrlOfArn(at: Pick<SnsAddressing, 'baseUrl' | 'accountId'>, arn: string) {
  const queue = parseQueueArn(arn);
  return queue
    ? queueUrlFor({ baseUrl: at.baseUrl, accountId: queue.accountId }, queue.name)
    : undefined;
}

/** The path the signing certificate is served at, named like SNS's own. */
export const SIGNING_CERT_PATH = '/SimpleNotificationService-local.pem';
