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

/** Time as the local cloud sees it; tests may scale waits (`LOCAL_CLOUD_TIME_SCALE`). */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** setTimeout whose delay is divided by the time scale; returns a cancel function. */
  setTimer(fn: () => void, delayMs: number): () => void;
  /**
   * Speed-up factor applied by `setTimer` (1 = real time, `Infinity` = no waiting). Optional so
   * hand-made test clocks stay valid; absent means 1. Services that persist deadlines use it to
   * store the scaled due time.
   */
  readonly timeScale?: number;
}

export interface Logger {
  /** One line per API call goes here (`LOCAL_CLOUD_LOG=debug` shows them). */
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * What every service is built with. One SQLite database (file for `npm run dev`, `:memory:`
 * for tests) is the single storage setting; each service owns tables prefixed with its name.
 */
export interface ServiceContext {
  db: import('better-sqlite3').Database;
  clock: Clock;
  log: Logger;
  /** e.g. `http://127.0.0.1:4566`: used for issuer URLs, Location headers. */
  baseUrl: string;
  region: string;
  accountId: string;
  /** `:memory:` or the directory holding every service's files (one persistence setting). */
  dataDir: string;
}
