import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** A request as the gateway hands it to a service: headers parsed, body read in full. */
export interface LocalRequest {
  method: string;
  /** Path and query, as received (e.g. `/graphql?x=1`). */
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The raw Node request, for services that need to verify SigV4 over the exact bytes. */
  raw: IncomingMessage;
}

/**
 * One AWS service stand-in behind the gateway (Miniflare-style: small interface, one module
 * per service). The gateway asks each service in turn whether it `accepts` a request, by
 * `X-Amz-Target` prefix or by path, like a LocalStack edge port.
 */
export interface LocalService {
  /** Short name used in logs and in `GET /_local/health` (e.g. `stepfunctions`). */
  readonly name: string;
  accepts(req: LocalRequest): boolean;
  handle(req: LocalRequest, res: ServerResponse): Promise<void> | void;
  /** Optional WebSocket upgrade (AppSync real-time). Return false to decline. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Reported by the health endpoint. */
  health(): { ok: boolean; detail?: string };
  /** Called once on shutdown: stop timers, flush storage. */
  close(): Promise<void> | void;
}
