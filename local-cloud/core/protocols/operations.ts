import type { LocalRequest } from '../service';
import { missingMembersError } from './errors';

/** What a protocol hands an operation besides its input. */
export interface OperationCall {
  operation: string;
  req: LocalRequest;
}

export type OperationHandler<I = Record<string, unknown>> = (
  input: I,
  call: OperationCall,
) => unknown;

/**
 * One API action. `required` lists the members the API reference marks required: the protocol
 * refuses a call that lacks one before the handler runs, with the service's validation error.
 * A bare function is an operation whose handler validates everything itself.
 */
export type Operation =
  OperationHandler | { required?: readonly string[]; handler: OperationHandler };

export type OperationTable = Record<string, Operation>;

/** An operation as a protocol runs it: look-up is own-property only (no `toString`, `__proto__`). */
export function findOperation(
  table: OperationTable,
  name: string,
): { required: readonly string[]; handler: OperationHandler } | undefined {
  if (!Object.hasOwn(table, name)) return undefined;
  const entry = table[name]!;
  return typeof entry === 'function'
    ? { required: [], handler: entry }
    : { required: [], ...entry };
}

/** Throws the service's validation error naming every absent required member, in order. */
export function checkRequired(
  input: Record<string, unknown>,
  required: readonly string[],
  validationErrorType: string,
): void {
  const missing = required.filter(
    (member) => input[member] === undefined || input[member] === null,
  );
  if (missing.length > 0) throw missingMembersError(missing, validationErrorType);
}
