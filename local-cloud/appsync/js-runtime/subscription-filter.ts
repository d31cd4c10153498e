/** The shape `util.transform.toSubscriptionFilter` returns and AppSync evaluates. */
export interface SubscriptionFilter {
  filterGroup: { filters: FilterCondition[] }[];
}

export interface FilterCondition {
  fieldName: string;
  operator: string;
  value: unknown;
}

const OPERATORS = new Set([
  'eq',
  'ne',
  'le',
  'lt',
  'ge',
  'gt',
  'contains',
  'notContains',
  'beginsWith',
  'in',
  'notIn',
  'between',
  'containsAny',
  'attributeExists',
]);

type FilterInput = Record<string, unknown>;

/** Conditions of one AND-ed object; `or` splits it into alternatives, `and` nests. */
function expand(input: FilterInput, ignored: Set<string>): FilterCondition[][] {
  let alternatives: FilterCondition[][] = [[]];
  for (const [key, spec] of Object.entries(input)) {
    if (ignored.has(key) || spec === undefined) continue;
    if (key === 'or' || key === 'and') {
      if (!Array.isArray(spec)) throw new Error(`toSubscriptionFilter: '${key}' needs a list`);
      const parts = spec.map((s) => expand(s as FilterInput, ignored));
      if (key === 'or') {
        alternatives = alternatives.flatMap((a) => parts.flat().map((p) => [...a, ...p]));
      } else {
        for (const part of parts) {
          alternatives = alternatives.flatMap((a) => part.map((p) => [...a, ...p]));
        }
      }
      continue;
    }
    if (typeof spec !== 'object' || spec === null) {
      throw new Error(`toSubscriptionFilter: '${key}' needs an operator object`);
    }
    for (const [operator, value] of Object.entries(spec)) {
      if (!OPERATORS.has(operator)) {
        throw new Error(`toSubscriptionFilter: unsupported operator '${operator}'`);
      }
      alternatives = alternatives.map((a) => [...a, { fieldName: key, operator, value }]);
    }
  }
  return alternatives;
}

export function toSubscriptionFilter(
  input: FilterInput,
  ignoredFields?: string[],
): SubscriptionFilter {
  const groups = expand(input, new Set(ignoredFields ?? []));
  // AppSync caps a filter at 10 groups of 5 conditions; larger filters fail at subscribe time.
  if (groups.length > 10 || groups.some((g) => g.length > 5)) {
    throw new Error('Subscription filter exceeds 10 groups or 5 conditions per group');
  }
  return { filterGroup: groups.map((filters) => ({ filters })) };
}

function valueAt(data: unknown, path: string): unknown {
  let current = data;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function holds({ fieldName, operator, value }: FilterCondition, data: unknown): boolean {
  const actual = valueAt(data, fieldName);
  const cmp = compare(actual, value);
  switch (operator) {
    case 'eq':
      return actual === value;
    case 'ne':
      return actual !== value;
    case 'lt':
      return cmp !== undefined && cmp < 0;
    case 'le':
      return cmp !== undefined && cmp <= 0;
    case 'gt':
      return cmp !== undefined && cmp > 0;
    case 'ge':
      return cmp !== undefined && cmp >= 0;
    case 'contains':
      return Array.isArray(actual)
        ? actual.includes(value)
        : typeof actual === 'string' && actual.includes(String(value));
    case 'notContains':
      return !holds({ fieldName, operator: 'contains', value }, data);
    case 'beginsWith':
      return typeof actual === 'string' && actual.startsWith(String(value));
    case 'in':
      return Array.isArray(value) && value.includes(actual);
    case 'notIn':
      return Array.isArray(value) && !value.includes(actual);
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2) return false;
      const lo = compare(actual, value[0]);
      const hi = compare(actual, value[1]);
      return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0;
    }
    case 'containsAny':
      return Array.isArray(actual) && Array.isArray(value) && value.some((v) => actual.includes(v));
    case 'attributeExists':
      return (actual !== undefined && actual !== null) === Boolean(value);
    default:
      return false;
  }
}

/** Groups are alternatives; the conditions inside a group must all hold. */
export function matchesFilter(filter: SubscriptionFilter, data: unknown): boolean {
  return filter.filterGroup.some((group) => group.filters.every((c) => holds(c, data)));
}
