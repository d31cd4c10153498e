import { type Diagnostic, type Pointer, SCHEMA_VALIDATION_FAILED, error } from './diagnostics';

/**
 * The small vocabulary the schema checks share. Messages follow the families AWS is seen using in
 * `InvalidDefinition` errors quoted in public issues: "Field 'X' is not supported",
 * "These fields are required: [X]", "Expected value of type [STRING]",
 * "The field 'X' should have one of these values: [...]". Where no AWS wording for a rule could
 * be found, the message below is our own and says so at its use.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type QueryLanguage = 'JSONPath' | 'JSONata';

export type Report = (diagnostic: Diagnostic) => void;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function schemaError(report: Report, message: string, at: Pointer): void {
  report(error(SCHEMA_VALIDATION_FAILED, message, at));
}

export type ValueKind = 'STRING' | 'BOOLEAN' | 'INTEGER' | 'NUMBER' | 'OBJECT' | 'ARRAY';

const IS_KIND: Record<ValueKind, (value: unknown) => boolean> = {
  STRING: (v) => typeof v === 'string',
  BOOLEAN: (v) => typeof v === 'boolean',
  INTEGER: (v) => typeof v === 'number' && Number.isInteger(v),
  NUMBER: (v) => typeof v === 'number',
  OBJECT: isObject,
  ARRAY: Array.isArray,
};

/** Reports and returns false when `value` is not of `kind`. */
export function expectKind(report: Report, value: unknown, kind: ValueKind, at: Pointer): boolean {
  if (IS_KIND[kind](value)) return true;
  schemaError(report, `Expected value of type [${kind}]`, at);
  return false;
}

export function expectOneOf(
  report: Report,
  value: unknown,
  field: string,
  allowed: readonly string[],
  at: Pointer,
): void {
  if (typeof value === 'string' && allowed.includes(value)) return;
  schemaError(
    report,
    `The field '${field}' should have one of these values: [${allowed.join(', ')}]`,
    at,
  );
}

export function requireFields(
  report: Report,
  object: JsonObject,
  fields: readonly string[],
  at: Pointer,
): void {
  const missing = fields.filter((field) => !(field in object));
  if (missing.length > 0)
    schemaError(report, `These fields are required: [${missing.join(', ')}]`, at);
}

/** Unknown fields are reported at the object that holds them, as AWS does (`/States/M`). */
export function rejectUnknownFields(
  report: Report,
  object: JsonObject,
  allowed: ReadonlySet<string>,
  at: Pointer,
): void {
  for (const field of Object.keys(object)) {
    if (!allowed.has(field)) schemaError(report, `Field '${field}' is not supported`, at);
  }
}

/** Our own wording (AWS's is not documented): none or several of a set that wants exactly one. */
export function requireExactlyOne(
  report: Report,
  object: JsonObject,
  fields: readonly string[],
  at: Pointer,
): void {
  const present = fields.filter((field) => field in object).length;
  if (present !== 1) {
    schemaError(report, `Exactly one of these fields is required: [${fields.join(', ')}]`, at);
  }
}

/** Our own wording (AWS's is not documented): several of a set that allows at most one. */
export function allowAtMostOne(
  report: Report,
  object: JsonObject,
  fields: readonly string[],
  at: Pointer,
): void {
  if (fields.filter((field) => field in object).length > 1) {
    schemaError(report, `Only one of these fields is allowed: [${fields.join(', ')}]`, at);
  }
}
