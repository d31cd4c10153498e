/**
 * Parallel: https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
 * Branches run in the execution (not checkpoints of their own): after a crash the whole state
 * runs again. The first failing branch aborts the others.
 */
import { resolveTemplate } from '../../language/data-flow';
import { ABORTED } from '../abort-scope';
import { contextObject, effectiveInput, type Outcome, type StateFrame } from '../frame';
import * as history from '../history';
import { withRetryAndCatch } from '../retry-catch';

export const runParallelState = (frame: StateFrame): Promise<Outcome> =>
  withRetryAndCatch(frame, runBranches);

async function runBranches(frame: StateFrame): Promise<unknown[]> {
  const { run, scope, state } = frame;
  const effective = effectiveInput(frame);
  const branchInput =
    state.Parameters !== undefined
      ? resolveTemplate(state.Parameters, effective, contextObject(frame))
      : effective;
  run.emit(scope, history.parallelStateStarted());
  const children = scope.abort.child();
  try {
    const results = await Promise.all(
      (state.Branches ?? []).map((branch) =>
        run.runStates(branch, branchInput, { abort: children, root: false }),
      ),
    );
    run.emit(scope, history.parallelStateSucceeded());
    return results;
  } catch (error) {
    children.abort();
    if (error === ABORTED || scope.abort.aborted) throw ABORTED;
    run.emit(scope, history.parallelStateFailed());
    throw error;
  }
}
