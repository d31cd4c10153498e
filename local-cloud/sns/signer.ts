import { createSign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import path from 'node:path';
import { MEMORY } from '../core/storage';
import type { Logger } from '../core/service';
import { loadCertificates, type SnsCertificates } from './certificates';
import { SIGNING_CERT_PATH } from './naming';
import type { SnsStore } from './store';

export type SignatureVersion = '1' | '2';

/**
 * The fields each message type signs, in this order, each as `Key\nValue\n` (Subject only when
 * present). SignatureVersion 1 is SHA1withRSA, 2 SHA256withRSA.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
 */
const SIGNED_FIELDS: Record<string, readonly string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: [
    'Message',
    'MessageId',
    'SubscribeURL',
    'Timestamp',
    'Token',
    'TopicArn',
    'Type',
  ],
};
SIGNED_FIELDS.UnsubscribeConfirmation = SIGNED_FIELDS.SubscriptionConfirmation!;

export function stringToSign(message: Record<string, string | undefined>): string {
  const fields = SIGNED_FIELDS[message.Type ?? ''];
  if (!fields) throw new Error(`No string to sign for message type ${String(message.Type)}`);
  return fields
    .filter((field) => message[field] !== undefined)
    .map((field) => `${field}\n${message[field]}\n`)
    .join('');
}

export interface SignerOptions {
  /** The loopback host the certificate server listens on (the gateway's host). */
  host: string;
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  log: Logger;
}

export const CA_FILE = 'ca.pem';

/**
 * Signs SNS messages and serves the signing certificate at `SigningCertURL` over HTTPS, with a
 * server certificate from the local CA (see certificates.ts). Started on first use, so a local
 * cloud that never delivers to an endpoint spends nothing on keys; with a data directory it
 * starts at once, so `<dataDir>/ca.pem` exists before any receiver starts.
 */
export class Signer {
  private started?: Promise<{ certificates: SnsCertificates; certUrl: string }>;
  private server?: Server;

  constructor(
    private readonly store: SnsStore,
    private readonly options: SignerOptions,
  ) {}

  start() {
    this.started ??= this.listen();
    return this.started;
  }

  /** The local CA's certificate (PEM): what a receiver adds to its trust store. */
  async caCertificate(): Promise<string> {
    return (await this.start()).certificates.ca.certificate;
  }

  async certUrl(): Promise<string> {
    return (await this.start()).certUrl;
  }

  /** Signature and SigningCertURL for a message whose other fields are final. */
  async sign(message: Record<string, string | undefined>, version: SignatureVersion) {
    const { certificates, certUrl } = await this.start();
    const signature = createSign(version === '2' ? 'RSA-SHA256' : 'RSA-SHA1')
      .update(stringToSign(message), 'utf8')
      .sign(certificates.leaf.privateKey, 'base64');
    return { Signature: signature, SigningCertURL: certUrl };
  }

  async close(): Promise<void> {
    // A start still under way finishes first, so its server cannot outlive the close.
    await this.started?.catch(() => undefined);
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async listen() {
    const certificates = await loadCertificates(this.store);
    if (this.options.dataDir !== MEMORY) {
      writeFileSync(path.join(this.options.dataDir, CA_FILE), certificates.ca.certificate);
    }
    const server = createServer(
      { key: certificates.leaf.privateKey, cert: certificates.leaf.certificate },
      (req, res) => {
        if (req.method === 'GET' && req.url?.split('?')[0] === SIGNING_CERT_PATH) {
          res.writeHead(200, { 'content-type': 'application/x-pem-file' });
          res.end(certificates.leaf.certificate);
          return;
        }
        res.writeHead(404).end();
      },
    );
    this.server = server;
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve((server.address() as { port: number }).port);
      });
    });
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    const certUrl = `https://${host}:${port}${SIGNING_CERT_PATH}`;
    this.options.log.info('SNS signing certificate served', { certUrl });
    return { certificates, certUrl };
  }
}
