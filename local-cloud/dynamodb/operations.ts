import {
  call,
  DYNALITE_OPERATIONS,
  dynaliteAction,
  dynaliteDb,
  dynaliteValidation,
  dynaliteValidations,
  type Callback,
  type DynaliteError,
  type DynaliteOperation,
  type Item,
  type Store,
  type SubDb,
} from './dynalite';
import { errorType } from './errors';

export const isDynaliteOperation = (name: string): name is DynaliteOperation =>
  (DYNALITE_OPERATIONS as readonly string[]).includes(name);

/**
 * dynalite's request pipeline minus HTTP (its index.js `httpHandler`): type coercion, the
 * per-operation validation (which also parses Condition/Update/Projection expressions into
 * `_condition`, `_updates`, ...), and nothing else. Throws dynalite-shaped errors.
 */
export function validateRequest(
  operation: DynaliteOperation,
  input: Record<string, unknown>,
  store: Store,
): Record<string, unknown> {
  const validation = dynaliteValidation(operation);
  // checkTypes deletes unknown members from its argument; callers keep their object intact.
  const data = dynaliteValidations.checkTypes({ ...input }, validation.types);
  dynaliteValidations.checkValidations(data, validation.types, validation.custom, store);
  return data;
}

/** Runs a validated request with dynalite's own action against `store`. */
export async function runValidated(
  operation: DynaliteOperation,
  data: Record<string, unknown>,
  store: Store,
): Promise<Record<string, unknown>> {
  const action = dynaliteAction(operation);
  const out = await call<Record<string, unknown>>((cb) => action(store, data, cb));
  return out ?? {};
}

// Async, so validation failures reject like every other failure instead of throwing at the
// caller before it could attach a handler (the service's `.catch` would never see them).
export async function runDynaliteOperation(
  operation: DynaliteOperation,
  input: Record<string, unknown>,
  store: Store,
): Promise<Record<string, unknown>> {
  const data = validateRequest(operation, input, store);
  if (SINGLE_WRITES.has(operation) && returnsItemOnFailure(input)) {
    return runReturningCheckedItem(operation, data, store);
  }
  return runValidated(operation, data, store);
}

const SINGLE_WRITES = new Set<DynaliteOperation>(['PutItem', 'UpdateItem', 'DeleteItem']);

/**
 * `ReturnValuesOnConditionCheckFailure` (AWS added it to single-item writes in 2023; dynalite
 * 4.0.0 predates it and drops the member): ALL_OLD puts the item the failed condition was
 * checked against into the ConditionalCheckFailedException, sparing the caller a read.
 */
function returnsItemOnFailure(input: Record<string, unknown>): boolean {
  const value = input.ReturnValuesOnConditionCheckFailure;
  if (value === undefined || value === null || value === 'NONE') return false;
  if (value === 'ALL_OLD') return true;
  throw dynaliteDb.validationError(
    `1 validation error detected: Value '${String(value)}' at ` +
      `'returnValuesOnConditionCheckFailure' failed to satisfy constraint: ` +
      'Member must satisfy enum value set: [ALL_OLD, NONE]',
  );
}

/**
 * Runs dynalite's own action with the table's item database wrapped so the item it reads
 * under its item lock (the one it checks the condition against) is seen, and attaches that
 * item to a ConditionalCheckFailedException, exactly the item AWS would return.
 */
async function runReturningCheckedItem(
  operation: DynaliteOperation,
  data: Record<string, unknown>,
  store: Store,
): Promise<Record<string, unknown>> {
  let checked: Item | undefined;
  const watched: Store = {
    ...store,
    getItemDb(tableName) {
      const db = store.getItemDb(tableName);
      if (tableName !== data.TableName) return db;
      return Object.assign(Object.create(db) as SubDb, {
        get(key: string, cb: Callback<Item>) {
          db.get(key, (error, item) => {
            checked = item;
            cb(error, item);
          });
        },
      });
    },
  };
  try {
    return await runValidated(operation, data, watched);
  } catch (error) {
    if (checked && errorType(error) === 'ConditionalCheckFailedException') {
      (error as DynaliteError & { body: Record<string, unknown> }).body.Item = checked;
    }
    throw error;
  }
}
