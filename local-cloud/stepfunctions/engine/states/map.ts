/**
 * Map, inline mode: https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html
 * ItemsPath selects the array, ItemSelector (or the older Parameters) shapes each item, and at
 * most MaxConcurrency iterations run at once, never more than the 40 AWS runs inline. The first
 * failing iteration aborts the others. ToleratedFailureCount/Percentage are Distributed-mode
 * fields, so an inline Map ignores them, as AWS does. Like Parallel, a Map is one checkpoint.
 */
import { resolveTemplate } from '../../language/data-flow';
import { runtimeError } from '../../language/errors';
import { readReferencePath } from '../../language/json-path';
import { ABORTED, type AbortScope } from '../abort-scope';
import { contextObject, effectiveInput, type Outcome, type Scope, type StateFrame } from '../frame';
import * as history from '../history';
import { MAX_INLINE_MAP_CONCURRENCY } from '../limits';
import { withRetryAndCatch } from '../retry-catch';

export const runMapState = (frame: StateFrame): Promise<Outcome> =>
  withRetryAndCatch(frame, runIterations);

/** MaxConcurrency 0 (or absent) means "as many as possible", which inline is 40. */
export function concurrencyLimit(maxConcurrency: number | undefined): number {
  if (!maxConcurrency || maxConcurrency <= 0) return MAX_INLINE_MAP_CONCURRENCY;
  return Math.min(maxConcurrency, MAX_INLINE_MAP_CONCURRENCY);
}

async function runIterations(frame: StateFrame): Promise<unknown[]> {
  const { run, scope, state, name } = frame;
  const effective = effectiveInput(frame);
  const items = readReferencePath(state.ItemsPath ?? '$', effective, contextObject(frame));
  if (!Array.isArray(items)) {
    throw runtimeError(`Map state '${name}': ItemsPath did not select an array`);
  }
  const processor = state.ItemProcessor ?? state.Iterator;
  if (!processor) throw runtimeError(`Map state '${name}' has no ItemProcessor`);
  run.emit(scope, history.mapStateStarted(items.length));
  const children = scope.abort.child();
  const results: unknown[] = new Array(items.length);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < items.length) {
      const index = nextIndex++;
      results[index] = await runIteration(frame, children, index, items[index]);
      const pause = run.pace();
      if (pause) await pause;
    }
  };
  const workers = Math.min(concurrencyLimit(state.MaxConcurrency), Math.max(items.length, 1));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
    run.emit(scope, history.mapStateSucceeded());
    return results;
  } catch (error) {
    children.abort();
    if (error === ABORTED || scope.abort.aborted) throw ABORTED;
    run.emit(scope, history.mapStateFailed());
    throw error;
  }
}

async function runIteration(
  frame: StateFrame,
  abort: AbortScope,
  index: number,
  value: unknown,
): Promise<unknown> {
  const { run, state, name } = frame;
  const itemScope: Scope = { abort, root: false, mapItem: { Index: index, Value: value } };
  const selector = state.ItemSelector ?? state.Parameters;
  // ItemSelector sees the Map's effective input, and the item as $$.Map.Item.
  const itemInput =
    selector !== undefined
      ? resolveTemplate(
          selector,
          effectiveInput(frame),
          contextObject({ ...frame, scope: itemScope }),
        )
      : value;
  run.emit(itemScope, history.mapIterationStarted(name, index));
  let result: unknown;
  try {
    result = await run.runStates(processor(frame), itemInput, { abort, root: false });
  } catch (error) {
    if (error !== ABORTED && !abort.aborted) {
      run.emit(itemScope, history.mapIterationFailed(name, index));
    }
    throw error;
  }
  run.emit(itemScope, history.mapIterationSucceeded(name, index));
  return result;
}

const processor = (frame: StateFrame) => (frame.state.ItemProcessor ?? frame.state.Iterator)!;
