import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { LocalRequest, LocalService, ServiceContext } from '../core/service';
import type { AppSyncConfig } from './config';
import { AppSyncEngine, requestError, type AppSyncResponse, type GraphQLRequest } from './executor';
import { AuthError, authenticate, lowerCaseHeaders } from './identity';
import { RealtimeServer } from './realtime';
import { buildAppSyncSchema } from './schema';
import type { ReceivedRequest } from './sigv4-verify';

/** AppSync's own default; the client reconnects after this long without any message. */
const CONNECTION_TIMEOUT_MS = 300_000;
/** AppSync sends `ka` about once a minute; the v6 client warns after 65 s without one. */
const KEEP_ALIVE_MS = 60_000;

export interface AppSyncService extends LocalService {
  /** Open real-time connections and started subscriptions (tests wait on these). */
  stats(): { connections: number; subscriptions: number };
}

function send(res: ServerResponse, status: number, body: AppSyncResponse): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    // Browsers call the endpoint cross-origin from the Next.js dev server.
    'access-control-allow-origin': '*',
  });
  res.end(text);
}

function sendPreflight(res: ServerResponse): void {
  res.writeHead(204, {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': '*',
    'access-control-max-age': '86400',
  });
  res.end();
}

const pathOf = (url: string) => url.split('?')[0] ?? url;

export function createAppSyncService(ctx: ServiceContext, config: AppSyncConfig): AppSyncService {
  const graphqlPath = config.path.replace(/\/+$/, '');
  const realtimePath = `${graphqlPath}/realtime`;
  const engine = new AppSyncEngine(buildAppSyncSchema(config.schema), config, () =>
    ctx.clock.now(),
  );

  const verify = (req: ReceivedRequest, sourceIp = '127.0.0.1') =>
    authenticate(config.auth, req, {
      region: ctx.region,
      accountId: ctx.accountId,
      now: ctx.clock.now(),
      sourceIp,
    });

  const realtime = new RealtimeServer({
    engine,
    authenticate: (req) => verify(req),
    graphqlPath,
    keepAliveMs: config.realtime?.keepAliveMs ?? KEEP_ALIVE_MS,
    connectionTimeoutMs: config.realtime?.connectionTimeoutMs ?? CONNECTION_TIMEOUT_MS,
    clock: ctx.clock,
    log: ctx.log,
  });

  async function handle(req: LocalRequest, res: ServerResponse): Promise<void> {
    if (req.method === 'OPTIONS') return sendPreflight(res);
    if (req.method !== 'POST') {
      return send(res, 405, requestError('Only POST is supported.', 'MethodNotAllowed'));
    }
    const headers = lowerCaseHeaders(req.headers);
    let identity;
    try {
      identity = await verify(
        { method: req.method, url: req.url, headers, body: req.body },
        req.raw.socket.remoteAddress ?? '127.0.0.1',
      );
    } catch (error) {
      if (error instanceof AuthError) {
        return send(res, error.status, requestError(error.message, error.errorType));
      }
      throw error;
    }
    let body: GraphQLRequest;
    try {
      body = JSON.parse(req.body.toString('utf8')) as GraphQLRequest;
      if (typeof body.query !== 'string') throw new Error('query missing');
    } catch {
      return send(
        res,
        400,
        requestError('Unable to parse GraphQL query.', 'MalformedHttpRequestException'),
      );
    }
    const prepared = engine.prepare(body);
    if (!('document' in prepared)) return send(res, 400, prepared);
    if (prepared.operation.operation === 'subscription') {
      return send(
        res,
        400,
        requestError('Subscriptions are served over WebSocket.', 'ValidationError'),
      );
    }
    const { response, publications } = await engine.execute(prepared, identity, headers);
    send(res, 200, response);
    void realtime.publish(publications);
  }

  return {
    name: 'appsync',
    accepts: (req) => pathOf(req.url) === graphqlPath,
    handle,
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
      if (pathOf(req.url ?? '') !== realtimePath) return false;
      realtime.handleUpgrade(req, socket, head);
      return true;
    },
    health: () => ({ ok: true, detail: `${realtime.stats().subscriptions} subscriptions` }),
    stats: () => realtime.stats(),
    close: () => realtime.close(),
  };
}
