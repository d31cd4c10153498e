import {
  DUPLICATE_STATE_NAME,
  INVALID_STATE_NAME,
  MISSING_END_STATE,
  MISSING_TRANSITION_TARGET,
  type Pointer,
  error,
} from './diagnostics';
import { type Json, type JsonObject, type Report, isObject } from './checks';

/**
 * Checks of the transition graph. Each States container (the machine, a Parallel branch, a Map's
 * ItemProcessor) is its own scope: a transition can only name a state of the same container.
 * Wording and locations are AWS's, from InvalidDefinition errors quoted in public issues:
 *   MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next
 *   MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2
 *   MISSING_END_STATE: Workflow has no terminal state at null
 *   INVALID_STATE_NAME: Invalid State name: State '...' exceeds the 80-character limit allowed by the service at /States/...
 * AWS writes 'Next' for every kind of transition (StartAt, Default, Catch), so this does too.
 */

/** https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html: names of at most 80 characters. */
export const STATE_NAME_MAX_CHARS = 80;

interface Container {
  at: Pointer;
  startAt: Json | undefined;
  states: JsonObject;
}

interface Transition {
  /** The state the transition leaves from; undefined for the container's StartAt. */
  source?: string;
  target: string;
  at: Pointer;
}

export function checkMachineGraph(report: Report, definition: Json): void {
  if (!isObject(definition)) return;
  const containers = containersOf(definition, []);
  checkStateNames(report, containers);
  for (const container of containers) {
    const transitions = transitionsOf(container);
    for (const { target, at } of transitions) {
      if (!(target in container.states)) {
        report(error(MISSING_TRANSITION_TARGET, `Missing 'Next' target: ${target}`, at));
      }
    }
    // Measured on AWS (published in a public issue): a machine with no terminal state gets
    // MISSING_END_STATE alone, with no unreachable-state diagnostics on top. Branches and
    // processors are walked for reachability regardless.
    const isMachine = container.at.length === 0;
    if (isMachine && !hasTerminalState(container.states)) continue;
    // Our choice: without a StartAt every state would be "unreachable"; the schema error for the
    // missing StartAt already says what is wrong.
    if (typeof container.startAt !== 'string') continue;
    reportUnreachable(report, container, transitions);
  }
  if (isObject(definition.States) && !hasTerminalState(definition.States)) {
    report(error(MISSING_END_STATE, 'Workflow has no terminal state'));
  }
}

function containersOf(container: JsonObject, at: Pointer): Container[] {
  if (!isObject(container.States)) return [];
  const own: Container = { at, startAt: container.StartAt, states: container.States };
  const nested = Object.entries(container.States).flatMap(([name, state]) => {
    if (!isObject(state)) return [];
    const stateAt = [...at, 'States', name];
    const branches = Array.isArray(state.Branches) ? state.Branches : [];
    return [
      ...branches.flatMap((branch, index) =>
        isObject(branch) ? containersOf(branch, [...stateAt, 'Branches', index]) : [],
      ),
      ...(['ItemProcessor', 'Iterator'] as const).flatMap((field) => {
        const processor = state[field];
        return isObject(processor) ? containersOf(processor, [...stateAt, field]) : [];
      }),
    ];
  });
  return [own, ...nested];
}

/** Every transition of a container, StartAt first, each with the location AWS reports it at. */
function transitionsOf(container: Container): Transition[] {
  const transitions: Transition[] = [];
  const add = (source: string | undefined, value: Json | undefined, at: Pointer) => {
    if (typeof value === 'string') transitions.push({ source, target: value, at });
  };
  add(undefined, container.startAt, [...container.at, 'StartAt']);
  for (const [name, state] of Object.entries(container.states)) {
    if (!isObject(state)) continue;
    const stateAt = [...container.at, 'States', name];
    add(name, state.Next, [...stateAt, 'Next']);
    add(name, state.Default, [...stateAt, 'Default']);
    for (const field of ['Choices', 'Catch'] as const) {
      const list = state[field];
      if (!Array.isArray(list)) continue;
      list.forEach((item, index) => {
        if (isObject(item)) add(name, item.Next, [...stateAt, field, index, 'Next']);
      });
    }
  }
  return transitions;
}

function hasTerminalState(states: JsonObject): boolean {
  return Object.values(states).some(
    (state) =>
      isObject(state) && (state.Type === 'Succeed' || state.Type === 'Fail' || state.End === true),
  );
}

function reportUnreachable(report: Report, container: Container, transitions: Transition[]): void {
  const reached = new Set<string>();
  const pending = transitions
    .filter((transition) => transition.source === undefined)
    .map((transition) => transition.target);
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (reached.has(name) || !(name in container.states)) continue;
    reached.add(name);
    for (const transition of transitions) {
      if (transition.source === name) pending.push(transition.target);
    }
  }
  for (const name of Object.keys(container.states)) {
    if (reached.has(name)) continue;
    const at = [...container.at, 'States', name];
    report(error(MISSING_TRANSITION_TARGET, `State "${name}" is not reachable.`, at));
  }
}

/**
 * State names are unique across the whole machine, nested ones included
 * (https://states-language.net/spec.html#states-fields), and at most 80 characters long.
 */
function checkStateNames(report: Report, containers: Container[]): void {
  const seen = new Set<string>();
  for (const container of containers) {
    for (const name of Object.keys(container.states)) {
      const at = [...container.at, 'States', name];
      if (seen.has(name)) {
        // The wording Step Functions Local uses; AWS documents the code only.
        report(error(DUPLICATE_STATE_NAME, `Duplicate State name: ${name}`, at));
      }
      seen.add(name);
      if ([...name].length > STATE_NAME_MAX_CHARS) {
        report(
          error(
            INVALID_STATE_NAME,
            `Invalid State name: State '${name}' exceeds the ${STATE_NAME_MAX_CHARS}-character limit allowed by the service`,
            at,
          ),
        );
      }
    }
  }
}
