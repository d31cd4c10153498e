/**
 * The state loop: enter a state (a checkpoint at top level), run it, exit it, follow Next.
 * Payload sizes are checked on the JSON text the Entered/Exited events carry anyway, so the
 * 256 KiB quota costs no extra serialization.
 */
import type { State, StateMachineDefinition } from '../language/asl';
import { runtimeError } from '../language/errors';
import type { ResumePoint } from '../store';
import { createFrame, type Outcome, type RunContext, type Scope, type StateFrame } from './frame';
import * as history from './history';
import { checkPayloadSize } from './limits';
import { runChoice } from './states/choice';
import { runFail } from './states/fail';
import { runMapState } from './states/map';
import { runParallelState } from './states/parallel';
import { runPass } from './states/pass';
import { runSucceed } from './states/succeed';
import { runTaskState } from './states/task';
import { runWait } from './states/wait';

/**
 * Where a run starts instead of StartAt: a top-level state to continue after a restart (already
 * entered, with its resume point), or one to enter afresh (a redrive's unsuccessful state).
 */
export type ResumeAt =
  { name: string; enteredAt: number; point: ResumePoint } | { name: string; enter: true };

const HANDLERS: Record<State['Type'], (frame: StateFrame) => Outcome | Promise<Outcome>> = {
  Pass: runPass,
  Choice: runChoice,
  Succeed: runSucceed,
  Fail: runFail,
  Wait: runWait,
  Task: runTaskState,
  Parallel: runParallelState,
  Map: runMapState,
};

/** Runs `definition` from StartAt (or `resume`) to a state without Next; returns its output. */
export async function runStates(
  run: RunContext,
  definition: StateMachineDefinition,
  input: unknown,
  scope: Scope,
  resume?: ResumeAt,
): Promise<unknown> {
  let name = resume?.name ?? definition.StartAt;
  let current = input;
  let resumed = resume;
  for (;;) {
    const state = definition.States[name];
    if (!state) throw runtimeError(`State '${name}' does not exist`);
    const frame =
      resumed && !('enter' in resumed)
        ? createFrame(run, scope, name, state, current, resumed.enteredAt, resumed.point)
        : enterState(run, scope, name, state, current);
    resumed = undefined;
    const outcome = await HANDLERS[state.Type](frame);
    exitState(frame, outcome.output);
    const pause = run.pace();
    if (pause) await pause;
    if (outcome.next === undefined) return outcome.output;
    name = outcome.next;
    current = outcome.output;
  }
}

function enterState(
  run: RunContext,
  scope: Scope,
  name: string,
  state: State,
  input: unknown,
): StateFrame {
  const now = run.host.clock.now();
  const text = JSON.stringify(input) ?? 'null';
  checkPayloadSize(text, `The input of state '${name}'`);
  run.emit(scope, history.stateEntered(state.Type, name, text));
  if (scope.root) run.host.store.checkpoint(run.arn, name, text, now);
  return createFrame(run, scope, name, state, input, now);
}

function exitState(frame: StateFrame, output: unknown): void {
  const text = JSON.stringify(output) ?? 'null';
  checkPayloadSize(text, `The output of state '${frame.name}'`);
  frame.run.emit(frame.scope, history.stateExited(frame.state.Type, frame.name, text));
}
