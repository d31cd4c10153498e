import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { sendJson } from './protocols/http';
import type { LocalRequest, LocalService, Logger } from './service';

export const HEALTH_PATH = '/_local/health';

/** Thrown by `listen` when the port is taken, with a message a developer can act on. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(
      `Port ${port} on 127.0.0.1 is already in use: another local cloud (or LocalStack) may be ` +
        `running. Stop it, or choose another port with LOCAL_CLOUD_PORT=<port>.`,
    );
    this.name = 'PortInUseError';
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * One edge port in front of every service, LocalStack style: each request goes to the first
 * service that `accepts` it (by `X-Amz-Target` prefix or path). Services are registered after
 * the port is bound, because they need the final base URL (port 0 in tests).
 */
export class Gateway {
  readonly services: LocalService[] = [];
  readonly server: Server;
  /** False until every service is registered: health says 503 so waiters keep waiting. */
  ready = false;

  constructor(private readonly log: Logger) {
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      const service = this.services.find((s) => s.upgrade?.(req, socket, head));
      if (!service) socket.destroy();
    });
  }

  register(service: LocalService): void {
    this.services.push(service);
  }

  health(): { ok: boolean; services: Record<string, { ok: boolean; detail?: string }> } {
    const services = Object.fromEntries(this.services.map((s) => [s.name, s.health()]));
    if (!this.ready) return { ok: false, services: { gateway: { ok: false, detail: 'starting' } } };
    return { ok: Object.values(services).every((s) => s.ok), services };
  }

  private async onRequest(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    // The storefront's browser calls Cognito and AppSync here from another origin, as it calls
    // AWS's endpoints, which answer CORS for any origin. A preflight carries no X-Amz-Target,
    // so the gateway answers it itself.
    allowAnyOrigin(res);
    if (raw.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': raw.headers['access-control-request-headers'] ?? '*',
        'Access-Control-Max-Age': '86400',
      });
      res.end();
      return;
    }
    try {
      const body = await readBody(raw);
      const req: LocalRequest = {
        method: raw.method ?? 'GET',
        url: raw.url ?? '/',
        headers: raw.headers,
        body,
        raw,
      };
      if (req.method === 'GET' && req.url.split('?')[0] === HEALTH_PATH) {
        const health = this.health();
        sendJson(res, health.ok ? 200 : 503, health);
        return;
      }
      const service = this.services.find((s) => s.accepts(req));
      if (!service && !this.ready) {
        sendJson(res, 503, {
          __type: 'ServiceUnavailableException',
          message: 'The local cloud is starting',
        });
        return;
      }
      if (!service) {
        sendJson(res, 404, {
          __type: 'UnknownOperationException',
          message: `No local service handles ${req.method} ${req.url} (X-Amz-Target: ${String(req.headers['x-amz-target'] ?? '-')})`,
        });
        return;
      }
      await service.handle(req, res);
    } catch (error) {
      this.log.error('request failed', { error: String(error) });
      if (!res.headersSent)
        sendJson(res, 500, { __type: 'InternalFailure', message: String(error) });
      else res.end();
    }
  }

  listen(port: number, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
      };
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  async close(): Promise<void> {
    for (const service of [...this.services].reverse()) await service.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function allowAnyOrigin(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', '*');
}
