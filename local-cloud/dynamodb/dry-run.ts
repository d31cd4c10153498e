import {
  call,
  indexKeyPrefix,
  itemKeyPrefix,
  type Action,
  type BatchOperation,
  type Item,
  type Store,
  type SubDb,
  type TableDescription,
} from './dynalite';

/**
 * Runs one of dynalite's write actions (PutItem/UpdateItem/DeleteItem) against a stand-in store
 * that serves the item we read under lock and records the writes instead of performing them.
 * A transaction thereby gets dynalite's exact condition, update-expression and index semantics
 * for every member before anything is written, and then applies all recorded writes of all
 * members as one LevelDB batch.
 */
export async function dryRunWrite(
  action: Action,
  data: Record<string, unknown>,
  real: Store,
  table: TableDescription,
  existing: Item | undefined,
): Promise<{ writes: BatchOperation[]; output: Record<string, unknown> }> {
  const writes: BatchOperation[] = [];
  const recordingDb = (prefix: string, current?: Item): SubDb => ({
    get: (_key, cb) => setImmediate(cb, null, current),
    put: (key, value, cb) => {
      writes.push({ type: 'put', key: prefix + key, value });
      setImmediate(cb, null);
    },
    del: (key, cb) => {
      writes.push({ type: 'del', key: prefix + key });
      setImmediate(cb, null);
    },
    createKeyStream: () => {
      throw new Error('dry run: streams are not available');
    },
    createValueStream: () => {
      throw new Error('dry run: streams are not available');
    },
    // The caller already holds the real item lock.
    lock: (_key, exec) =>
      exec(
        (done) =>
          (...args) =>
            done?.(...args),
      ),
  });
  const shadow: Store = {
    ...real,
    getTable: (_name, checkStatus, cb) => {
      const callback = typeof checkStatus === 'function' ? checkStatus : cb;
      setImmediate(() => callback?.(null, table));
    },
    getItemDb: (tableName) => recordingDb(itemKeyPrefix(tableName), existing),
    getIndexDb: (type, tableName, indexName) =>
      recordingDb(indexKeyPrefix(type, tableName, indexName)),
  };
  const output = await call<Record<string, unknown>>((cb) => action(shadow, data, cb));
  return { writes, output: output ?? {} };
}
