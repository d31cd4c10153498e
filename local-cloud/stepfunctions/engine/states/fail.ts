/** Fail: https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html */
import { runtimeError, StatesError } from '../../language/errors';
import { evaluateIntrinsic, isIntrinsic } from '../../language/intrinsics';
import { readReferencePath } from '../../language/json-path';
import { contextObject, type StateFrame } from '../frame';

/**
 * Error/Cause, or ErrorPath/CausePath read from the state's raw input (Fail has no InputPath).
 * The guide allows a reference path or one of the intrinsics (States.Format, JsonToString,
 * ArrayGetItem, Base64Encode/Decode, Hash, UUID) there, and the value must be a string.
 */
export function runFail(frame: StateFrame): never {
  const { state, input } = frame;
  const read = (field: 'ErrorPath' | 'CausePath', path: string): string => {
    const ctx = contextObject(frame);
    const value = isIntrinsic(path)
      ? evaluateIntrinsic(path, input, ctx)
      : readReferencePath(path, input, ctx);
    if (typeof value !== 'string') {
      throw runtimeError(
        `The value of ${field} '${path}' must be a string, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
  const error = state.Error ?? (state.ErrorPath ? read('ErrorPath', state.ErrorPath) : '');
  const cause = state.Cause ?? (state.CausePath ? read('CausePath', state.CausePath) : '');
  throw new StatesError(error, cause);
}
