import { createRequire } from 'node:module';
import { NO_DOLLAR, PASS_RESULT_IS_STATIC, type Pointer, warning } from './diagnostics';
import { type Json, type Report, isObject, schemaError } from './checks';

/**
 * Path and payload-template syntax, judged by asl-path-validator: the PEG parser asl-validator
 * itself uses for these fields. It is loaded through asl-validator's own resolution because it is
 * asl-validator's dependency, not this project's.
 */
type PathContext = 'path' | 'reference_path' | 'result_path' | 'payload_template';
type PathValidator = {
  validatePath: (path: string, context: PathContext) => { isValid: boolean };
};
const requireFromHere = createRequire(import.meta.url);
const { validatePath } = createRequire(requireFromHere.resolve('asl-validator'))(
  'asl-path-validator',
) as PathValidator;

/**
 * Which context each JSONPath-mode field is parsed in
 * (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html):
 * InputPath/OutputPath are Paths, ResultPath a Reference Path without variables, ErrorPath and
 * CausePath may also be intrinsic functions, and every other `...Path` field is a Reference Path.
 */
const CONTEXT_OF_FIELD: Record<string, PathContext> = {
  InputPath: 'path',
  OutputPath: 'path',
  ResultPath: 'result_path',
  ErrorPath: 'payload_template',
  CausePath: 'payload_template',
  Variable: 'path',
};
/** Only these may be `null`: "null" means "discard" / "keep the input" for them. */
const NULLABLE = new Set(['InputPath', 'OutputPath', 'ResultPath']);

export function isPathField(field: string): boolean {
  return field.endsWith('Path') || field === 'Variable';
}

export function checkPathField(report: Report, field: string, value: Json, at: Pointer): void {
  if (value === null && NULLABLE.has(field)) return;
  const context = CONTEXT_OF_FIELD[field] ?? 'reference_path';
  if (typeof value === 'string' && validatePath(value, context).isValid) return;
  schemaError(report, `The value for the field '${field}' must be a valid JSONPath`, at);
}

/** A value that would be evaluated if its key ended in `.$`. */
function looksEvaluated(value: string): boolean {
  return /^\$\$?(\.|\[|$)/.test(value) || /^States\.[A-Za-z]+\(/.test(value);
}

/**
 * Parameters, ResultSelector, ItemSelector and Assign: every `key.$` must hold a Path or an
 * intrinsic function call. A plain key holding something that looks like one is AWS's NO_DOLLAR
 * warning (the field is passed through as a literal string, which is rarely what was meant).
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
 */
export function checkPayloadTemplate(report: Report, value: Json, at: Pointer): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkPayloadTemplate(report, item, [...at, index]));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const childAt = [...at, key];
    if (key.endsWith('.$')) {
      if (typeof child !== 'string' || !validatePath(child, 'payload_template').isValid) {
        schemaError(
          report,
          `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`,
          childAt,
        );
      }
    } else if (typeof child === 'string' && looksEvaluated(child)) {
      // Our wording: AWS documents the code, not its message.
      report(
        warning(
          NO_DOLLAR,
          `The value of the field '${key}' looks like a JSONPath or an intrinsic function, but the field name does not end with '.$'`,
          childAt,
        ),
      );
    } else {
      checkPayloadTemplate(report, child, childAt);
    }
  }
}

/** A Pass state's Result is never evaluated, so a `key.$` in it is AWS's PASS_RESULT_IS_STATIC warning. */
export function checkStaticResult(report: Report, value: Json, at: Pointer): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkStaticResult(report, item, [...at, index]));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (key.endsWith('.$')) {
      report(
        warning(
          PASS_RESULT_IS_STATIC,
          `The Result of a Pass state is static: the field '${key}' is not evaluated as a path`,
          [...at, key],
        ),
      );
    }
    checkStaticResult(report, child, [...at, key]);
  }
}
