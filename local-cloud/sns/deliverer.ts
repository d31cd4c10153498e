import { createHash } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { scaleDelay, setTimerAt } from '../core/clock';
import type { Clock, Logger } from '../core/service';
import { MANAGED_RETRY, retryDelaySeconds, type RetryPolicy } from './delivery-policy';
import {
  confirmationEnvelope,
  notificationEnvelope,
  type ConfirmationPayload,
  type NotificationPayload,
} from './envelope';
import type { SnsAddressing } from './naming';
import type { Signer } from './signer';
import type { DeliveryOutcome, DeliveryRecord, SnsStore } from './store';
import { postToEndpoint, sendToQueue, type AttemptResult } from './transports';

/** A notification's stored payload: the envelope's fields plus how to retry and where to give up. */
export interface StoredNotification extends NotificationPayload {
  retry: RetryPolicy;
  contentType: string;
  deadLetterArn?: string;
}

export interface StoredConfirmation extends ConfirmationPayload {
  retry: RetryPolicy;
}

export interface DelivererOptions {
  store: SnsStore;
  signer: Signer;
  clock: Clock;
  log: Logger;
  sqs: SQSClient;
  at: SnsAddressing;
  /** How long an HTTP/S endpoint has to answer (SNS: 15 s). */
  endpointTimeoutMs: number;
}

const CONFIRMATION_CONTENT_TYPE = 'text/plain; charset=UTF-8';

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/**
 * Delivers messages to subscriptions, durably: every pending delivery is a row in
 * `sns_deliveries` with its attempt count and next due time, committed before the publish
 * answers. Timers run on the service Clock (due times are stored time-scaled, as the SQS service
 * stores visibility deadlines), so a restart re-arms each row where it was, and a SIGKILL
 * mid-retry resumes the schedule. Delivery is at least once: an attempt cut off by a crash is
 * made again (with the same message id, as SNS retries do).
 *
 * Every attempt goes to `sns_delivery_log` (see delivery-log.ts), never with a token or body.
 */
export class Deliverer {
  private readonly timers = new Map<string, () => void>();
  private readonly running = new Set<string>();
  private readonly aborts = new Set<AbortController>();
  private closed = false;

  constructor(private readonly options: DelivererOptions) {}

  /** Re-arms every stored delivery (after a restart). */
  resume(): void {
    for (const delivery of this.options.store.deliveries()) {
      this.schedule(delivery.id, delivery.dueAt);
    }
  }

  /**
   * Stores new deliveries in one transaction (with `alongside`, the write that caused them, such
   * as the new subscription), then arms them. A timer whose row is gone by the time it fires
   * (unsubscribe, DeleteTopic) finds nothing and does nothing.
   */
  add(deliveries: DeliveryRecord[], alongside?: () => void): void {
    const { store } = this.options;
    store.transaction(() => {
      alongside?.();
      for (const delivery of deliveries) store.addDelivery(delivery);
    });
    for (const delivery of deliveries) this.schedule(delivery.id, delivery.dueAt);
  }

  close(): void {
    this.closed = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    for (const abort of this.aborts) abort.abort();
  }

  private schedule(id: string, dueAt: number): void {
    if (this.closed) return;
    this.timers.get(id)?.();
    this.timers.set(
      id,
      setTimerAt(this.options.clock, () => void this.attempt(id), dueAt),
    );
  }

  private async attempt(id: string): Promise<void> {
    this.timers.delete(id);
    if (this.closed || this.running.has(id)) return;
    const { store, clock, log } = this.options;
    const delivery = store.delivery(id);
    if (!delivery) return;
    this.running.add(id);
    try {
      if (delivery.kind === 'Notification') {
        const sub = store.subscription(delivery.subscriptionArn);
        if (!sub || sub.pending) {
          this.finish(
            delivery,
            'dropped',
            { kind: 'fatal', error: 'Subscription does not exist' },
            0,
            0,
          );
          return;
        }
      }
      const started = performance.now();
      const result = await this.send(delivery).catch((error: unknown): AttemptResult => ({
        kind: 'retry',
        error: String((error as Error)?.message ?? error),
      }));
      // Closed mid-attempt: the storage may be gone; the row stays and is tried after a restart.
      if (this.closed) return;
      const latencyMs = Math.round(performance.now() - started);
      const attempt = delivery.attempts + 1;
      if (result.kind === 'delivered') {
        this.finish(delivery, 'delivered', result, attempt, latencyMs);
        return;
      }
      const policy = (delivery.payload as { retry?: RetryPolicy }).retry ?? MANAGED_RETRY;
      const delay = result.kind === 'retry' ? retryDelaySeconds(policy, attempt) : undefined;
      if (delay !== undefined) {
        const dueAt = clock.now() + scaleDelay(delay * 1000, clock.timeScale);
        store.transaction(() => {
          store.reschedule(delivery.id, attempt, dueAt);
          this.logAttempt(delivery, attempt, result, latencyMs, 'retrying', dueAt);
        });
        this.schedule(delivery.id, dueAt);
        return;
      }
      const deadLetterArn = (delivery.payload as { deadLetterArn?: string }).deadLetterArn;
      if (deadLetterArn) {
        const moved = await this.deadLetter(delivery, deadLetterArn);
        if (this.closed) return;
        if (moved === true) {
          this.finish(delivery, 'dead-lettered', result, attempt, latencyMs);
          return;
        }
        log.warn('dead-letter queue refused a message', {
          messageId: delivery.messageId,
          error: moved,
        });
        this.finish(
          delivery,
          'dropped',
          { ...result, error: `${result.error}; dead-letter queue: ${moved}` },
          attempt,
          latencyMs,
        );
        return;
      }
      this.finish(delivery, 'dropped', result, attempt, latencyMs);
    } catch (error) {
      if (!this.closed) log.error('delivery attempt failed', { id, error: String(error) });
    } finally {
      this.running.delete(id);
    }
  }

  private finish(
    delivery: DeliveryRecord,
    outcome: DeliveryOutcome,
    result: AttemptResult,
    attempt: number,
    latencyMs: number,
  ): void {
    const { store } = this.options;
    store.transaction(() => {
      store.finishDelivery(delivery.id);
      this.logAttempt(delivery, attempt, result, latencyMs, outcome, null);
    });
  }

  private logAttempt(
    delivery: DeliveryRecord,
    attempt: number,
    result: AttemptResult,
    latencyMs: number,
    outcome: DeliveryOutcome,
    nextAttemptAt: number | null,
  ): void {
    const payload = delivery.payload as { message: string; timestamp: string };
    const now = this.options.clock.now();
    this.options.store.logAttempt({
      deliveryId: delivery.id,
      kind: delivery.kind,
      messageId: delivery.messageId,
      messageMd5: md5(payload.message),
      messageTimestamp: payload.timestamp,
      topicArn: delivery.topicArn,
      subscriptionArn: delivery.subscriptionArn,
      protocol: delivery.protocol,
      endpoint: delivery.endpoint,
      attempt,
      attemptedAt: now,
      statusCode: result.statusCode ?? null,
      error: result.kind === 'delivered' ? null : result.error,
      latencyMs,
      dwellMs: Math.max(0, now - delivery.createdAt),
      outcome,
      nextAttemptAt,
    });
  }

  private async send(delivery: DeliveryRecord): Promise<AttemptResult> {
    const { body, attributes, contentType, raw } = await this.render(delivery);
    const abort = new AbortController();
    this.aborts.add(abort);
    try {
      if (delivery.protocol === 'sqs') {
        return await sendToQueue(
          this.queueTarget(abort),
          delivery.endpoint,
          body,
          raw ? attributes : {},
        );
      }
      return await postToEndpoint(delivery, body, {
        contentType,
        raw,
        timeoutMs: this.options.endpointTimeoutMs,
        signal: abort.signal,
        ca: [...rootCertificates, await this.options.signer.caCertificate()],
      });
    } finally {
      this.aborts.delete(abort);
    }
  }

  private queueTarget(abort: AbortController) {
    return { sqs: this.options.sqs, at: this.options.at, signal: abort.signal };
  }

  /** The body as the endpoint receives it: the signed JSON envelope, or the bare message (raw). */
  private async render(delivery: DeliveryRecord) {
    const { signer } = this.options;
    if (delivery.kind === 'Notification') {
      const payload = delivery.payload as unknown as StoredNotification;
      if (payload.raw) {
        return {
          body: payload.message,
          attributes: payload.attributes,
          contentType: payload.contentType,
          raw: true,
        };
      }
      const envelope = await notificationEnvelope(delivery, payload, signer);
      return {
        body: JSON.stringify(envelope),
        attributes: {},
        contentType: payload.contentType,
        raw: false,
      };
    }
    const payload = delivery.payload as unknown as StoredConfirmation;
    const envelope = await confirmationEnvelope(delivery.kind, delivery, payload, signer);
    return {
      body: JSON.stringify(envelope),
      attributes: {},
      contentType: CONFIRMATION_CONTENT_TYPE,
      raw: false,
    };
  }

  /**
   * After the last retry, or at once after a client-side error, SNS sends the message to the
   * subscription's dead-letter queue. The guide does not spell out that message's form; it is
   * what the subscription would have received over SQS: the JSON envelope (or the raw message,
   * with its attributes, under RawMessageDelivery).
   * https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html
   */
  private async deadLetter(delivery: DeliveryRecord, queueArn: string): Promise<true | string> {
    const { body, attributes, raw } = await this.render(delivery);
    const abort = new AbortController();
    this.aborts.add(abort);
    try {
      const result = await sendToQueue(
        this.queueTarget(abort),
        queueArn,
        body,
        raw ? attributes : {},
      );
      return result.kind === 'delivered' ? true : result.error;
    } finally {
      this.aborts.delete(abort);
    }
  }
}
