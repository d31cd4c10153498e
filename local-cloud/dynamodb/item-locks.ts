import type { ReleaseFn, Store } from './dynalite';

export interface LockTarget {
  tableName: string;
  /** dynalite's item key string (`db.createKey`), the key its own actions lock on. */
  key: string;
}

/**
 * Takes dynalite's per-item locks (the ones its PutItem/UpdateItem/DeleteItem/BatchWriteItem
 * hold while they read-check-write), so single-item writes wait for a transaction holding the
 * item and vice versa. Locks are taken one at a time in one global order (table, then key):
 * two transactions can then never wait on each other in a cycle, and dynalite's own writers
 * hold a single key at a time. (The `lock` package's array form queues on all keys at once
 * and could deadlock two overlapping transactions.)
 *
 * Deviation from AWS: a conflicting transaction waits here instead of being cancelled with
 * `TransactionConflict`; callers see the serial outcome (e.g. ConditionalCheckFailed).
 */
export async function lockItems(store: Store, targets: LockTarget[]): Promise<() => void> {
  const ordered = [...targets].sort((a, b) =>
    a.tableName === b.tableName ? compare(a.key, b.key) : compare(a.tableName, b.tableName),
  );
  const releases: ReleaseFn[] = [];
  for (const target of ordered) {
    const db = store.getItemDb(target.tableName);
    releases.push(await new Promise<ReleaseFn>((resolve) => db.lock(target.key, resolve)));
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const release of releases.reverse()) release()();
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
