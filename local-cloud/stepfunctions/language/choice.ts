import { runtimeError } from './errors';
import { tryReadReferencePath } from './json-path';
import { compareInstants, isTimestamp, parseTimestamp } from './timestamp';

/**
 * Choice rules (https://states-language.net/spec.html#choice-state,
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html). "The values of
 * Variable and Path fields in a comparison must be valid Reference Paths", so both are read as
 * single-node paths.
 *
 * Type mismatches, as AWS behaves:
 * - a Variable of the wrong type makes the comparison false (spec: "if the values are not both
 *   of the appropriate type ... the comparison will return false");
 * - a Variable or a *Path operand that matches nothing fails with States.Runtime ("Invalid path
 *   '$.x': The choice state's condition path references an invalid value.");
 * - a *Path operand of the wrong type makes an *Equals*Path comparison false, but fails an
 *   ordering comparison (LessThan, GreaterThan, ...Equals) with States.Runtime. The spec is silent
 *   here; this follows recorded AWS results (e.g. NumericEqualsPath against a string matches
 *   nothing, StringGreaterThanPath against a number fails with "Invalid value provided at path").
 */

export type ChoiceRule = Record<string, unknown> & { Next?: string };

type Kind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
const COMPARISON =
  /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;
const TYPE_TESTS: Record<string, (value: unknown) => boolean> = {
  IsNull: (value) => value === null,
  IsString: (value) => typeof value === 'string',
  IsNumeric: (value) => typeof value === 'number',
  IsBoolean: (value) => typeof value === 'boolean',
  IsTimestamp: isTimestamp,
};
const NOT_OPERATORS = new Set(['Variable', 'Next', 'Comment']);

const invalidPath = (path: string) =>
  runtimeError(
    `Invalid path '${path}': The choice state's condition path references an invalid value.`,
  );

function hasKind(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case 'String':
      return typeof value === 'string';
    case 'Numeric':
      return typeof value === 'number';
    case 'Boolean':
      return typeof value === 'boolean';
    case 'Timestamp':
      return isTimestamp(value);
  }
}

/** <0, 0 or >0; only called with two values of `kind`. */
function compare(kind: Kind, a: unknown, b: unknown): number {
  switch (kind) {
    case 'Timestamp':
      return compareInstants(parseTimestamp(a)!, parseTimestamp(b)!);
    case 'String':
      // "character-by-character with no special treatments", i.e. by UTF-16 code unit.
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 'Boolean':
      return a === b ? 0 : Number.NaN;
    case 'Numeric':
      return (a as number) - (b as number);
  }
}

function holds(relation: string, diff: number): boolean {
  switch (relation) {
    case 'Equals':
      return diff === 0;
    case 'LessThan':
      return diff < 0;
    case 'GreaterThan':
      return diff > 0;
    case 'LessThanEquals':
      return diff <= 0;
    default:
      return diff >= 0;
  }
}

/**
 * StringMatches: `*` matches any run of characters, `\*` and `\\` are a literal `*` and `\`, and
 * an open escape is a runtime error. A linear two-pointer glob match: no regular expression, so
 * no catastrophic backtracking on hostile patterns.
 */
function matchesPattern(value: string, pattern: string): boolean {
  const tokens: { wildcard: boolean; ch: string }[] = [];
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw runtimeError(`StringMatches: open escape in '${pattern}'`);
      tokens.push({ wildcard: false, ch: next });
      i += 1;
    } else {
      tokens.push({ wildcard: ch === '*', ch });
    }
  }
  let v = 0;
  let t = 0;
  let starToken = -1;
  let starValue = 0;
  while (v < value.length) {
    const token = tokens[t];
    if (token && !token.wildcard && token.ch === value[v]) {
      v += 1;
      t += 1;
    } else if (token?.wildcard) {
      starToken = t;
      starValue = v;
      t += 1;
    } else if (starToken >= 0) {
      t = starToken + 1;
      starValue += 1;
      v = starValue;
    } else {
      return false;
    }
  }
  while (tokens[t]?.wildcard) t += 1;
  return t === tokens.length;
}

export function evaluateRule(rule: ChoiceRule, input: unknown, ctx: unknown): boolean {
  if ('And' in rule || 'Or' in rule) {
    const rules = (rule.And ?? rule.Or) as unknown;
    if (!Array.isArray(rules) || rules.length === 0) {
      throw runtimeError('And / Or must be a non-empty array of Choice rules');
    }
    const typed = rules as ChoiceRule[];
    return 'And' in rule
      ? typed.every((r) => evaluateRule(r, input, ctx))
      : typed.some((r) => evaluateRule(r, input, ctx));
  }
  if ('Not' in rule) {
    if (rule.Not === null || typeof rule.Not !== 'object') {
      throw runtimeError('Not must be a single Choice rule');
    }
    return !evaluateRule(rule.Not as ChoiceRule, input, ctx);
  }
  return evaluateDataTest(rule, input, ctx);
}

function evaluateDataTest(rule: ChoiceRule, input: unknown, ctx: unknown): boolean {
  const variable = rule.Variable;
  if (typeof variable !== 'string') throw runtimeError('Choice rule without a Variable');
  const operators = Object.keys(rule).filter((key) => !NOT_OPERATORS.has(key));
  if (operators.length !== 1) {
    throw runtimeError(
      `A Choice rule needs exactly one comparison operator, found ${operators.length}`,
    );
  }
  const operator = operators[0]!;
  const expected = rule[operator];
  const lookup = tryReadReferencePath(variable, input, ctx);
  if (operator === 'IsPresent') return lookup.found === expected;
  if (!lookup.found) throw invalidPath(variable);
  const value = lookup.value;

  const typeTest = TYPE_TESTS[operator];
  if (typeTest) return typeTest(value) === expected;
  if (operator === 'StringMatches') {
    if (typeof expected !== 'string') throw runtimeError('StringMatches needs a string pattern');
    return typeof value === 'string' && matchesPattern(value, expected);
  }

  const match = COMPARISON.exec(operator);
  if (!match) throw runtimeError(`Unsupported choice operator ${operator}`);
  const kind = match[1] as Kind;
  const relation = match[2]!;
  if (kind === 'Boolean' && relation !== 'Equals') {
    throw runtimeError(`Unsupported choice operator ${operator}`);
  }
  const other = match[3] ? readOperandPath(kind, relation, expected, input, ctx) : expected;
  if (!match[3] && !hasKind(kind, other)) {
    throw runtimeError(`${operator} needs a ${kind.toLowerCase()} value`);
  }
  if (!hasKind(kind, value) || !hasKind(kind, other)) return false;
  return holds(relation, compare(kind, value, other));
}

function readOperandPath(
  kind: Kind,
  relation: string,
  path: unknown,
  input: unknown,
  ctx: unknown,
): unknown {
  if (typeof path !== 'string') throw runtimeError('A *Path operator needs a path');
  const lookup = tryReadReferencePath(path, input, ctx);
  if (!lookup.found) throw invalidPath(path);
  if (relation !== 'Equals' && !hasKind(kind, lookup.value)) {
    throw runtimeError(`Invalid value provided at path '${path}'`);
  }
  return lookup.value;
}
