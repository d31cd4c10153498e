/** Pass: https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html */
import { applyOutputPath, applyResultPath, resolveTemplate } from '../../language/data-flow';
import { contextObject, effectiveInput, nextOf, type Outcome, type StateFrame } from '../frame';

export function runPass(frame: StateFrame): Outcome {
  const { state } = frame;
  const effective = effectiveInput(frame);
  const ctx = contextObject(frame);
  // Parameters wins over Result, and either replaces the (effective) input as the result.
  const result =
    state.Parameters !== undefined
      ? resolveTemplate(state.Parameters, effective, ctx)
      : state.Result !== undefined
        ? state.Result
        : effective;
  return {
    output: applyOutputPath(
      state.OutputPath,
      applyResultPath(state.ResultPath, frame.input, result),
      ctx,
    ),
    next: nextOf(state),
  };
}
