import { invalidParameter } from './errors';

/**
 * Subscription filter policies: parse and check a policy once (Subscribe,
 * SetSubscriptionAttributes), then match every published message against it.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html
 * https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html
 *
 * Supported: exact strings, numbers, booleans and null; `prefix`, `suffix`,
 * `equals-ignore-case`, `anything-but` (values, or a prefix/suffix), `numeric` comparisons and
 * ranges, `exists`, `$or`, and nested keys under the MessageBody scope. Not supported: `cidr`
 * (refused with a clear error rather than silently never matching).
 */

export type FilterScope = 'MessageAttributes' | 'MessageBody';
type Scalar = string | number | boolean | null;

type Condition =
  | { kind: 'exact'; value: Scalar }
  | { kind: 'prefix' | 'suffix' | 'ignoreCase'; value: string }
  | { kind: 'anythingBut'; values: Scalar[]; prefix?: string; suffix?: string }
  | { kind: 'numeric'; tests: [string, number][] }
  | { kind: 'exists'; value: boolean };

/** A policy object: every field must match, and one alternative of every `$or`. */
export interface FilterNode {
  fields: Map<string, Condition[] | FilterNode>;
  ors: FilterNode[][];
}

export interface FilterPolicy {
  scope: FilterScope;
  root: FilterNode;
}

const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;
const NUMERIC_LIMIT = 1e9;
const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

const fail = (reason: string): never => {
  throw invalidParameter(`FilterPolicy: ${reason}`);
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function numberIn(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail(`Value of ${what} must be numeric`);
  if (Math.abs(value as number) > NUMERIC_LIMIT) {
    fail(`Numeric values must be within -1000000000 and 1000000000, got ${String(value)}`);
  }
  return value as number;
}

function stringOf(value: unknown, operator: string): string {
  if (typeof value !== 'string') fail(`${operator} match pattern must be a string`);
  return value as string;
}

function parseNumeric(spec: unknown): Condition {
  if (!Array.isArray(spec) || spec.length === 0 || spec.length % 2 !== 0) {
    fail('Value of numeric must be an array of operators and numbers');
  }
  const tests: [string, number][] = [];
  for (let i = 0; i < (spec as unknown[]).length; i += 2) {
    const operator = (spec as unknown[])[i];
    if (typeof operator !== 'string' || !NUMERIC_OPERATORS.has(operator)) {
      fail(`Unrecognized numeric range operator: ${JSON.stringify(operator)}`);
    }
    tests.push([operator as string, numberIn((spec as unknown[])[i + 1], operator as string)]);
  }
  const lower = tests.filter(([op]) => op.startsWith('>')).length;
  const upper = tests.filter(([op]) => op.startsWith('<')).length;
  if (lower > 1 || upper > 1 || (tests.some(([op]) => op === '=') && tests.length > 1)) {
    fail('Bad numeric range operator');
  }
  const low = tests.find(([op]) => op.startsWith('>'))?.[1];
  const high = tests.find(([op]) => op.startsWith('<'))?.[1];
  if (low !== undefined && high !== undefined && low >= high) {
    fail('Bottom must be less than top');
  }
  return { kind: 'numeric', tests };
}

function parseAnythingBut(spec: unknown): Condition {
  if (isObject(spec)) {
    const [operator, ...others] = Object.keys(spec);
    if (others.length > 0 || (operator !== 'prefix' && operator !== 'suffix')) {
      fail('Unsupported anything-but pattern');
    }
    return { kind: 'anythingBut', values: [], [operator!]: stringOf(spec[operator!], operator!) };
  }
  const values = Array.isArray(spec) ? spec : [spec];
  if (values.length === 0) fail('Empty arrays are not allowed');
  for (const value of values) {
    if (typeof value !== 'string' && typeof value !== 'number') {
      fail('Inside anything-but list, start|null|boolean is not supported.');
    }
    if (typeof value === 'number') numberIn(value, 'anything-but');
  }
  return { kind: 'anythingBut', values: values as Scalar[] };
}

function parseCondition(spec: unknown): Condition {
  if (!isObject(spec)) {
    if (typeof spec === 'number') numberIn(spec, 'a number');
    if (Array.isArray(spec)) fail('Match value must be String, number, true, false, or null');
    return { kind: 'exact', value: spec as Scalar };
  }
  const keys = Object.keys(spec);
  if (keys.length !== 1) fail('Only one key allowed in match expression');
  const operator = keys[0]!;
  const value = spec[operator];
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return { kind: operator, value: stringOf(value, operator) };
    case 'equals-ignore-case':
      return { kind: 'ignoreCase', value: stringOf(value, operator) };
    case 'anything-but':
      return parseAnythingBut(value);
    case 'numeric':
      return parseNumeric(value);
    case 'exists':
      if (typeof value !== 'boolean') fail('exists match pattern must be either true or false.');
      return { kind: 'exists', value: value as boolean };
    case 'cidr':
      return fail('The cidr match type is not supported by the local cloud');
    default:
      return fail(`Unrecognized match type ${operator}`);
  }
}

function parseNode(object: Record<string, unknown>, scope: FilterScope): FilterNode {
  const node: FilterNode = { fields: new Map(), ors: [] };
  for (const [key, value] of Object.entries(object)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) {
        fail('$or must be an array of at least two filter policy objects');
      }
      node.ors.push((value as Record<string, unknown>[]).map((v) => parseNode(v, scope)));
    } else if (Array.isArray(value)) {
      if (value.length === 0) fail('Empty arrays are not allowed');
      node.fields.set(key, value.map(parseCondition));
    } else if (isObject(value)) {
      if (scope === 'MessageAttributes') {
        fail('Filter policy scope MessageAttributes does not support nested filter policy');
      }
      node.fields.set(key, parseNode(value, scope));
    } else {
      fail(`"${key}" must be an object or an array`);
    }
  }
  if (node.fields.size === 0 && node.ors.length === 0) fail('Empty objects are not allowed');
  return node;
}

/**
 * The policy with every `$or` resolved: one list of leaf value counts per alternative. Each
 * alternative is what AWS counts keys (≤ 5) and combinations (the product of its array
 * lengths, summed over alternatives, ≤ 150) on.
 */
function alternatives(node: FilterNode): number[][] {
  let result: number[][] = [[]];
  for (const conditions of node.fields.values()) {
    const branch = Array.isArray(conditions) ? [[conditions.length]] : alternatives(conditions);
    result = result.flatMap((left) => branch.map((right) => [...left, ...right]));
  }
  for (const or of node.ors) {
    const branches = or.flatMap(alternatives);
    result = result.flatMap((left) => branches.map((right) => [...left, ...right]));
  }
  return result;
}

/** Parses and checks a FilterPolicy attribute; throws InvalidParameter as SNS would. */
export function parseFilterPolicy(json: string, scope: FilterScope): FilterPolicy {
  if (Buffer.byteLength(json, 'utf8') > 256 * 1024) fail('Filter policy is too long');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return fail('failed to parse JSON.');
  }
  if (!isObject(parsed)) fail('Filter policy must be a JSON object');
  const root = parseNode(parsed as Record<string, unknown>, scope);
  const all = alternatives(root);
  if (all.some((counts) => counts.length > MAX_KEYS)) {
    fail(`Filter policy can not have more than ${MAX_KEYS} keys`);
  }
  const combinations = all.reduce((sum, counts) => sum + counts.reduce((p, n) => p * n, 1), 0);
  if (combinations > MAX_COMBINATIONS) fail('Filter policy is too complex');
  return { scope, root };
}

export const FILTER_SCOPES: readonly FilterScope[] = ['MessageAttributes', 'MessageBody'];

// Matching

/** A published message as filter policies see it. */
export interface FilterSubject {
  /** Message attributes by name, as Publish received them. */
  attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: unknown }>;
  body: string;
}

function conditionMatches(condition: Condition, value: Scalar): boolean {
  switch (condition.kind) {
    case 'exact':
      return value === condition.value;
    case 'prefix':
      return typeof value === 'string' && value.startsWith(condition.value);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(condition.value);
    case 'ignoreCase':
      return typeof value === 'string' && value.toLowerCase() === condition.value.toLowerCase();
    case 'anythingBut':
      if (condition.prefix !== undefined) {
        return typeof value === 'string' && !value.startsWith(condition.prefix);
      }
      if (condition.suffix !== undefined) {
        return typeof value === 'string' && !value.endsWith(condition.suffix);
      }
      return !condition.values.includes(value);
    case 'numeric':
      return (
        typeof value === 'number' &&
        condition.tests.every(([op, n]) =>
          op === '='
            ? value === n
            : op === '<'
              ? value < n
              : op === '<='
                ? value <= n
                : op === '>'
                  ? value > n
                  : value >= n,
        )
      );
    case 'exists':
      return condition.value;
  }
}

/** Whether a key's values (undefined: the key is absent) satisfy one of its conditions. */
function keyMatches(conditions: Condition[], values: Scalar[] | undefined): boolean {
  if (values === undefined) return conditions.some((c) => c.kind === 'exists' && !c.value);
  return conditions.some((c) => values.some((value) => conditionMatches(c, value)));
}

/**
 * Attribute values as policies compare them: String as a string, Number as a number,
 * String.Array as its elements; Binary attributes are never compared (absent to the policy).
 */
function attributeValues(attribute: FilterSubject['attributes'][string]): Scalar[] | undefined {
  const type = attribute.DataType.split('.')[0];
  const text = attribute.StringValue;
  if (text === undefined || type === 'Binary') return undefined;
  if (type === 'Number') return [Number(text)];
  if (attribute.DataType.startsWith('String.Array')) {
    try {
      const items = JSON.parse(text) as unknown;
      if (Array.isArray(items)) {
        return items.filter((item): item is Scalar => item === null || typeof item !== 'object');
      }
    } catch {
      return undefined;
    }
  }
  return [text];
}

/** Values at `key` of a body object: arrays (of values or objects) are searched element-wise. */
function bodyChildren(parents: unknown[], key: string): unknown[] {
  return parents.flatMap((parent) => {
    if (!isObject(parent) || !Object.hasOwn(parent, key)) return [];
    const value = parent[key];
    return Array.isArray(value) ? value : [value];
  });
}

function nodeMatches(node: FilterNode, lookup: (key: string) => unknown[] | undefined): boolean {
  for (const [key, spec] of node.fields) {
    const found = lookup(key);
    if (Array.isArray(spec)) {
      const scalars = found?.filter((v): v is Scalar => v === null || typeof v !== 'object');
      if (!keyMatches(spec, found === undefined || found.length === 0 ? undefined : scalars)) {
        return false;
      }
    } else {
      const objects = found ?? [];
      if (!nodeMatches(spec, (child) => nonEmpty(bodyChildren(objects, child)))) return false;
    }
  }
  return node.ors.every((or) => or.some((alternative) => nodeMatches(alternative, lookup)));
}

const nonEmpty = (values: unknown[]) => (values.length > 0 ? values : undefined);

/** Whether a message passes the policy (a subscription without one receives everything). */
export function filterMatches(policy: FilterPolicy, message: FilterSubject): boolean {
  if (policy.scope === 'MessageAttributes') {
    return nodeMatches(policy.root, (key) =>
      Object.hasOwn(message.attributes, key)
        ? attributeValues(message.attributes[key]!)
        : undefined,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    // A body that is not JSON never matches a MessageBody policy.
    return false;
  }
  if (!isObject(body)) return false;
  return nodeMatches(policy.root, (key) => nonEmpty(bodyChildren([body], key)));
}
