import { createRequire } from 'node:module';
import type { LocalStateMachine } from '../../backend/model';
import { LOCAL_ACCOUNT_ID } from '../../core/constants';
import type { StateMachineDefinition } from '../language/asl';

export interface LoadedStateMachine {
  name: string;
  arn: string;
  definition: StateMachineDefinition;
  /** The substituted definition as text, for DescribeStateMachine. */
  definitionText: string;
  createdAt: number;
}

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Replaces `${Key}` everywhere, like CloudFormation's DefinitionSubstitutions; all must resolve. */
export function substitute(
  text: string,
  substitutions: Record<string, string>,
  file: string,
): string {
  const missing = placeholdersIn(text).filter((key) => !(key in substitutions));
  if (missing.length > 0) {
    throw new Error(
      `${file}: no local value for DefinitionSubstitutions ${missing.map((k) => `\${${k}}`).join(', ')}`,
    );
  }
  return text.replace(PLACEHOLDER, (_, key: string) => substitutions[key]!);
}

export function stateMachineArn(region: string, name: string): string {
  return `arn:aws:states:${region}:${LOCAL_ACCOUNT_ID}:stateMachine:${name}`;
}

type AslValidator = (definition: unknown) => {
  isValid: boolean;
  errorsText: (sep?: string) => string;
};
const validateAsl = createRequire(import.meta.url)('asl-validator') as AslValidator;

/** A state machine of the backend, its `DefinitionSubstitutions` applied, validated. */
export function loadStateMachine(
  machine: Pick<LocalStateMachine, 'name' | 'definitionString' | 'substitutions'>,
  region: string,
  now: number,
): LoadedStateMachine {
  const text = substitute(machine.definitionString, machine.substitutions, machine.name);
  const definition = JSON.parse(text) as StateMachineDefinition;
  const result = validateAsl(definition);
  if (!result.isValid) {
    throw new Error(`${machine.name}: invalid ASL: ${result.errorsText('; ')}`);
  }
  return {
    name: machine.name,
    arn: stateMachineArn(region, machine.name),
    definition,
    definitionText: text,
    createdAt: now,
  };
}
