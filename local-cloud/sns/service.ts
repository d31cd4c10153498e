import type { ServerResponse } from 'node:http';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { awsQueryService } from '../core/protocols/aws-query';
import type { LocalRequest, LocalService, ServiceContext } from '../core/service';
import { MEMORY } from '../core/storage';
import { Deliverer } from './deliverer';
import { toLogEntry, type DeliveryLogEntry } from './delivery-log';
import { topicArnFor } from './naming';
import { publishOperations } from './ops-publish';
import { subscriptionOperations } from './ops-subscriptions';
import { topicOperations } from './ops-topics';
import type { SnsRuntime } from './runtime';
import { Signer } from './signer';
import { SnsStore } from './store';
import { Topics } from './topics';

export interface SnsOptions {
  /** How SNS reaches the local SQS (subscriptions with protocol sqs, dead-letter queues). */
  sqs: SQSClient;
  /** Port of the HTTPS server for SigningCertURL; 0 (default) picks a free one. */
  certPort?: number;
  /** How long an HTTP/S endpoint has to answer. Default 15 s, as SNS. */
  endpointTimeoutMs?: number;
}

export interface DeliveryQuery {
  subscriptionArn?: string;
  messageId?: string;
  /** At most this many attempts, oldest first (default 1000). */
  limit?: number;
}

const ENDPOINT_TIMEOUT_MS = 15_000;

/**
 * The certificate server listens on the gateway's host, or on 127.0.0.1 when the gateway binds
 * every interface: SigningCertURL must name an address the leaf certificate is issued for.
 */
function certificateHost(baseUrl: string): string {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

/**
 * Amazon SNS over the AWS Query protocol: topics, HTTP/S and SQS subscriptions, filter
 * policies, signed deliveries with retries and dead-letter queues, and a delivery log. The
 * operation families live in ops-*.ts; storage in store.ts (`sns_` tables); delivery in
 * deliverer.ts; signing and the certificate server in signer.ts. See README.md.
 */
export class SnsService implements LocalService {
  readonly name = 'sns';
  private readonly store: SnsStore;
  private readonly signer: Signer;
  private readonly deliverer: Deliverer;
  private readonly http: Pick<LocalService, 'accepts' | 'handle'>;
  private readonly topics: Topics;

  constructor(
    private readonly ctx: ServiceContext,
    options: SnsOptions,
  ) {
    this.store = new SnsStore(ctx.db);
    this.signer = new Signer(this.store, {
      host: certificateHost(ctx.baseUrl),
      port: options.certPort ?? 0,
      dataDir: ctx.dataDir,
      log: ctx.log,
    });
    this.deliverer = new Deliverer({
      store: this.store,
      signer: this.signer,
      clock: ctx.clock,
      log: ctx.log,
      sqs: options.sqs,
      at: ctx,
      endpointTimeoutMs: options.endpointTimeoutMs ?? ENDPOINT_TIMEOUT_MS,
    });
    this.topics = new Topics(this.store, ctx);
    const rt: SnsRuntime = {
      ctx,
      store: this.store,
      topics: this.topics,
      deliverer: this.deliverer,
    };
    this.http = awsQueryService({
      name: this.name,
      signingName: 'sns',
      version: '2010-03-31',
      xmlNamespace: 'http://sns.amazonaws.com/doc/2010-03-31/',
      validationErrorType: 'InvalidParameter',
      // SubscribeURL and UnsubscribeURL are links: a receiver or a person opens them unsigned.
      unsignedGetActions: ['ConfirmSubscription', 'Unsubscribe'],
      operations: {
        ...topicOperations(rt),
        ...subscriptionOperations(rt),
        ...publishOperations(rt),
      },
      log: ctx.log,
    });
  }

  /** Starts the certificate server now if the local cloud keeps its files, then re-arms deliveries. */
  async start(): Promise<void> {
    if (this.ctx.dataDir !== MEMORY) await this.signer.start();
    this.deliverer.resume();
  }

  accepts(req: LocalRequest): boolean {
    return this.http.accepts(req);
  }

  handle(req: LocalRequest, res: ServerResponse): Promise<void> | void {
    return this.http.handle(req, res);
  }

  health(): { ok: boolean; detail?: string } {
    return { ok: true, detail: `${this.store.topics().length} topics` };
  }

  async close(): Promise<void> {
    this.deliverer.close();
    await this.signer.close();
  }

  topicArn(name: string): string {
    return topicArnFor(this.ctx, name);
  }

  /**
   * Every delivery attempt, oldest first, in the shape of SNS delivery status logs (see
   * delivery-log.ts), for one subscription and/or one message.
   */
  deliveries(query: DeliveryQuery = {}): DeliveryLogEntry[] {
    return this.store.attempts({ ...query, limit: query.limit ?? 1000 }).map(toLogEntry);
  }

  /** The local CA certificate (PEM) a receiver must trust to fetch SigningCertURL over HTTPS. */
  certificateAuthority(): Promise<string> {
    return this.signer.caCertificate();
  }

  /** The HTTPS URL of the signing certificate (what messages carry as SigningCertURL). */
  signingCertUrl(): Promise<string> {
    return this.signer.certUrl();
  }
}

export async function createSnsService(
  ctx: ServiceContext,
  options: SnsOptions,
): Promise<SnsService> {
  const service = new SnsService(ctx, options);
  await service.start();
  return service;
}
