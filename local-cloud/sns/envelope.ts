import type { MessageAttributes } from './messages';
import type { SignatureVersion, Signer } from './signer';
import type { DeliveryRecord } from './store';

/**
 * The JSON documents SNS POSTs to HTTP/S endpoints and sends to SQS queues, key order as SNS
 * writes them. They are built at each attempt from the stored delivery (so a restart that moved
 * the certificate server still sends a working SigningCertURL); the signed fields never change,
 * and RSA PKCS#1 v1.5 signatures are deterministic, so a retry carries the same signature.
 * https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html
 * https://docs.aws.amazon.com/sns/latest/dg/http-subscription-confirmation-json.html
 * https://docs.aws.amazon.com/sns/latest/dg/http-unsubscribe-confirmation-json.html
 */

/** What a notification delivery stores to build its envelope from. */
export interface NotificationPayload {
  message: string;
  subject?: string;
  timestamp: string;
  attributes: MessageAttributes;
  signatureVersion: SignatureVersion;
  raw: boolean;
  unsubscribeUrl: string;
}

/** What a (un)subscribe confirmation stores. The token is the secret: it never reaches a log. */
export interface ConfirmationPayload {
  message: string;
  timestamp: string;
  token: string;
  subscribeUrl: string;
  signatureVersion: SignatureVersion;
}

/** Message attributes in the envelope: `{ Type, Value }`, binary values in base64. */
function envelopeAttributes(attributes: MessageAttributes) {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(
    entries.map(([name, a]) => [name, { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue }]),
  );
}

export async function notificationEnvelope(
  delivery: Pick<DeliveryRecord, 'messageId' | 'topicArn'>,
  payload: NotificationPayload,
  signer: Signer,
): Promise<Record<string, unknown>> {
  const signed = {
    Type: 'Notification',
    MessageId: delivery.messageId,
    TopicArn: delivery.topicArn,
    ...(payload.subject !== undefined ? { Subject: payload.subject } : {}),
    Message: payload.message,
    Timestamp: payload.timestamp,
  };
  const attributes = envelopeAttributes(payload.attributes);
  return {
    ...signed,
    SignatureVersion: payload.signatureVersion,
    ...(await signer.sign(signed, payload.signatureVersion)),
    UnsubscribeURL: payload.unsubscribeUrl,
    ...(attributes ? { MessageAttributes: attributes } : {}),
  };
}

export async function confirmationEnvelope(
  type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation',
  delivery: Pick<DeliveryRecord, 'messageId' | 'topicArn'>,
  payload: ConfirmationPayload,
  signer: Signer,
): Promise<Record<string, unknown>> {
  const signed = {
    Type: type,
    MessageId: delivery.messageId,
    Token: payload.token,
    TopicArn: delivery.topicArn,
    Message: payload.message,
    SubscribeURL: payload.subscribeUrl,
    Timestamp: payload.timestamp,
  };
  return {
    ...signed,
    SignatureVersion: payload.signatureVersion,
    ...(await signer.sign(signed, payload.signatureVersion)),
  };
}

/** SNS's ISO 8601 timestamps carry milliseconds: 2012-04-25T21:49:25.719Z. */
export const snsTimestamp = (ms: number) => new Date(ms).toISOString();
