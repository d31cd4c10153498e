import { StatesError, runtimeError } from './errors';
import { PATH_MAX_NODES } from './limits';
import {
  parsePath,
  type FilterExpression,
  type FilterOperand,
  type ParsedPath,
  type Segment,
  type Selector,
} from './json-path-syntax';

export { parsePath } from './json-path-syntax';
export type { ParsedPath } from './json-path-syntax';

/**
 * Reading and writing JSON with ASL paths (https://states-language.net/spec.html#path).
 *
 * Results follow Jayway JsonPath, which Step Functions uses: a *definite* path (only names and
 * indexes) yields its one value or "not found"; any other path (wildcard, union, slice, filter,
 * `..`) yields an array of every match, possibly empty (the spec's "$.a[0,1]" example:
 * https://states-language.net/spec.html#filters).
 */

type Lookup = { found: true; value: unknown } | { found: false };

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Returns `{ found: false }` instead of throwing, for Choice `IsPresent`. */
export function tryReadPath(path: string, data: unknown, context: unknown): Lookup {
  const parsed = parsePath(path);
  return evaluate(parsed, parsed.root === '$$' ? context : data);
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

/**
 * A Reference Path "can only identify a single node": `@`, `,`, `:` and `?` are not allowed
 * (https://states-language.net/spec.html#ref-paths). We also refuse `*` and `..`, which the
 * guide lists with them (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html)
 * and which can select several nodes just the same.
 */
export function isReferencePath(path: string): boolean {
  return parsePath(path).definite;
}

function assertReferencePath(path: string): ParsedPath {
  const parsed = parsePath(path);
  if (!parsed.definite) {
    throw runtimeError(
      `Invalid reference path '${path}': it must identify a single node (no *, .., ?, @, ',' or ':')`,
    );
  }
  return parsed;
}

/**
 * For fields the spec types as Reference Paths: ResultPath, ItemsPath, a Choice rule's Variable
 * and *Path operands, TimeoutSecondsPath, HeartbeatSecondsPath, SecondsPath, TimestampPath.
 */
export function tryReadReferencePath(path: string, data: unknown, context: unknown): Lookup {
  assertReferencePath(path);
  return tryReadPath(path, data, context);
}

export function readReferencePath(path: string, data: unknown, context: unknown): unknown {
  assertReferencePath(path);
  return readPath(path, data, context);
}

function evaluate(parsed: ParsedPath, root: unknown): Lookup {
  if (parsed.definite) return readDefinite(parsed.segments, root);
  let nodes: unknown[] = [root];
  for (const segment of parsed.segments) nodes = applySegment(nodes, segment);
  return { found: true, value: nodes };
}

function readDefinite(segments: Segment[], root: unknown): Lookup {
  let node = root;
  for (const { selector } of segments) {
    const next = selectOne(node, selector);
    if (!next.found) return next;
    node = next.value;
  }
  return { found: true, value: node };
}

function selectOne(node: unknown, selector: Selector): Lookup {
  if (selector.kind === 'name') {
    return isObject(node) && Object.hasOwn(node, selector.name)
      ? { found: true, value: node[selector.name] }
      : { found: false };
  }
  if (selector.kind === 'index' && Array.isArray(node)) {
    const index = selector.index < 0 ? node.length + selector.index : selector.index;
    return index >= 0 && index < node.length
      ? { found: true, value: node[index] }
      : { found: false };
  }
  return { found: false };
}

const tooManyNodes = () => runtimeError(`The JSONPath selects more than ${PATH_MAX_NODES} nodes`);

function applySegment(nodes: unknown[], segment: Segment): unknown[] {
  const targets = segment.descendant ? selfAndDescendants(nodes) : nodes;
  const out: unknown[] = [];
  for (const node of targets) {
    for (const value of select(node, segment.selector)) {
      if (out.length >= PATH_MAX_NODES) throw tooManyNodes();
      out.push(value);
    }
  }
  return out;
}

/** Pre-order, iteratively: deeply nested input must not overflow the stack. */
function selfAndDescendants(nodes: unknown[]): unknown[] {
  const out: unknown[] = [];
  const stack = [...nodes].reverse();
  while (stack.length > 0) {
    const current = stack.pop();
    if (out.length >= PATH_MAX_NODES) throw tooManyNodes();
    out.push(current);
    const children = Array.isArray(current)
      ? current
      : isObject(current)
        ? Object.values(current)
        : [];
    for (let k = children.length - 1; k >= 0; k -= 1) stack.push(children[k]);
  }
  return out;
}

function select(node: unknown, selector: Selector): unknown[] {
  switch (selector.kind) {
    case 'name':
    case 'index': {
      const one = selectOne(node, selector);
      return one.found ? [one.value] : [];
    }
    case 'wildcard':
      return Array.isArray(node) ? node : isObject(node) ? Object.values(node) : [];
    case 'union':
      return selector.members.flatMap((member) =>
        select(
          node,
          typeof member === 'number'
            ? { kind: 'index', index: member }
            : { kind: 'name', name: member },
        ),
      );
    case 'slice':
      return Array.isArray(node) ? slice(node, selector) : [];
    case 'filter': {
      // Jayway filters an array's elements, and tests an object itself. AWS: "The @ operator ...
      // does not match scalar values. It only matches objects."
      // (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html)
      const candidates = Array.isArray(node) ? node : [node];
      return candidates.filter(
        (candidate) => isObject(candidate) && matches(selector.expression, candidate),
      );
    }
  }
}

/** Python-style slice, as Jayway and RFC 9535 define it; bounded by the array's length. */
function slice(
  array: unknown[],
  { start, end, step }: { start?: number; end?: number; step: number },
) {
  const length = array.length;
  const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);
  const normalize = (value: number) => (value < 0 ? length + value : value);
  const out: unknown[] = [];
  if (step > 0) {
    const from = clamp(normalize(start ?? 0), 0, length);
    const to = clamp(normalize(end ?? length), 0, length);
    for (let k = from; k < to; k += step) out.push(array[k]);
  } else {
    const from = clamp(normalize(start ?? length - 1), -1, length - 1);
    const to = clamp(end === undefined ? -1 : normalize(end), -1, length - 1);
    for (let k = from; k > to; k += step) out.push(array[k]);
  }
  return out;
}

function matches(expression: FilterExpression, current: unknown): boolean {
  switch (expression.kind) {
    case 'or':
      return matches(expression.left, current) || matches(expression.right, current);
    case 'and':
      return matches(expression.left, current) && matches(expression.right, current);
    case 'not':
      return !matches(expression.operand, current);
    case 'exists':
      return operandValue(expression.operand, current).found;
    case 'compare': {
      const left = operandValue(expression.left, current);
      const right = operandValue(expression.right, current);
      if (!left.found || !right.found) return false;
      return compare(expression.operator, left.value, right.value);
    }
  }
}

function operandValue(operand: FilterOperand, current: unknown): Lookup {
  return operand.kind === 'literal'
    ? { found: true, value: operand.value }
    : evaluate(operand.path, current);
}

/**
 * Jayway's comparison: values of different JSON types are never equal and never ordered;
 * numbers and strings order naturally; objects and arrays compare by deep equality only.
 */
function compare(operator: string, left: unknown, right: unknown): boolean {
  if (operator === '==') return deepEqual(left, right);
  if (operator === '!=') return !deepEqual(left, right);
  const bothNumbers = typeof left === 'number' && typeof right === 'number';
  const bothStrings = typeof left === 'string' && typeof right === 'string';
  if (!bothNumbers && !bothStrings) return false;
  const a = left as number | string;
  const b = right as number | string;
  switch (operator) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, k) => deepEqual(x, b[k]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]))
    );
  }
  return false;
}

const resultPathFailure = (path: string, why: string) =>
  new StatesError(
    'States.ResultPathMatchFailure',
    `Unable to apply ResultPath '${path}' to the state's input: ${why}`,
  );

/**
 * ResultPath: returns a copy of `target` with `value` placed at `path`, constructing intervening
 * objects (https://states-language.net/spec.html#filters). ResultPath is a Reference Path and
 * "MUST NOT begin with $$". A step through something that is not an object (the spec's example:
 * input "foo" with ResultPath "$.x") fails with States.ResultPathMatchFailure, and so does an
 * index outside an existing array: we never grow arrays, as AWS documents no such behaviour.
 */
export function writePath(path: string, target: unknown, value: unknown): unknown {
  const { root, segments } = assertReferencePath(path);
  if (root === '$$') throw runtimeError(`ResultPath cannot target the context object: '${path}'`);
  return writeAt(segments, 0, target, value, path);
}

function writeAt(
  segments: Segment[],
  position: number,
  target: unknown,
  value: unknown,
  path: string,
): unknown {
  const segment = segments[position];
  if (!segment) return value;
  const { selector } = segment;
  if (selector.kind === 'name') {
    if (target !== undefined && !isObject(target)) {
      throw resultPathFailure(path, `'${selector.name}' cannot be set on ${describe(target)}`);
    }
    const copy: Record<string, unknown> = { ...target };
    copy[selector.name] = writeAt(segments, position + 1, copy[selector.name], value, path);
    return copy;
  }
  if (selector.kind === 'index' && Array.isArray(target)) {
    const index = selector.index < 0 ? target.length + selector.index : selector.index;
    if (index < 0 || index >= target.length) {
      throw resultPathFailure(path, `index ${selector.index} is outside the array`);
    }
    const copy = [...target];
    copy[index] = writeAt(segments, position + 1, copy[index], value, path);
    return copy;
  }
  throw resultPathFailure(path, `an index cannot be applied to ${describe(target)}`);
}

const describe = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
