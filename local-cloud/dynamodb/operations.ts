import {
  call,
  DYNALITE_OPERATIONS,
  dynaliteAction,
  dynaliteValidation,
  dynaliteValidations,
  type DynaliteOperation,
  type Store,
} from './dynalite';

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
  return runValidated(operation, validateRequest(operation, input, store), store);
}
