/**
 * The diagnostic shape of ValidateStateMachineDefinition, and the text of the
 * `InvalidDefinition` exception CreateStateMachine/UpdateStateMachine raise for the same problems.
 *
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html
 */

export type Severity = 'ERROR' | 'WARNING';

export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  /** Where in the definition, e.g. `/States/A/Next` or `/States/C/Choices[0]`; absent when the problem has no place. */
  location?: string;
}

// The codes this module emits; the names are AWS's, from the diagnostic page above.
export const INVALID_JSON_DESCRIPTION = 'INVALID_JSON_DESCRIPTION';
export const MISSING_DESCRIPTION = 'MISSING_DESCRIPTION';
export const SCHEMA_VALIDATION_FAILED = 'SCHEMA_VALIDATION_FAILED';
export const MISSING_TRANSITION_TARGET = 'MISSING_TRANSITION_TARGET';
export const MISSING_END_STATE = 'MISSING_END_STATE';
export const DUPLICATE_STATE_NAME = 'DUPLICATE_STATE_NAME';
export const INVALID_STATE_NAME = 'INVALID_STATE_NAME';
// Warnings: they never make the result FAIL.
export const NO_DOLLAR = 'NO_DOLLAR';
export const PASS_RESULT_IS_STATIC = 'PASS_RESULT_IS_STATIC';

/** A place in the definition: object keys and array indexes, from the root. */
export type Pointer = readonly (string | number)[];

/**
 * AWS writes object keys as `/Key` and array indexes as `[i]` (`/States/C/Choices[0]/Next`), and
 * does not escape state names (`/States/My State`). The root itself is `/`.
 */
export function formatLocation(pointer: Pointer): string {
  if (pointer.length === 0) return '/';
  return pointer.map((part) => (typeof part === 'number' ? `[${part}]` : `/${part}`)).join('');
}

export function error(code: string, message: string, at?: Pointer): Diagnostic {
  return at === undefined
    ? { severity: 'ERROR', code, message }
    : { severity: 'ERROR', code, message, location: formatLocation(at) };
}

export function warning(code: string, message: string, at: Pointer): Diagnostic {
  return { severity: 'WARNING', code, message, location: formatLocation(at) };
}

/**
 * The message of an `InvalidDefinition` exception, as AWS writes it: every ERROR as
 * `CODE: message at location`, comma-separated, quoted. AWS prints `at null` for a diagnostic
 * without a location (e.g. `MISSING_END_STATE: Workflow has no terminal state at null`), as
 * reported from real responses in public issues. Warnings do not block creation, so they are left out.
 */
export function invalidDefinitionMessage(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics
    .filter((d) => d.severity === 'ERROR')
    .map((d) => `${d.code}: ${d.message} at ${d.location ?? 'null'}`);
  return `Invalid State Machine Definition: '${errors.join(', ')}'`;
}
