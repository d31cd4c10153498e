import { createHash } from 'node:crypto';
import type { Clock } from '../core/service';
import { dryRunWrite } from './dry-run';
import {
  dynaliteAction,
  dynaliteDb,
  getItem,
  getTable,
  type BatchOperation,
  type DynaliteOperation,
  type Item,
  type Store,
  type TableDescription,
} from './dynalite';
import { dynamoError, errorMessage, errorType, validationException } from './errors';
import { lockItems, type LockTarget } from './item-locks';
import { runValidated, validateRequest } from './operations';

/**
 * TransactWriteItems / TransactGetItems, which dynalite 4.0.0 lacks.
 *
 * Isolation: every item of a transaction is locked with dynalite's own item locks (see
 * item-locks.ts), so the single-item writes dynalite performs wait for the transaction.
 * Atomicity: each member is first dry-run through dynalite's own action (dry-run.ts), which
 * evaluates its condition and computes the new item and index entries; only when every member
 * passed are all their writes, plus the client-token record, applied as ONE LevelDB batch.
 * LevelDB applies a batch atomically through its write-ahead log, so a process kill leaves
 * either the whole transaction or none of it (an OS crash may lose the last batches, as level
 * does not fsync each write; acceptable for a local stand-in).
 *
 * Plain PutItem/UpdateItem/DeleteItem stay dynalite's: they write the item and its index
 * entries as separate LevelDB writes, so a kill mid-write can leave a GSI entry stale
 * (dynalite's own crash window, unchanged here).
 */
const MAX_TRANSACT_ITEMS = 100;
/** AWS honours a ClientRequestToken for 10 minutes. */
export const CLIENT_TOKEN_TTL_MS = 10 * 60_000;
export const CLIENT_TOKEN_PREFIX = 'local-txtoken~';

type WriteKind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
const WRITE_KINDS: WriteKind[] = ['Put', 'Update', 'Delete', 'ConditionCheck'];
/** ConditionCheck has DeleteItem's request shape; it is only ever evaluated, never run. */
const OPERATION_OF: Record<WriteKind, DynaliteOperation> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'DeleteItem',
};

interface PreparedMember extends LockTarget {
  kind: WriteKind;
  data: Record<string, unknown>;
  table: TableDescription;
  returnOldOnFailure: boolean;
}

interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: Item;
}

interface TokenRecord {
  fingerprint: string;
  at: number;
}

type Input = Record<string, unknown>;
const isObject = (value: unknown): value is Input =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class Transactions {
  private readonly tokensInFlight = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async transactWriteItems(input: Input): Promise<Input> {
    const members = transactItems(input);
    const token = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : '';
    const fingerprint = createHash('sha256').update(JSON.stringify(members)).digest('hex');
    if (token) {
      // Marked before the first await, so a concurrent duplicate cannot slip past the check.
      if (this.tokensInFlight.has(token)) {
        throw dynamoError(
          'TransactionInProgressException',
          'Transaction with the same client token is in progress',
        );
      }
      this.tokensInFlight.add(token);
    }
    try {
      if (token && (await this.alreadyCommitted(token, fingerprint))) return {};
      const prepared = await this.prepareWrites(members);
      const release = await lockItems(this.store, prepared);
      try {
        const reasons: CancellationReason[] = [];
        const writes: BatchOperation[] = [];
        for (const member of prepared) {
          const existing = await getItem(this.store.getItemDb(member.tableName), member.key);
          reasons.push(await this.evaluate(member, existing, writes));
        }
        if (reasons.some((r) => r.Code !== 'None')) throw transactionCanceled(reasons);
        if (token) {
          const record: TokenRecord = { fingerprint, at: this.clock.now() };
          writes.push({ type: 'put', key: CLIENT_TOKEN_PREFIX + token, value: record });
        }
        await this.store.db.batch(writes);
        return {};
      } finally {
        release();
      }
    } finally {
      if (token) this.tokensInFlight.delete(token);
    }
  }

  async transactGetItems(input: Input): Promise<Input> {
    const members = input.TransactItems;
    if (!Array.isArray(members) || members.length === 0 || members.length > MAX_TRANSACT_ITEMS) {
      throw validationException(
        `Member must have length between 1 and ${MAX_TRANSACT_ITEMS}: transactItems`,
      );
    }
    const prepared: (LockTarget & { data: Input })[] = [];
    for (const member of members) {
      const get = isObject(member) ? member.Get : undefined;
      if (!isObject(get)) throw validationException('Every TransactGetItem must contain a Get');
      const data = validateRequest('GetItem', get, this.store);
      const table = await getTable(this.store, String(data.TableName));
      const invalid = dynaliteDb.validateKey(data.Key as Item, table);
      if (invalid) throw invalid;
      prepared.push({
        tableName: table.TableName,
        key: dynaliteDb.createKey(data.Key as Item, table),
        data,
      });
    }
    // Holding the locks makes the read one consistent snapshot with respect to transactions.
    const release = await lockItems(this.store, prepared);
    try {
      const responses: Input[] = [];
      for (const member of prepared) {
        const out = await runValidated('GetItem', member.data, this.store);
        responses.push(out.Item ? { Item: out.Item } : {});
      }
      return { Responses: responses };
    } finally {
      release();
    }
  }

  /** Drops client-token records older than AWS's 10-minute idempotency window. */
  async forgetExpiredTokens(): Promise<number> {
    const cutoff = this.clock.now() - CLIENT_TOKEN_TTL_MS;
    const stale: BatchOperation[] = [];
    for await (const [key, value] of this.store.db.iterator({
      gte: CLIENT_TOKEN_PREFIX,
      lt: `${CLIENT_TOKEN_PREFIX}\xff`,
    })) {
      if ((value as TokenRecord).at <= cutoff) stale.push({ type: 'del', key });
    }
    if (stale.length) await this.store.db.batch(stale);
    return stale.length;
  }

  private async alreadyCommitted(token: string, fingerprint: string): Promise<boolean> {
    let record: TokenRecord | undefined;
    try {
      record = (await this.store.db.get(CLIENT_TOKEN_PREFIX + token)) as TokenRecord | undefined;
    } catch (error) {
      if ((error as Error).name !== 'NotFoundError') throw error;
    }
    if (!record || record.at <= this.clock.now() - CLIENT_TOKEN_TTL_MS) return false;
    if (record.fingerprint !== fingerprint) {
      throw dynamoError(
        'IdempotentParameterMismatchException',
        'The request uses the same client token as a previous, but non-identical request.',
      );
    }
    // Deviation: AWS answers a replay with the first call's response; ours is always `{}`
    // (the same, unless ReturnConsumedCapacity/ReturnItemCollectionMetrics were asked for).
    return true;
  }

  /** Request-level checks: anything invalid here is a ValidationException, not a cancellation. */
  private async prepareWrites(members: Input[]): Promise<PreparedMember[]> {
    const prepared: PreparedMember[] = [];
    const seen = new Set<string>();
    for (const member of members) {
      const kinds = WRITE_KINDS.filter((kind) => isObject(member[kind]));
      const kind = kinds[0];
      if (kinds.length !== 1 || !kind) {
        throw validationException(
          'TransactItems can only contain one of Check, Put, Update or Delete',
        );
      }
      const request = member[kind] as Input;
      if (kind === 'ConditionCheck' && typeof request.ConditionExpression !== 'string') {
        throw validationException('ConditionCheck requires a ConditionExpression');
      }
      const data = validateRequest(OPERATION_OF[kind], request, this.store);
      const table = await getTable(this.store, String(data.TableName));
      const keySource = (kind === 'Put' ? data.Item : data.Key) as Item;
      const invalid =
        kind === 'Put'
          ? dynaliteDb.validateItem(keySource, table)
          : dynaliteDb.validateKey(keySource, table);
      if (invalid) throw invalid;
      const key = dynaliteDb.createKey(keySource, table);
      const identity = `${table.TableName}\u0000${key}`;
      if (seen.has(identity)) {
        throw validationException(
          'Transaction request cannot include multiple operations on one item',
        );
      }
      seen.add(identity);
      prepared.push({
        kind,
        data,
        table,
        tableName: table.TableName,
        key,
        returnOldOnFailure: request.ReturnValuesOnConditionCheckFailure === 'ALL_OLD',
      });
    }
    return prepared;
  }

  private async evaluate(
    member: PreparedMember,
    existing: Item | undefined,
    writes: BatchOperation[],
  ): Promise<CancellationReason> {
    let failure: unknown;
    if (member.kind === 'ConditionCheck') {
      failure = dynaliteDb.checkConditional(member.data, existing) ?? undefined;
    } else {
      try {
        const action = dynaliteAction(OPERATION_OF[member.kind]);
        const result = await dryRunWrite(action, member.data, this.store, member.table, existing);
        writes.push(...result.writes);
      } catch (error) {
        failure = error;
      }
    }
    if (failure === undefined) return { Code: 'None' };
    const type = errorType(failure);
    if (type === 'ConditionalCheckFailedException') {
      return {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        ...(member.returnOldOnFailure && existing ? { Item: existing } : {}),
      };
    }
    if (type === 'ValidationException') {
      return { Code: 'ValidationError', Message: errorMessage(failure) };
    }
    throw failure;
  }
}

function transactItems(input: Input): Input[] {
  const members = input.TransactItems;
  if (!Array.isArray(members) || members.length === 0 || members.length > MAX_TRANSACT_ITEMS) {
    throw validationException(
      `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: ` +
        `Member must have length less than or equal to ${MAX_TRANSACT_ITEMS} and at least 1`,
    );
  }
  if (!members.every(isObject)) throw validationException('TransactItems must be objects');
  return members;
}

/** AWS's shape: `Message` (capitalised) and one reason per member, `{ Code: 'None' }` if fine. */
function transactionCanceled(reasons: CancellationReason[]) {
  const message =
    'Transaction cancelled, please refer cancellation reasons for specific reasons ' +
    `[${reasons.map((r) => r.Code).join(', ')}]`;
  const error = dynamoError('TransactionCanceledException', message, {
    CancellationReasons: reasons,
  });
  const body = error.body as Record<string, unknown>;
  body.Message = message;
  delete body.message;
  return error;
}
