/** Succeed: https://docs.aws.amazon.com/step-functions/latest/dg/state-succeed.html */
import { applyOutputPath } from '../../language/data-flow';
import { contextObject, effectiveInput, type Outcome, type StateFrame } from '../frame';

export function runSucceed(frame: StateFrame): Outcome {
  return {
    output: applyOutputPath(frame.state.OutputPath, effectiveInput(frame), contextObject(frame)),
  };
}
