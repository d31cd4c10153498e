/** Where the local SQS serves a queue. Its URL is also the endpoint the SDK sends to. */
export interface QueueAddressing {
  baseUrl: string;
  region: string;
  accountId: string;
}

export function queueUrlFor(at: Pick<QueueAddressing, 'baseUrl' | 'accountId'>, name: string) {
  return `${at.baseUrl.replace(/\/$/, '')}/${at.accountId}/${name}`;
}

export function queueArnFor(at: Pick<QueueAddressing, 'region' | 'accountId'>, name: string) {
  return `arn:aws:sqs:${at.region}:${at.accountId}:${name}`;
}
