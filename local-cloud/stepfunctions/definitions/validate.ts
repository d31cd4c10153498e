import { aslValidatorSchemaErrors } from './asl-validator-schema';
import type { Json } from './checks';
import {
  type Diagnostic,
  INVALID_JSON_DESCRIPTION,
  MISSING_DESCRIPTION,
  type Severity,
  error,
} from './diagnostics';
import { checkMachineGraph } from './graph';
import { type MachineType, checkMachineSchema } from './schema';

export * from './diagnostics';
export type { MachineType } from './schema';

/**
 * Validates a state machine definition the way Step Functions does for
 * ValidateStateMachineDefinition, and for the InvalidDefinition error of CreateStateMachine and
 * UpdateStateMachine (use `invalidDefinitionMessage` on the diagnostics for the latter).
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html
 */

export interface ValidateOptions {
  /** The target type of state machine; STANDARD by default. */
  type?: MachineType;
  /** The minimum severity returned: ERROR (the default) returns errors only, WARNING both. */
  severity?: Severity;
  /** At most this many diagnostics; 0 or absent means the default, 100, which is also the maximum. */
  maxResults?: number;
}

export interface ValidationResult {
  /** FAIL when any ERROR was found, whatever `severity` hides; warnings alone leave it OK. */
  result: 'OK' | 'FAIL';
  diagnostics: Diagnostic[];
  /** True when more diagnostics (of the requested severity) were found than `maxResults` let through. */
  truncated: boolean;
}

export const MAX_RESULTS_DEFAULT = 100;

/**
 * Verdicts by type and text. asl-validator compiles its JSON schemas on every call (a few hundred
 * ms), and the same definitions come back often: each start deploys the backend's machines again,
 * and CreateStateMachine's idempotent repeats send the same text.
 */
const verdicts = new Map<string, Diagnostic[]>();
const MAX_VERDICTS = 256;

function diagnoseOnce(text: string, type: MachineType): Diagnostic[] {
  const key = `${type}\n${text}`;
  const known = verdicts.get(key);
  if (known) return known;
  const found = diagnose(text, type);
  if (verdicts.size >= MAX_VERDICTS) verdicts.delete(verdicts.keys().next().value!);
  verdicts.set(key, found);
  return found;
}

export function validateDefinition(text: string, options: ValidateOptions = {}): ValidationResult {
  const found = diagnoseOnce(text, options.type ?? 'STANDARD');
  const shown =
    options.severity === 'WARNING' ? found : found.filter((d) => d.severity === 'ERROR');
  const limit = maxResultsOf(options.maxResults);
  return {
    result: found.some((d) => d.severity === 'ERROR') ? 'FAIL' : 'OK',
    diagnostics: shown.slice(0, limit),
    truncated: shown.length > limit,
  };
}

/**
 * AWS rejects a maxResults above 100 with a ValidationException before validating anything; that
 * belongs to the API layer, so here a value outside 1..100 simply means the default.
 */
function maxResultsOf(requested: number | undefined): number {
  if (requested === undefined || !Number.isInteger(requested)) return MAX_RESULTS_DEFAULT;
  return requested >= 1 && requested <= MAX_RESULTS_DEFAULT ? requested : MAX_RESULTS_DEFAULT;
}

function diagnose(text: string, type: MachineType): Diagnostic[] {
  if (text.trim() === '') {
    return [error(MISSING_DESCRIPTION, 'Received a null or empty workflow input')];
  }
  let definition: Json;
  try {
    definition = JSON.parse(text) as Json;
  } catch (cause) {
    // Our wording around the parser's own message; AWS's comes from its (Java) JSON parser.
    const detail = cause instanceof Error ? cause.message : String(cause);
    return [error(INVALID_JSON_DESCRIPTION, `Invalid JSON: ${detail}`)];
  }
  const found: Diagnostic[] = [];
  const report = (diagnostic: Diagnostic) => found.push(diagnostic);
  checkMachineSchema(report, definition, type);
  checkMachineGraph(report, definition);
  if (!found.some((d) => d.severity === 'ERROR'))
    found.push(...aslValidatorSchemaErrors(definition));
  return found;
}
