import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import { waitFor } from '../helpers';

/** One POST an endpoint received from SNS. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** The body as JSON, when it is (an envelope); undefined for raw deliveries that are not. */
  json: Record<string, string> & {
    MessageAttributes?: Record<string, { Type: string; Value: string }>;
  };
}

/**
 * A webhook receiver on loopback, as a partner endpoint would be: records every request and
 * answers with what `respond` says (default 200), so tests can fail deliveries on purpose.
 */
export class Receiver {
  readonly requests: Received[] = [];
  respond: (request: Received, index: number) => number | 'hang' = () => 200;
  private server?: Server;
  url = '';

  async start(path = '/hook'): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: Received['json'] = {};
        try {
          json = JSON.parse(body) as Received['json'];
        } catch {
          // a raw delivery
        }
        const received = { headers: req.headers, body, json };
        this.requests.push(received);
        const status = this.respond(received, this.requests.length - 1);
        if (status === 'hang') return;
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}${path}`;
    return this;
  }

  ofType(type: string): Received[] {
    return this.requests.filter((r) => r.headers['x-amz-sns-message-type'] === type);
  }

  /** Waits until `count` requests of `type` arrived; returns them. */
  waitFor(type: string, count = 1, timeoutMs = 10_000): Promise<Received[]> {
    return waitFor(
      () => {
        const found = this.ofType(type);
        return found.length >= count ? found : undefined;
      },
      { timeoutMs, intervalMs: 10 },
    );
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

/** A receiver started before the file's tests and closed after them. */
export function receiverForTests(): Receiver {
  const receiver = new Receiver();
  beforeAll(() => receiver.start().then(() => undefined));
  afterAll(() => receiver.close());
  return receiver;
}
