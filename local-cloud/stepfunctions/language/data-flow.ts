import { StatesError, runtimeError } from './errors';
import { evaluateIntrinsic, isIntrinsic } from './intrinsics';
import { parsePath, readPath, writePath } from './json-path';

/**
 * InputPath, Parameters / ResultSelector (payload templates), ResultPath and OutputPath, as
 * https://states-language.net/spec.html#filters orders and defines them. InputPath and OutputPath
 * are Paths (they may select several nodes, which are then gathered into an array); ResultPath
 * is a Reference Path.
 */

/** `null` discards the input: the effective input is `{}`. A path that matches nothing is States.Runtime. */
export function applyInputPath(
  path: string | null | undefined,
  input: unknown,
  ctx: unknown,
): unknown {
  if (path === null) return {};
  return readPath(path ?? '$', input, ctx);
}

export const applyOutputPath = applyInputPath;

/**
 * A payload template: a field ending in `.$` takes a Path (`$...` on the input, `$$...` on the
 * context object) or an intrinsic function, and loses the suffix; other values are copied.
 * "If the path is legal but cannot be applied successfully, the interpreter fails the machine
 * execution with an Error Name of States.ParameterPathFailure"; a failing intrinsic is
 * States.IntrinsicFailure (https://states-language.net/spec.html#payload-template).
 */
export function resolveTemplate(template: unknown, data: unknown, ctx: unknown): unknown {
  if (Array.isArray(template)) return template.map((item) => resolveTemplate(item, data, ctx));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    const dynamic = key.endsWith('.$');
    const name = dynamic ? key.slice(0, -2) : key;
    // "A JSON object MUST NOT have duplicate field names after fields ending with the
    // characters ".$" are renamed"
    if (Object.hasOwn(out, name)) {
      throw runtimeError(`The field '${name}' appears twice once '.$' is removed`);
    }
    out[name] = dynamic
      ? resolveDynamicField(key, value, data, ctx)
      : resolveTemplate(value, data, ctx);
  }
  return out;
}

function resolveDynamicField(key: string, value: unknown, data: unknown, ctx: unknown): unknown {
  if (typeof value !== 'string') {
    throw runtimeError(`The value of '${key}' must be a path or an intrinsic function`);
  }
  if (isIntrinsic(value)) return evaluateIntrinsic(value, data, ctx);
  parsePath(value); // an illegal path is a definition error (States.Runtime), not a failed lookup
  try {
    return readPath(value, data, ctx);
  } catch (error) {
    const cause = error instanceof StatesError ? error.cause : String(error);
    throw new StatesError(
      'States.ParameterPathFailure',
      `The JSONPath '${value}' specified for the field '${key}' could not be applied: ${cause}`,
    );
  }
}

/** `null` discards the result (output = input); a result that cannot be placed is States.ResultPathMatchFailure. */
export function applyResultPath(
  path: string | null | undefined,
  input: unknown,
  result: unknown,
): unknown {
  if (path === null) return input;
  return writePath(path ?? '$', input, result);
}
