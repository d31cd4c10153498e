import { createRequire } from 'node:module';
import { type Diagnostic, type Pointer, SCHEMA_VALIDATION_FAILED, error } from './diagnostics';
import type { Json } from './checks';

/**
 * asl-validator's JSON schemas, as a second opinion after the checks of schema.ts found nothing.
 * Its schemas cover shapes this module does not hand-check (ItemReader, ItemBatcher, ResultWriter,
 * JSONata expressions), but its errors cannot be the first answer: one `oneOf` over the eight
 * state types turns a missing Resource into "/States/A/Type must be equal to one of the allowed
 * values". Only its JSON-schema errors are used; its own graph checks are replaced by graph.ts.
 */

interface AslValidatorError {
  'Error code': string;
  Message: string;
  schemaError?: { instancePath: string };
}
type AslValidator = (definition: unknown) => { isValid: boolean; errors: AslValidatorError[] };
const validateAsl = createRequire(import.meta.url)('asl-validator') as AslValidator;

export function aslValidatorSchemaErrors(definition: Json): Diagnostic[] {
  // asl-validator writes a default QueryLanguage into every state it is given: hand it a copy.
  const { errors } = validateAsl(structuredClone(definition));
  return errors.flatMap((found) => {
    if (found['Error code'] !== SCHEMA_VALIDATION_FAILED || !found.schemaError) return [];
    const { instancePath } = found.schemaError;
    const message = found.Message.replace(`${instancePath} is invalid. `, '');
    return [error(SCHEMA_VALIDATION_FAILED, message, pointerOf(definition, instancePath))];
  });
}

/**
 * A JSON pointer (RFC 6901, `/States/C/Choices/0`) as the parts of an AWS location
 * (`/States/C/Choices[0]`): a part is an index only where the value it steps into is an array.
 */
export function pointerOf(definition: Json, jsonPointer: string): Pointer {
  if (jsonPointer === '') return [];
  const parts: (string | number)[] = [];
  let current: Json | undefined = definition;
  for (const raw of jsonPointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) {
      parts.push(Number(key));
      current = current[Number(key)];
    } else {
      parts.push(key);
      current = current !== null && typeof current === 'object' ? current[key] : undefined;
    }
  }
  return parts;
}
