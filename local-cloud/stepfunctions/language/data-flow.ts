import { evaluateIntrinsic, isIntrinsic } from './intrinsics';
import { readPath, writePath } from './json-path';

/** InputPath / Parameters / ResultSelector / ResultPath / OutputPath, as the ASL spec orders them. */

export function applyInputPath(
  path: string | null | undefined,
  input: unknown,
  ctx: unknown,
): unknown {
  if (path === null) return {};
  return readPath(path ?? '$', input, ctx);
}

export const applyOutputPath = applyInputPath;

/** A payload template: keys ending in `.$` take a path or intrinsic; other values are copied. */
export function resolveTemplate(template: unknown, data: unknown, ctx: unknown): unknown {
  if (Array.isArray(template)) return template.map((item) => resolveTemplate(item, data, ctx));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      out[key.slice(0, -2)] = isIntrinsic(value)
        ? evaluateIntrinsic(value, data, ctx)
        : readPath(value, data, ctx);
    } else {
      out[key] = resolveTemplate(value, data, ctx);
    }
  }
  return out;
}

export function applyResultPath(
  path: string | null | undefined,
  input: unknown,
  result: unknown,
): unknown {
  if (path === null) return input;
  return writePath(path ?? '$', input, result);
}
