import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Clock, Logger } from '../core/service';
import type { ActiveSubscription, AppSyncEngine, AppSyncError, Publication } from './executor';
import { AuthError, NOT_AUTHORIZED, lowerCaseHeaders, type Identity } from './identity';
import type { ReceivedRequest } from './sigv4-verify';

export const GRAPHQL_WS = 'graphql-ws';

export interface RealtimeOptions {
  engine: AppSyncEngine;
  authenticate(req: ReceivedRequest): Promise<Identity>;
  graphqlPath: string;
  keepAliveMs: number;
  connectionTimeoutMs: number;
  clock: Clock;
  log: Logger;
}

type ClientMessage = {
  type?: string;
  id?: string;
  payload?: { data?: string; extensions?: { authorization?: Record<string, unknown> } };
};

function decodeBase64Json(value: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
  return parsed as Record<string, unknown>;
}

/**
 * The connect-time auth: since api-graphql 4.3 it travels in a `header-<base64url JSON>`
 * subprotocol; older clients put base64 `header` and `payload` in the query string.
 */
function connectAuth(req: IncomingMessage): { headers: Record<string, unknown>; payload: string } {
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  const fromProtocol = offered.find((p) => p.startsWith('header-'));
  if (fromProtocol) return { headers: decodeBase64Json(fromProtocol.slice(7)), payload: '{}' };
  const query = new URL(req.url ?? '/', 'http://local').searchParams;
  const header = query.get('header');
  const payload = query.get('payload');
  return {
    headers: header ? decodeBase64Json(header) : {},
    payload: payload ? Buffer.from(payload, 'base64').toString('utf8') : '{}',
  };
}

const authErrors = (error: unknown): AppSyncError[] => [
  error instanceof AuthError
    ? { errorType: error.errorType, message: error.message }
    : { errorType: 'UnauthorizedException', message: NOT_AUTHORIZED },
];

class Connection {
  readonly subscriptions = new Map<string, ActiveSubscription>();
  private acknowledged = false;
  private cancelKeepAlive?: () => void;

  constructor(
    private readonly ws: WebSocket,
    private readonly connected: Promise<Identity>,
    private readonly options: RealtimeOptions,
  ) {
    // A rejected connect auth is reported at connection_init, not as an unhandled rejection.
    connected.catch(() => {});
    ws.on('message', (raw) => void this.onMessage(String(raw)));
    ws.on('close', () => this.dispose());
  }

  send(message: Record<string, unknown>): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  dispose(): void {
    this.cancelKeepAlive?.();
    this.subscriptions.clear();
  }

  close(): void {
    this.dispose();
    this.ws.terminate();
  }

  private keepAlive(): void {
    this.send({ type: 'ka' });
    this.cancelKeepAlive = this.options.clock.setTimer(
      () => this.keepAlive(),
      this.options.keepAliveMs,
    );
  }

  private async onMessage(raw: string): Promise<void> {
    let message: ClientMessage;
    try {
      message = JSON.parse(raw) as ClientMessage;
    } catch {
      this.send({
        type: 'error',
        payload: { errors: [{ errorType: 'MessageParsingException', message: 'Invalid JSON' }] },
      });
      return;
    }
    switch (message.type) {
      case 'connection_init':
        return this.init();
      case 'start':
        return this.start(message);
      case 'stop':
        if (message.id) this.subscriptions.delete(message.id);
        this.send({ type: 'complete', id: message.id });
        return;
      default:
        this.send({
          type: 'error',
          id: message.id,
          payload: {
            errors: [
              {
                errorType: 'UnsupportedOperation',
                message: `Unknown message type ${String(message.type)}`,
              },
            ],
          },
        });
    }
  }

  private async init(): Promise<void> {
    if (this.ws.protocol !== GRAPHQL_WS) {
      this.send({
        type: 'connection_error',
        payload: {
          errors: [
            { errorType: 'UnsupportedProtocol', message: `Subprotocol ${GRAPHQL_WS} is required.` },
          ],
        },
      });
      this.ws.close(1002);
      return;
    }
    try {
      await this.connected;
    } catch (error) {
      this.send({
        type: 'connection_error',
        payload: { errors: authErrors(error).map((e) => ({ ...e, errorCode: 401 })) },
      });
      this.ws.close(1000);
      return;
    }
    if (this.acknowledged) return;
    this.acknowledged = true;
    this.send({
      type: 'connection_ack',
      payload: { connectionTimeoutMs: this.options.connectionTimeoutMs },
    });
    this.keepAlive();
  }

  private async start(message: ClientMessage): Promise<void> {
    const id = message.id;
    const fail = (errors: AppSyncError[]) => this.send({ type: 'error', id, payload: { errors } });
    if (!id || typeof message.payload?.data !== 'string') {
      return fail([
        { errorType: 'BadRequestException', message: 'start needs an id and payload.data' },
      ]);
    }
    if (!this.acknowledged) {
      return fail([{ errorType: 'BadRequestException', message: 'Send connection_init first.' }]);
    }
    if (this.subscriptions.has(id)) {
      return fail([
        { errorType: 'BadRequestException', message: `Subscription ${id} already exists.` },
      ]);
    }
    const data = message.payload.data;
    const headers = lowerCaseHeaders(message.payload.extensions?.authorization ?? {});
    let identity: Identity;
    try {
      identity = await this.options.authenticate({
        method: 'POST',
        url: this.options.graphqlPath,
        headers,
        body: data,
      });
    } catch (error) {
      return fail(authErrors(error));
    }
    let request: { query?: unknown; variables?: Record<string, unknown> };
    try {
      request = JSON.parse(data) as typeof request;
    } catch {
      return fail([
        { errorType: 'MalformedHttpRequestException', message: 'payload.data is not JSON' },
      ]);
    }
    const prepared = this.options.engine.prepare({
      query: String(request.query ?? ''),
      variables: request.variables,
    });
    if (!('document' in prepared)) return fail(prepared.errors ?? []);
    const outcome = await this.options.engine.subscribe(prepared, identity, headers);
    if (!('fieldName' in outcome)) return fail(outcome.errors ?? []);
    this.subscriptions.set(id, outcome);
    this.send({ type: 'start_ack', id });
  }
}

/** The AppSync real-time endpoint: `graphql-ws` sockets and the fan-out of mutations. */
export class RealtimeServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(GRAPHQL_WS) ? GRAPHQL_WS : false),
  });
  private readonly connections = new Set<Connection>();
  /** Fan-out runs in mutation order, so a subscriber never sees seq 2 before seq 1. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: RealtimeOptions) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    let connected: Promise<Identity>;
    try {
      const { headers, payload } = connectAuth(req);
      connected = this.options.authenticate({
        method: 'POST',
        url: `${this.options.graphqlPath}/connect`,
        headers: lowerCaseHeaders(headers),
        body: payload,
      });
    } catch {
      connected = Promise.reject(new AuthError('UnauthorizedException', NOT_AUTHORIZED, 401));
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new Connection(ws, connected, this.options);
      this.connections.add(connection);
      ws.on('close', () => this.connections.delete(connection));
    });
  }

  publish(publications: Publication[]): Promise<void> {
    this.queue = this.queue
      .then(() => this.fanOut(publications))
      .catch((error: unknown) => {
        this.options.log.error('appsync fan-out failed', { error: String(error) });
      });
    return this.queue;
  }

  private async fanOut(publications: Publication[]): Promise<void> {
    for (const { mutation, value } of publications) {
      const fields = this.options.engine.triggers.get(mutation) ?? [];
      if (fields.length === 0) continue;
      for (const connection of this.connections) {
        for (const [id, sub] of connection.subscriptions) {
          if (!fields.includes(sub.fieldName)) continue;
          const payload = await this.options.engine.deliver(sub, value);
          if (payload) connection.send({ type: 'data', id, payload });
        }
      }
    }
  }

  stats(): { connections: number; subscriptions: number } {
    let subscriptions = 0;
    for (const c of this.connections) subscriptions += c.subscriptions.size;
    return { connections: this.connections.size, subscriptions };
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.close();
    this.connections.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
