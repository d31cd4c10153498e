import { createRequire } from 'node:module';
import { cacheExpressionParses, type ExpressionParser } from './expression-cache';

/**
 * Typed view of the dynalite 4.0.0 internals this stand-in builds on. dynalite ships no types
 * and no public API beyond its HTTP server, so the shapes below are what its `db/`,
 * `validations/` and `actions/` modules do at that version (pinned in package.json). Using the
 * modules directly, instead of proxying to a dynalite server, gives us its store: the same item
 * locks its PutItem/UpdateItem/DeleteItem take, and its expression evaluator for transactions.
 */
const require = createRequire(import.meta.url);

/** A DynamoDB attribute value on the wire (`{ S: 'x' }`, `{ N: '1' }`, ...). */
export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

/** dynalite's errors carry the HTTP status and the AWS JSON body to send. */
export interface DynaliteError extends Error {
  statusCode?: number;
  body?: { __type: string; message?: string; Message?: string };
}

export type Callback<T = unknown> = (error?: DynaliteError | null, value?: T) => void;
/** `lock` 1.1: `exec` runs with a releaser; `release(done)` gives a function that frees the key. */
export type ReleaseFn = (done?: (...args: unknown[]) => void) => (...args: unknown[]) => void;
export type LockFn = (key: string, exec: (release: ReleaseFn) => void) => void;

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface TableDescription {
  TableName: string;
  TableStatus: string;
  KeySchema: KeySchemaElement[];
  ItemCount?: number;
}

export interface SubDb {
  get(key: string, cb: Callback<Item>): void;
  put(key: string, value: unknown, cb: Callback): void;
  del(key: string, cb: Callback): void;
  createValueStream(options?: Record<string, unknown>): NodeJS.ReadableStream;
  createKeyStream(options?: Record<string, unknown>): NodeJS.ReadableStream;
  lock: LockFn;
}

export interface BatchOperation {
  type: 'put' | 'del';
  key: string;
  value?: unknown;
}

/** The `level` instance behind the store (JSON value encoding), promise form. */
export interface LevelDb {
  open(): Promise<void>;
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  batch(operations: BatchOperation[]): Promise<void>;
  iterator(options: { gte?: string; lt?: string }): AsyncIterable<[string, unknown]>;
}

export interface Store {
  options: { maxItemSize: number; path?: string };
  db: LevelDb;
  tableDb: SubDb & { awsAccountId: string; awsRegion: string };
  getItemDb(tableName: string): SubDb;
  getIndexDb(indexType: string, tableName: string, indexName: string): SubDb;
  /** dynalite's actions call it as `(name, cb)`, which also checks the table is ACTIVE. */
  getTable(
    name: string,
    checkStatus: boolean | Callback<TableDescription>,
    cb?: Callback<TableDescription>,
  ): void;
  lifecycleManager: {
    getState(): string;
    gracefulClose(cb: (error?: Error | null) => void): void;
  };
}

export interface StoreOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

export type Action = (
  store: Store,
  data: Record<string, unknown>,
  cb: Callback<Record<string, unknown>>,
) => void;

interface ActionValidation {
  types: Record<string, unknown>;
  custom?: (data: Record<string, unknown>, store: Store) => string | undefined;
}

interface DbModule {
  create(options: StoreOptions): Store;
  createKey(item: Item, table: TableDescription): string;
  validateKey(key: Item, table: TableDescription): DynaliteError | null | undefined;
  validateItem(item: Item, table: TableDescription): DynaliteError | null | undefined;
  checkConditional(
    data: Record<string, unknown>,
    existing: Item | undefined,
  ): DynaliteError | null | undefined;
  validationError(message: string): DynaliteError;
}

interface ValidationsModule {
  checkTypes(
    data: Record<string, unknown>,
    types: Record<string, unknown>,
  ): Record<string, unknown>;
  checkValidations(
    data: Record<string, unknown>,
    types: Record<string, unknown>,
    custom: ActionValidation['custom'],
    store: Store,
  ): void;
  toLowerFirst(name: string): string;
}

export const dynaliteDb = require('dynalite/db') as DbModule;
export const dynaliteValidations = require('dynalite/validations') as ValidationsModule;

// Before any request is validated: every validation parses through these module objects.
cacheExpressionParses({
  condition: require('dynalite/db/conditionParser') as ExpressionParser,
  update: require('dynalite/db/updateParser') as ExpressionParser,
  projection: require('dynalite/db/projectionParser') as ExpressionParser,
});

/** The operations dynalite implements itself (its `validOperations`, index.js). */
export const DYNALITE_OPERATIONS = [
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
] as const;
export type DynaliteOperation = (typeof DYNALITE_OPERATIONS)[number];

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

export function dynaliteAction(operation: DynaliteOperation): Action {
  return require(`dynalite/actions/${lowerFirst(operation)}`) as Action;
}

export function dynaliteValidation(operation: DynaliteOperation): ActionValidation {
  return require(`dynalite/validations/${lowerFirst(operation)}`) as ActionValidation;
}

/**
 * Key prefixes of dynalite's sub-databases inside the one LevelDB (`getSubDb` in db/index.js:
 * `<name>~`). Transactions write items and index entries in one batch on the main database, so
 * they must address those keys exactly as dynalite's wrappers do.
 */
export const itemKeyPrefix = (tableName: string) => `item-${tableName}~`;
export const indexKeyPrefix = (indexType: string, tableName: string, indexName: string) =>
  `index-${indexType.toLowerCase()}~${tableName}~${indexName}~`;

/** `level` callbacks, as dynalite wraps them, as promises. */
export function call<T>(fn: (cb: Callback<T>) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    fn((error, value) => (error ? reject(error) : resolve(value)));
  });
}

export async function getTable(store: Store, name: string): Promise<TableDescription> {
  const table = await call<TableDescription>((cb) => store.getTable(name, true, cb));
  if (!table) throw new Error(`dynalite returned no table for ${name}`);
  return table;
}

/** `get` that answers undefined for a missing item (level 10 does; older levels threw). */
export async function getItem(db: SubDb, key: string): Promise<Item | undefined> {
  try {
    return await call<Item>((cb) => db.get(key, cb));
  } catch (error) {
    if ((error as Error).name === 'NotFoundError') return undefined;
    throw error;
  }
}
