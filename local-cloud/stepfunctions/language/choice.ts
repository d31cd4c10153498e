import { runtimeError } from './errors';
import { readPath, tryReadPath } from './json-path';

export type ChoiceRule = Record<string, unknown> & { Next?: string };

const COMPARISON =
  /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;

function typeMatches(kind: string, value: unknown): boolean {
  switch (kind) {
    case 'String':
      return typeof value === 'string';
    case 'Numeric':
      return typeof value === 'number';
    case 'Boolean':
      return typeof value === 'boolean';
    default:
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
  }
}

function compare(kind: string, a: unknown, b: unknown): number {
  if (kind === 'Timestamp') return Date.parse(a as string) - Date.parse(b as string);
  if (kind === 'String')
    return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  if (kind === 'Boolean') return a === b ? 0 : 1;
  return (a as number) - (b as number);
}

/** `*` matches any run of characters; `\*` and `\\` are escapes (ASL StringMatches). */
function matchesPattern(value: string, pattern: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      source += pattern[i + 1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i += 1;
    } else if (ch === '*') source += '.*';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's').test(value);
}

export function evaluateRule(rule: ChoiceRule, input: unknown, ctx: unknown): boolean {
  if (Array.isArray(rule.And))
    return (rule.And as ChoiceRule[]).every((r) => evaluateRule(r, input, ctx));
  if (Array.isArray(rule.Or))
    return (rule.Or as ChoiceRule[]).some((r) => evaluateRule(r, input, ctx));
  if (rule.Not) return !evaluateRule(rule.Not as ChoiceRule, input, ctx);
  const variable = rule.Variable;
  if (typeof variable !== 'string') throw runtimeError('Choice rule without Variable');
  const lookup = tryReadPath(variable, input, ctx);
  if ('IsPresent' in rule) return lookup.found === rule.IsPresent;
  if (!lookup.found) {
    throw runtimeError(
      `Invalid path '${variable}': The choice state's condition path references an invalid value.`,
    );
  }
  const value = lookup.value;
  for (const [op, expected] of Object.entries(rule)) {
    if (op === 'Variable' || op === 'Next') continue;
    switch (op) {
      case 'IsNull':
        return (value === null) === expected;
      case 'IsString':
        return (typeof value === 'string') === expected;
      case 'IsNumeric':
        return (typeof value === 'number') === expected;
      case 'IsBoolean':
        return (typeof value === 'boolean') === expected;
      case 'IsTimestamp':
        return typeMatches('Timestamp', value) === expected;
      case 'StringMatches':
        return typeof value === 'string' && matchesPattern(value, String(expected));
    }
    const match = COMPARISON.exec(op);
    if (!match) throw runtimeError(`Unsupported choice operator ${op}`);
    const [, kind, relation, isPath] = match as unknown as [
      string,
      string,
      string,
      string | undefined,
    ];
    const other = isPath ? readPath(String(expected), input, ctx) : expected;
    if (!typeMatches(kind, value) || !typeMatches(kind, other)) return false;
    const diff = compare(kind, value, other);
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
  throw runtimeError('Choice rule without a comparison');
}
