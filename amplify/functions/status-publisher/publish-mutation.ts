import type { OrderUpdate } from '../shared/order-status';

/** Selection set = every OrderUpdate field: subscribers only receive what the mutation selects. */
export const ORDER_UPDATE_FIELDS = [
  'orderId',
  'seq',
  'step',
  'status',
  'attempt',
  'message',
  'orderStatus',
  'nextPollAt',
  'timestamp',
  'reason',
  'until',
  'carrier',
  'trackingNumber',
] as const satisfies readonly (keyof OrderUpdate)[];

export const PUBLISH_ORDER_UPDATE = `mutation PublishOrderUpdate(
  $orderId: ID!
  $seq: Int!
  $step: String!
  $status: String!
  $attempt: Int!
  $message: String
  $orderStatus: String!
  $nextPollAt: AWSDateTime
  $timestamp: AWSDateTime!
  $reason: String
  $until: AWSDateTime
  $carrier: String
  $trackingNumber: String
) {
  publishOrderUpdate(
    orderId: $orderId
    seq: $seq
    step: $step
    status: $status
    attempt: $attempt
    message: $message
    orderStatus: $orderStatus
    nextPollAt: $nextPollAt
    timestamp: $timestamp
    reason: $reason
    until: $until
    carrier: $carrier
    trackingNumber: $trackingNumber
  ) {
    ${ORDER_UPDATE_FIELDS.join('\n    ')}
  }
}`;

export function publishRequestBody(update: OrderUpdate): string {
  const variables = Object.fromEntries(
    ORDER_UPDATE_FIELDS.map((field) => [field, update[field] ?? null]),
  );
  return JSON.stringify({ query: PUBLISH_ORDER_UPDATE, variables });
}
