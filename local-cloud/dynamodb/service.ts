/**
 * DynamoDB stand-in: dynalite 4.0.0 (a DynamoDB API on LevelDB) behind the gateway, plus what
 * it lacks and the app needs: TransactWriteItems/TransactGetItems, UpdateTimeToLive/
 * DescribeTimeToLive and TTL expiry.
 *
 * Why dynalite's modules in-process rather than a dynalite server we proxy to: a transaction
 * must hold the very item locks dynalite's PutItem/UpdateItem/DeleteItem take, and must write
 * through the same store. Both live only inside dynalite's store object, which its server does
 * not expose. So this module replays dynalite's small request pipeline (type checks, validation
 * with its expression parsers, then its action; see operations.ts) and adds its own operations
 * next to it. No second port, no extra hop, one LevelDB.
 *
 * Storage: in memory for `:memory:` local clouds, otherwise LevelDB under `<dataDir>/dynamodb/`
 * (data, TTL settings and transaction client tokens all in that one database), so data
 * survives restarts and `--reset` (deleting the data directory) clears it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import {
  looksLikeSigV4,
  parseJsonBody,
  sendJson,
  targetOperation,
  AwsError,
} from '../core/aws-json';
import type { LocalRequest, LocalService, ServiceContext } from '../core/service';
import type { ServiceFactory } from '../core/start';
import { dynaliteDb, type Item, type Store } from './dynalite';
import { dynamoError, errorType, isDynaliteError } from './errors';
import { isDynaliteOperation, runDynaliteOperation } from './operations';
import { Transactions } from './transactions';
import { startPeriodic, TimeToLive, TTL_SWEEP_INTERVAL_MS } from './ttl';

const TARGET_PREFIX = 'DynamoDB_20120810';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

export interface DynamoDbServiceOptions {
  /** LevelDB directory; omitted = in memory. */
  path?: string;
  /** How often (service clock, so scaled by LOCAL_CLOUD_TIME_SCALE) expired items are swept. */
  sweepIntervalMs?: number;
}

export interface DynamoDbService extends LocalService {
  /** One TTL + client-token sweep now (tests, and anyone who cannot wait for the timer). */
  sweepNow(): Promise<number>;
}

export async function createDynamoDbService(
  ctx: ServiceContext,
  options: DynamoDbServiceOptions = {},
): Promise<DynamoDbService> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  const store = dynaliteDb.create({
    path: options.path,
    // Deviation: tables are ACTIVE right away (dynalite's default is 500 ms, AWS seconds).
    // Callers should still wait for ACTIVE (waitUntilTableExists), which passes at once.
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  store.tableDb.awsRegion = ctx.region;
  store.tableDb.awsAccountId = ctx.accountId;
  try {
    await store.db.open();
  } catch (error) {
    throw new Error(
      `DynamoDB stand-in could not open LevelDB at ${options.path ?? '(memory)'}: ` +
        `${String((error as Error).cause ?? (error as Error).message)}. ` +
        'Is another local cloud using the same data directory?',
      { cause: error },
    );
  }

  const transactions = new Transactions(store, ctx.clock);
  const ttl = new TimeToLive(store, ctx.clock);
  const sweepNow = async () => {
    const deleted = await ttl.sweep((tableName, key, attributeName, value) =>
      deleteIfStillExpired(store, tableName, key, attributeName, value),
    );
    await transactions.forgetExpiredTokens();
    return deleted;
  };
  const sweeper = startPeriodic(
    ctx.clock,
    options.sweepIntervalMs ?? TTL_SWEEP_INTERVAL_MS,
    async () => void (await sweepNow()),
    ctx.log,
  );

  const operations: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    TransactWriteItems: (input) => transactions.transactWriteItems(input),
    TransactGetItems: (input) => transactions.transactGetItems(input),
    UpdateTimeToLive: (input) => ttl.update(input),
    DescribeTimeToLive: (input) => ttl.describe(input),
    async CreateTable(input) {
      const out = await runDynaliteOperation('CreateTable', input, store);
      await ttl.forget(String(input.TableName));
      return out;
    },
    async DeleteTable(input) {
      const out = await runDynaliteOperation('DeleteTable', input, store);
      await ttl.forget(String(input.TableName));
      return out;
    },
  };

  const where = options.path ? `LevelDB at ${options.path}` : 'in memory';
  return {
    name: 'dynamodb',
    accepts: (req) => targetOperation(req, TARGET_PREFIX) !== undefined,
    async handle(req: LocalRequest, res: ServerResponse) {
      const operation = targetOperation(req, TARGET_PREFIX) ?? '';
      try {
        // DynamoDB answers a missing signature with 400 (not 403 like most JSON services).
        if (!looksLikeSigV4(req.headers.authorization)) {
          throw dynamoError(
            'MissingAuthenticationTokenException',
            'Request is missing Authentication Token',
          );
        }
        const input = parseJsonBody(req.body);
        const custom = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
        let output: unknown;
        if (custom) output = await custom(input);
        else if (isDynaliteOperation(operation)) {
          output = await runDynaliteOperation(operation, input, store);
        } else {
          // e.g. ExecuteStatement (PartiQL), streams, backups: not offered by dynalite or us.
          throw dynamoError('UnknownOperationException', `Unsupported operation ${operation}`);
        }
        sendJson(res, 200, output ?? {}, CONTENT_TYPE);
      } catch (error) {
        if (isDynaliteError(error)) {
          sendJson(res, error.statusCode, error.body, CONTENT_TYPE);
        } else if (error instanceof AwsError) {
          const body = { __type: `com.amazon.coral.service#${error.type}`, message: error.message };
          sendJson(res, error.statusCode, body, CONTENT_TYPE);
        } else {
          ctx.log.error('dynamodb request failed', { operation, error: String(error) });
          const body = {
            __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
            message: String(error),
          };
          sendJson(res, 500, body, CONTENT_TYPE);
        }
      }
    },
    health() {
      const state = store.lifecycleManager.getState();
      const sweepError = sweeper.lastError();
      if (state === 'closed' || state === 'closing') return { ok: false, detail: `store ${state}` };
      return {
        ok: sweepError === undefined,
        detail: sweepError ? `TTL sweep failing: ${sweepError}` : `dynalite ${where}`,
      };
    },
    sweepNow,
    async close() {
      await sweeper.stop();
      await new Promise<void>((resolve, reject) =>
        store.lifecycleManager.gracefulClose((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** TTL delete, conditional on the value the sweep saw, so an item whose TTL was just extended stays. */
async function deleteIfStillExpired(
  store: Store,
  tableName: string,
  key: Item,
  attributeName: string,
  value: Item[string],
): Promise<void> {
  try {
    await runDynaliteOperation(
      'DeleteItem',
      {
        TableName: tableName,
        Key: key,
        ConditionExpression: '#ttl = :ttl',
        ExpressionAttributeNames: { '#ttl': attributeName },
        ExpressionAttributeValues: { ':ttl': value },
      },
      store,
    );
  } catch (error) {
    if (errorType(error) !== 'ConditionalCheckFailedException') throw error;
  }
}

/**
 * The factory the local cloud registers. The LevelDB goes to `<dataDir>/dynamodb/`; the data
 * directory is read off the shared SQLite database's file name until ServiceContext carries it.
 */
export function dynamoDbService(options: DynamoDbServiceOptions = {}): ServiceFactory {
  return (ctx) =>
    createDynamoDbService(ctx, { ...options, path: options.path ?? levelDbPath(ctx) });
}

export function levelDbPath(ctx: ServiceContext): string | undefined {
  const explicit = (ctx as ServiceContext & { dataDir?: string }).dataDir;
  if (explicit !== undefined)
    return explicit === ':memory:' ? undefined : path.join(explicit, 'dynamodb');
  const file = ctx.db.name;
  if (!file || file === ':memory:' || ctx.db.memory) return undefined;
  return path.join(path.dirname(file), 'dynamodb');
}
