/** Choice: https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html */
import { evaluateRule } from '../../language/choice';
import { applyOutputPath } from '../../language/data-flow';
import { StatesError } from '../../language/errors';
import { contextObject, effectiveInput, type Outcome, type StateFrame } from '../frame';

export function runChoice(frame: StateFrame): Outcome {
  const { state, name } = frame;
  const effective = effectiveInput(frame);
  const ctx = contextObject(frame);
  const rule = (state.Choices ?? []).find((r) => evaluateRule(r, effective, ctx));
  const next = rule?.Next ?? state.Default;
  if (!next) {
    throw new StatesError(
      'States.NoChoiceMatched',
      `No Choice rule matched and there is no Default in state '${name}'`,
    );
  }
  return { output: applyOutputPath(state.OutputPath, effective, ctx), next };
}
