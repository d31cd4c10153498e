import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { createCognitoService, type CodeInfo, type CognitoService } from '@/local-cloud/cognito';
import type { ServiceContext } from '@/local-cloud/core/service';

export const POOL_ID = 'us-east-1_Loc4lPool';
export const CLIENT_ID = 'localwebclient0000000000ab';
export const OTHER_CLIENT_ID = 'localotherclient000000000b';
export const STRONG_PASSWORD = 'Corr3ct-Horse!';

export interface Harness {
  baseUrl: string;
  service: CognitoService;
  codes: CodeInfo[];
  logs: string[];
  /** Every Cognito action received, in order (what a client really calls). */
  operations: string[];
  /** Moves the service's clock (not the test's) forward. */
  advance(ms: number): void;
  lastCode(email: string, purpose?: CodeInfo['purpose']): string;
  close(): Promise<void>;
}

/**
 * A stand-in for the gateway: a bare node:http server that hands every request to the
 * Cognito service, the way the real gateway will after routing.
 */
export async function startCognito(dbFile = ':memory:'): Promise<Harness> {
  const db = new Database(dbFile);
  let offset = 0;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const operations: string[] = [];
  const codes: CodeInfo[] = [];
  const logs: string[] = [];
  const ctx: ServiceContext = {
    db,
    clock: {
      now: () => Date.now() + offset,
      setTimer: (fn, delayMs) => {
        const timer = setTimeout(fn, delayMs);
        return () => clearTimeout(timer);
      },
    },
    log: {
      info: (message) => logs.push(message),
      warn: (message) => logs.push(message),
      error: (message) => logs.push(message),
    },
    baseUrl,
    region: 'us-east-1',
    accountId: '000000000000',
  };
  const service = createCognitoService(ctx, {
    userPools: [
      {
        id: POOL_ID,
        name: 'storefront',
        clients: [
          { id: CLIENT_ID, name: 'web' },
          { id: OTHER_CLIENT_ID, name: 'srp-only', explicitAuthFlows: ['USER_SRP_AUTH'] },
        ],
        groups: ['Warehouse'],
      },
    ],
    onCode: (info) => codes.push(info),
  });
  server.on('request', (raw: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const req = {
        method: raw.method ?? 'GET',
        url: raw.url ?? '/',
        headers: raw.headers,
        body: Buffer.concat(chunks),
        raw,
      };
      const target = raw.headers['x-amz-target'];
      if (typeof target === 'string') operations.push(target.split('.').pop() ?? target);
      if (!service.accepts(req)) {
        res.writeHead(404).end();
        return;
      }
      void service.handle(req, res);
    });
  });
  return {
    baseUrl,
    service,
    codes,
    logs,
    operations,
    advance: (ms) => {
      offset += ms;
    },
    lastCode(email, purpose = 'signup') {
      const found = codes.filter((c) => c.email === email.toLowerCase() && c.purpose === purpose);
      const code = found.at(-1)?.code;
      if (!code) throw new Error(`no ${purpose} code for ${email}`);
      return code;
    },
    async close() {
      await service.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
}

/** Unique per test, so tests sharing one server do not collide. */
let counter = 0;
export const freshEmail = (tag: string) => `${tag}.${Date.now()}.${(counter += 1)}@example.com`;
