/**
 * Caches what dynalite's expression parsers (PEG.js, in `dynalite/db/*Parser.js`) make of an
 * expression, because the app sends the same few constant expression strings on every call
 * and re-parsing them was dynalite's largest single cost per request.
 *
 * What a parse depends on (dynalite 4.0.0, `validations/index.js` `validateExpressions` and the
 * parsers' helper functions), and so what the cache key holds:
 * - the parser and the expression text;
 * - `ExpressionAttributeNames`: names are resolved into the paths of the result, and checks
 *   such as "operands must be distinct" compare resolved paths. The whole map is in the key;
 * - `ExpressionAttributeValues`: the result holds the value objects themselves, and its checks
 *   read each value's type (`getType`: list_append wants L, `+`/ADD want N, begins_with S/B,
 *   size not N/BOOL/NULL, and the `attrType` of function nodes). Each value's type is in the
 *   key; the values themselves are put back into a fresh copy of the result on every hit.
 *   Two checks read a value's content, not only its type: `attribute_type(path, :t)` (the type
 *   name in :t) and BETWEEN (lower <= upper). Condition expressions using either are never
 *   cached, so they are checked against each request's own values.
 * A parse also deletes the names and values it used from `unusedAttrNames`/`unusedAttrVals`,
 * which dynalite checks afterwards; the cache records which ones and deletes them on a hit.
 * Parses that return an error (a string) or throw (syntax) are not cached.
 * Results are copied on every hit (preserving shared sub-objects and prototypes), because
 * dynalite edits them afterwards (`convertKeyCondition` rewrites key conditions in place).
 */

type AttributeValue = Record<string, unknown>;

/** The `context` dynalite's `validateExpressions` passes to a parser. */
interface ParseContext {
  attrNames?: Record<string, string>;
  attrVals?: Record<string, AttributeValue>;
  unusedAttrNames: Record<string, boolean>;
  unusedAttrVals: Record<string, boolean>;
  [other: string]: unknown;
}

export interface ExpressionParser {
  parse(input: string, options: { context: ParseContext }): unknown;
}

interface Entry {
  /** The parse result with every value object replaced by a ValueRef. */
  template: unknown;
  usedNames: string[];
  usedValues: string[];
}

/** Stands for `ExpressionAttributeValues[name]` in a cached result. */
class ValueRef {
  constructor(readonly name: string) {}
}

const MAX_ENTRIES = 500;
const entries = new Map<string, Entry>();
let cachingEnabled = true;

/** Turns the cache off (and on again), for a before/after measurement in one process. */
export function setExpressionCaching(enabled: boolean): void {
  cachingEnabled = enabled;
}

/** Where the unwrapped `parse` is kept, so installing twice (tests) never wraps a wrapper. */
const ORIGINAL = Symbol.for('local-cloud.dynamodb.expression-cache.original-parse');

/**
 * Replaces each parser module's `parse` with a caching one. dynalite calls `parser.parse(...)`
 * through the module object, so the replacement is what its validations use.
 */
export function cacheExpressionParses(parsers: {
  condition: ExpressionParser;
  update: ExpressionParser;
  projection: ExpressionParser;
}): void {
  for (const [kind, parser] of Object.entries(parsers)) {
    const holder = parser as ExpressionParser & { [ORIGINAL]?: ExpressionParser['parse'] };
    const original = holder[ORIGINAL] ?? parser.parse;
    holder[ORIGINAL] = original;
    // Expressions whose checks read value contents must see every request's values.
    const uncacheable = kind === 'condition' ? /attribute_type|between/i : undefined;
    holder.parse = (input, options) =>
      cachingEnabled && !uncacheable?.test(input)
        ? cachedParse(kind, original.bind(parser), input, options.context)
        : original.call(parser, input, options);
  }
}

function cachedParse(
  kind: string,
  parse: ExpressionParser['parse'],
  input: string,
  context: ParseContext,
): unknown {
  const key = keyOf(kind, input, context);
  const hit = entries.get(key);
  if (hit) {
    entries.delete(key);
    entries.set(key, hit);
    for (const name of hit.usedNames) delete context.unusedAttrNames[name];
    for (const name of hit.usedValues) delete context.unusedAttrVals[name];
    return instantiate(hit.template, context.attrVals ?? {});
  }

  // Parsed with unused-sets of its own, so what this expression uses shows even when an
  // earlier expression of the same request already used (and deleted) the same names.
  const names = Object.keys(context.attrNames ?? {});
  const values = Object.keys(context.attrVals ?? {});
  const own: ParseContext = {
    ...context,
    unusedAttrNames: Object.fromEntries(names.map((n) => [n, true])),
    unusedAttrVals: Object.fromEntries(values.map((n) => [n, true])),
  };
  const result = parse(input, { context: own });
  const usedNames = names.filter((n) => !(n in own.unusedAttrNames));
  const usedValues = values.filter((n) => !(n in own.unusedAttrVals));
  for (const name of usedNames) delete context.unusedAttrNames[name];
  for (const name of usedValues) delete context.unusedAttrVals[name];
  if (typeof result !== 'object' || result === null) return result; // an error message

  const refs = new Map<unknown, ValueRef>(
    Object.entries(context.attrVals ?? {}).map(([name, value]) => [value, new ValueRef(name)]),
  );
  entries.set(key, { template: templateOf(result, refs, new Map()), usedNames, usedValues });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return result;
}

function keyOf(kind: string, input: string, context: ParseContext): string {
  let values = '';
  for (const [name, value] of Object.entries(context.attrVals ?? {})) {
    // Validated before parsing: exactly one type member per value.
    values += `${name}=${Object.keys(value)[0]},`;
  }
  return `${kind}\u0000${input}\u0000${JSON.stringify(context.attrNames ?? null)}\u0000${values}`;
}

/** A copy of a parse result with the request's value objects replaced by ValueRefs. */
function templateOf(
  node: unknown,
  refs: Map<unknown, ValueRef>,
  seen: Map<object, unknown>,
): unknown {
  const ref = refs.get(node);
  if (ref) return ref;
  return copy(node, seen, (child) => templateOf(child, refs, seen));
}

/** A fresh copy of a template with each ValueRef replaced by this request's value object. */
function instantiate(template: unknown, values: Record<string, AttributeValue>): unknown {
  const seen = new Map<object, unknown>();
  const fill = (node: unknown): unknown =>
    node instanceof ValueRef ? values[node.name] : copy(node, seen, fill);
  return fill(template);
}

/** Copies arrays and objects (keeping prototypes and shared sub-objects), not primitives. */
function copy(
  node: unknown,
  seen: Map<object, unknown>,
  child: (value: unknown) => unknown,
): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const known = seen.get(node);
  if (known) return known;
  if (Array.isArray(node)) {
    const out: unknown[] = [];
    seen.set(node, out);
    for (const item of node) out.push(child(item));
    return out;
  }
  const out = Object.create(Object.getPrototypeOf(node) as object | null) as Record<
    string,
    unknown
  >;
  seen.set(node, out);
  for (const [name, value] of Object.entries(node)) out[name] = child(value);
  return out;
}
