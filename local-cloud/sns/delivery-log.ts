import { STATUS_CODES } from 'node:http';
import type { AttemptRecord, DeliveryOutcome } from './store';

/**
 * One delivery attempt as the local delivery log reports it: the shape of SNS delivery status
 * logging (CloudWatch Logs `notification` / `delivery` / `status`), with the local extras a
 * webhooks page needs (subscription, attempt time, latency, next retry, final outcome).
 * https://docs.aws.amazon.com/sns/latest/dg/sns-topic-attributes.html
 */
export interface DeliveryLogEntry {
  notification: {
    messageId: string;
    topicArn: string;
    /** Publish time, as SNS logs it: `2026-12-02 06:40:12.345`. */
    timestamp: string;
    messageMD5Sum: string;
    type: AttemptRecord['kind'];
  };
  delivery: {
    /** One id per message and subscription, the same on every retry. */
    deliveryId: string;
    destination: string;
    protocol: AttemptRecord['protocol'];
    subscriptionArn: string;
    /** This attempt's number (1 = the first). */
    attempts: number;
    /** The endpoint's HTTP status; absent when it never answered. */
    statusCode?: number;
    providerResponse: string;
    /** From publish to the end of this attempt. */
    dwellTimeMs: number;
    /** This attempt alone. */
    latencyMs: number;
    attemptedAt: string;
    /** When the next attempt is due (clock time, time-scaled), while retrying. */
    nextAttemptAt?: string;
  };
  status: 'SUCCESS' | 'FAILURE';
  outcome: DeliveryOutcome;
}

const logTimestamp = (iso: string) => iso.replace('T', ' ').replace(/Z$/, '');

export function toLogEntry(record: AttemptRecord): DeliveryLogEntry {
  return {
    notification: {
      messageId: record.messageId,
      topicArn: record.topicArn,
      timestamp: logTimestamp(record.messageTimestamp),
      messageMD5Sum: record.messageMd5,
      type: record.kind,
    },
    delivery: {
      deliveryId: record.deliveryId,
      destination: record.endpoint,
      protocol: record.protocol,
      subscriptionArn: record.subscriptionArn,
      attempts: record.attempt,
      ...(record.statusCode !== null ? { statusCode: record.statusCode } : {}),
      providerResponse:
        record.error ??
        (record.statusCode !== null ? (STATUS_CODES[record.statusCode] ?? 'Unknown') : 'OK'),
      dwellTimeMs: record.dwellMs,
      latencyMs: record.latencyMs,
      attemptedAt: new Date(record.attemptedAt).toISOString(),
      ...(record.nextAttemptAt !== null
        ? { nextAttemptAt: new Date(record.nextAttemptAt).toISOString() }
        : {}),
    },
    status: record.outcome === 'delivered' ? 'SUCCESS' : 'FAILURE',
    outcome: record.outcome,
  };
}
