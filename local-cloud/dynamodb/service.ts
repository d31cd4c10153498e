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
import { awsJsonService } from '../core/protocols/aws-json';
import { AwsError } from '../core/protocols/errors';
import { header, looksLikeSigV4 } from '../core/protocols/http';
import type { OperationTable } from '../core/protocols/operations';
import type { LocalService, ServiceContext } from '../core/service';
import { errorType, isDynaliteError } from './errors';
import { DYNALITE_OPERATIONS, dynaliteDb, type Item, type Store } from './dynalite';
import { runDynaliteOperation } from './operations';
import { Transactions } from './transactions';
import { startPeriodic, TimeToLive, TTL_SWEEP_INTERVAL_MS } from './ttl';

/** DynamoDB's JSON 1.0 error namespace; the SDK reads the name after `#`. */
const NAMESPACE = 'com.amazonaws.dynamodb.v20120810';

export interface DynamoDbServiceOptions {
  /** LevelDB directory; omitted = in memory. */
  path?: string;
  /** How often (service clock, so scaled by LOCAL_CLOUD_TIME_SCALE) expired items are swept. */
  sweepIntervalMs?: number;
}

export interface DynamoDbService extends LocalService {
  readonly name: 'dynamodb';
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
    ...Object.fromEntries(
      DYNALITE_OPERATIONS.map((name) => [
        name,
        (input) => runDynaliteOperation(name, input, store),
      ]),
    ),
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
  // dynalite's errors (and ours, written in its shape) already carry AWS's body.
  const table: OperationTable = Object.fromEntries(
    Object.entries(operations).map(([name, run]) => [
      name,
      (input: Record<string, unknown>) => run(input).catch(rethrowAsAwsError),
    ]),
  );

  const where = options.path ? `LevelDB at ${options.path}` : 'in memory';
  return {
    name: 'dynamodb',
    ...awsJsonService({
      name: 'dynamodb',
      version: '1.0',
      targetPrefix: 'DynamoDB_20120810',
      namespace: NAMESPACE,
      // DynamoDB answers a missing signature with 400 (not 403 like most JSON services).
      authorize(req) {
        if (!looksLikeSigV4(header(req, 'authorization'))) {
          throw new AwsError(
            'MissingAuthenticationTokenException',
            'Request is missing Authentication Token',
          );
        }
      },
      operations: table,
      log: ctx.log,
    }),
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

function rethrowAsAwsError(error: unknown): never {
  if (!isDynaliteError(error)) throw error;
  const { __type, message, Message, ...members } = error.body;
  const [namespace, type] = __type.includes('#') ? __type.split('#') : [NAMESPACE, __type];
  throw new AwsError(type!, String(message ?? Message ?? ''), error.statusCode, {
    namespace,
    members,
  });
}

/** `<dataDir>/dynamodb/`, or memory for a `:memory:` local cloud. */
export function levelDbPath(ctx: Pick<ServiceContext, 'dataDir'>): string | undefined {
  return ctx.dataDir === ':memory:' ? undefined : path.join(ctx.dataDir, 'dynamodb');
}
