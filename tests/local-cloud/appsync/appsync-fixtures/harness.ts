import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import Database from 'better-sqlite3';
import {
  createAppSyncService,
  loadSchemaFromAssembly,
  type AppSyncService,
} from '@/local-cloud/appsync';
import type { LocalRequest, ServiceContext } from '@/local-cloud/core/service';
import { REGION, createTokenKit, type TokenKit } from './tokens';

export const ACCESS_KEY_ID = 'AKIDLOCALAPPSYNC';
export const SECRET_ACCESS_KEY = 'local-appsync-secret';
export const ORDERS_TABLE = 'Orders';
export const KEEP_ALIVE_MS = 250;

const repoFile = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));
export const ASSEMBLY_DIR = fileURLToPath(new URL('./assembly', import.meta.url));

type Dynalite = (options: { createTableMs: number }) => Server;
const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite;

export interface Harness {
  graphqlUrl: string;
  service: AppSyncService;
  tokens: TokenKit;
  logs: string[];
  ddb: DynamoDBClient;
  putOrder(orderId: string, ownerSub: string): Promise<void>;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The AppSync service behind a bare node:http server (standing in for the gateway), with its
 * DynamoDB data source on an in-process dynalite and the resolvers from `amplify/data`.
 */
export async function startAppSync(): Promise<Harness> {
  const dynamo = dynalite({ createTableMs: 0 });
  const dynamoPort = await listen(dynamo);
  const ddb = new DynamoDBClient({
    region: REGION,
    endpoint: `http://127.0.0.1:${dynamoPort}`,
    credentials: { accessKeyId: 'dynalite', secretAccessKey: 'dynalite' },
  });
  await ddb.send(
    new CreateTableCommand({
      TableName: ORDERS_TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
    }),
  );

  const server = createServer();
  const port = await listen(server);
  const baseUrl = `http://127.0.0.1:${port}`;
  const logs: string[] = [];
  const db = new Database(':memory:');
  const ctx: ServiceContext = {
    db,
    clock: {
      now: () => Date.now(),
      setTimer: (fn, delayMs) => {
        const timer = setTimeout(fn, delayMs);
        return () => clearTimeout(timer);
      },
    },
    log: {
      debug: () => {},
      info: (m) => logs.push(m),
      warn: (m) => logs.push(m),
      error: (m, f) => logs.push(`${m} ${JSON.stringify(f)}`),
    },
    baseUrl,
    region: REGION,
    accountId: '000000000000',
    dataDir: ':memory:',
  };
  const tokens = await createTokenKit();
  const service = createAppSyncService(ctx, {
    path: '/graphql',
    schema: loadSchemaFromAssembly(ASSEMBLY_DIR),
    resolvers: {
      'Mutation.publishOrderUpdate': {
        kind: 'js',
        file: repoFile('amplify/data/resolvers/publish-order-update.js'),
      },
      'Subscription.onOrderUpdate': {
        kind: 'js',
        file: repoFile('amplify/data/resolvers/on-order-update.js'),
        dataSource: 'OrdersTableDataSource',
      },
    },
    dataSources: {
      OrdersTableDataSource: { type: 'AMAZON_DYNAMODB', tableName: ORDERS_TABLE, client: ddb },
    },
    auth: {
      defaultMode: 'userPool',
      userPool: { verify: (token) => tokens.verify(token) },
      iam: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
    },
    realtime: { keepAliveMs: KEEP_ALIVE_MS },
  });

  server.on('request', (raw: IncomingMessage, res) => {
    void readBody(raw).then(async (body) => {
      const req: LocalRequest = {
        method: raw.method ?? 'GET',
        url: raw.url ?? '/',
        headers: raw.headers,
        body,
        raw,
      };
      if (!service.accepts(req)) {
        res.writeHead(404).end();
        return;
      }
      try {
        await service.handle(req, res);
      } catch (error) {
        logs.push(String(error));
        if (!res.headersSent) res.writeHead(500);
        res.end();
      }
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (!service.upgrade?.(req, socket, head)) socket.destroy();
  });

  return {
    graphqlUrl: `${baseUrl}/graphql`,
    service,
    tokens,
    logs,
    ddb,
    async putOrder(orderId, ownerSub) {
      await ddb.send(
        new PutItemCommand({
          TableName: ORDERS_TABLE,
          Item: { orderId: { S: orderId }, ownerSub: { S: ownerSub }, status: { S: 'PENDING' } },
        }),
      );
    },
    async close() {
      await service.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      ddb.destroy();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
      db.close();
    },
  };
}

/** Polls a condition (the service's subscription count, a message list) for up to `ms`. */
export async function waitFor(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
