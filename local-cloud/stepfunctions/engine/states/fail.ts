/** Fail: https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html */
import { StatesError } from '../../language/errors';
import { readReferencePath } from '../../language/json-path';
import { contextObject, type StateFrame } from '../frame';

/** Error/Cause, or ErrorPath/CausePath read from the state's raw input (Fail has no InputPath). */
export function runFail(frame: StateFrame): never {
  const { state, input } = frame;
  const read = (path: string) => String(readReferencePath(path, input, contextObject(frame)));
  const error = state.Error ?? (state.ErrorPath ? read(state.ErrorPath) : 'States.Fail');
  const cause = state.Cause ?? (state.CausePath ? read(state.CausePath) : '');
  throw new StatesError(error, cause);
}
