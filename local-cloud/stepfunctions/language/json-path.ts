import { runtimeError } from './errors';

/**
 * The JSONPath subset Amazon States Language reference paths use: `$`, `$$` (context object),
 * `.name`, `['name']`, `[n]`, and `[*]` / `.*` wildcards in Parameters. Filters (`[?()]`),
 * slices and recursive descent (`..`) are rejected with States.Runtime: the project's ASL does
 * not need them, and a clear failure beats a silent partial implementation.
 */
type Segment = string | number | '*';
const WILDCARD = '*';

const cache = new Map<string, { root: '$' | '$$'; segments: Segment[] }>();

export function parsePath(path: string): { root: '$' | '$$'; segments: Segment[] } {
  const cached = cache.get(path);
  if (cached) return cached;
  const root = path.startsWith('$$') ? '$$' : path.startsWith('$') ? '$' : undefined;
  if (!root) throw runtimeError(`Invalid path '${path}': must start with '$'`);
  const segments: Segment[] = [];
  let i = root.length;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      if (path[i + 1] === '.') throw runtimeError(`Unsupported path '${path}': recursive descent`);
      const match = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (!match) throw runtimeError(`Invalid path '${path}'`);
      segments.push(match[0] === '*' ? WILDCARD : match[0]);
      i += 1 + match[0].length;
    } else if (ch === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) throw runtimeError(`Invalid path '${path}': missing ']'`);
      const inner = path.slice(i + 1, close).trim();
      if (inner === '*') segments.push(WILDCARD);
      else if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else if (/^'.*'$|^".*"$/.test(inner)) segments.push(inner.slice(1, -1));
      else throw runtimeError(`Unsupported path '${path}': [${inner}]`);
      i = close + 1;
    } else {
      throw runtimeError(`Invalid path '${path}' at '${path.slice(i)}'`);
    }
  }
  const parsed = { root, segments } as const;
  if (cache.size < 10_000) cache.set(path, parsed);
  return parsed;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function step(values: unknown[], segment: Segment): unknown[] {
  const out: unknown[] = [];
  for (const value of values) {
    if (segment === WILDCARD) {
      if (Array.isArray(value)) out.push(...value);
      else if (isObject(value)) out.push(...Object.values(value));
    } else if (typeof segment === 'number') {
      if (Array.isArray(value) && segment < value.length) out.push(value[segment]);
    } else if (isObject(value) && Object.hasOwn(value, segment)) {
      out.push(value[segment]);
    }
  }
  return out;
}

/** Returns `{ found: false }` instead of throwing, for Choice `IsPresent`. */
export function tryReadPath(
  path: string,
  data: unknown,
  context: unknown,
): { found: true; value: unknown } | { found: false } {
  const { root, segments } = parsePath(path);
  let values = [root === '$$' ? context : data];
  let wildcard = false;
  for (const segment of segments) {
    if (segment === WILDCARD) wildcard = true;
    values = step(values, segment);
    if (values.length === 0 && !wildcard) return { found: false };
  }
  return wildcard ? { found: true, value: values } : { found: true, value: values[0] };
}

export function readPath(path: string, data: unknown, context: unknown): unknown {
  const result = tryReadPath(path, data, context);
  if (!result.found) {
    throw runtimeError(
      `The JSONPath '${path}' could not be found in the input '${JSON.stringify(data)}'`,
    );
  }
  return result.value;
}

/** ResultPath: returns a copy of `target` with `value` placed at `path` (creating objects). */
export function writePath(path: string, target: unknown, value: unknown): unknown {
  const { root, segments } = parsePath(path);
  if (root === '$$') throw runtimeError(`ResultPath cannot target the context object: '${path}'`);
  if (segments.length === 0) return value;
  const copy: Record<string, unknown> = isObject(target) ? { ...target } : {};
  if (!isObject(target) && target !== undefined) {
    throw runtimeError(`Unable to apply ResultPath '${path}' to a non-object input`);
  }
  let cursor = copy;
  segments.forEach((segment, index) => {
    if (typeof segment !== 'string' || segment === WILDCARD) {
      throw runtimeError(`Unsupported ResultPath '${path}': only field names are allowed`);
    }
    if (index === segments.length - 1) {
      cursor[segment] = value;
      return;
    }
    const next = cursor[segment];
    const child: Record<string, unknown> = isObject(next) ? { ...next } : {};
    cursor[segment] = child;
    cursor = child;
  });
  return copy;
}
