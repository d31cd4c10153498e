import { describe, expect, test } from 'vitest';
import {
  filterMatches,
  parseFilterPolicy,
  type FilterScope,
  type FilterSubject,
} from '../../../local-cloud/sns/filter-policy';

/** The filter policy matcher on its own: each operator, both scopes, and the documented limits. */
const attrs = (values: Record<string, string | number | string[]>): FilterSubject => ({
  body: '',
  attributes: Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? { DataType: 'String.Array', StringValue: JSON.stringify(value) }
        : typeof value === 'number'
          ? { DataType: 'Number', StringValue: String(value) }
          : { DataType: 'String', StringValue: value },
    ]),
  ),
});
const body = (value: unknown): FilterSubject => ({ attributes: {}, body: JSON.stringify(value) });

const matches = (
  policy: object,
  subject: FilterSubject,
  scope: FilterScope = 'MessageAttributes',
) => filterMatches(parseFilterPolicy(JSON.stringify(policy), scope), subject);

describe('attribute scope', () => {
  test('exact strings (case-sensitive) and String.Array elements', () => {
    expect(matches({ kind: ['order', 'refund'] }, attrs({ kind: 'refund' }))).toBe(true);
    expect(matches({ kind: ['order'] }, attrs({ kind: 'Order' }))).toBe(false);
    expect(matches({ kind: ['order'] }, attrs({ kind: ['x', 'order'] }))).toBe(true);
    expect(matches({ kind: ['order'] }, attrs({}))).toBe(false);
  });

  test('numbers: exact and ranges, only against Number attributes', () => {
    expect(matches({ total: [100] }, attrs({ total: 100 }))).toBe(true);
    expect(matches({ total: [100] }, attrs({ total: '100' }))).toBe(false);
    expect(matches({ total: [{ numeric: ['>', 0, '<=', 150] }] }, attrs({ total: 150 }))).toBe(
      true,
    );
    expect(matches({ total: [{ numeric: ['>', 0, '<=', 150] }] }, attrs({ total: 150.5 }))).toBe(
      false,
    );
    expect(matches({ total: [{ numeric: ['=', 7.5] }] }, attrs({ total: 7.5 }))).toBe(true);
  });

  test('prefix, suffix, equals-ignore-case', () => {
    expect(matches({ kind: [{ prefix: 'order.' }] }, attrs({ kind: 'order.created' }))).toBe(true);
    expect(matches({ kind: [{ suffix: '.created' }] }, attrs({ kind: 'order.created' }))).toBe(
      true,
    );
    expect(matches({ kind: [{ suffix: '.created' }] }, attrs({ kind: 'order.shipped' }))).toBe(
      false,
    );
    expect(matches({ kind: [{ 'equals-ignore-case': 'ORDER' }] }, attrs({ kind: 'order' }))).toBe(
      true,
    );
  });

  test('anything-but: values, numbers, prefix; the attribute must be present', () => {
    expect(
      matches({ kind: [{ 'anything-but': ['test', 'debug'] }] }, attrs({ kind: 'order' })),
    ).toBe(true);
    expect(matches({ kind: [{ 'anything-but': 'test' }] }, attrs({ kind: 'test' }))).toBe(false);
    expect(matches({ total: [{ 'anything-but': [0] }] }, attrs({ total: 3 }))).toBe(true);
    expect(
      matches(
        { kind: [{ 'anything-but': { prefix: 'internal-' } }] },
        attrs({ kind: 'internal-x' }),
      ),
    ).toBe(false);
    expect(matches({ kind: [{ 'anything-but': 'test' }] }, attrs({}))).toBe(false);
  });

  test('exists, and every key must match (AND), any value of a key (OR)', () => {
    expect(matches({ trace: [{ exists: true }] }, attrs({ trace: 'x' }))).toBe(true);
    expect(matches({ trace: [{ exists: false }] }, attrs({ trace: 'x' }))).toBe(false);
    expect(matches({ trace: [{ exists: false }] }, attrs({}))).toBe(true);
    expect(
      matches(
        { kind: ['order'], total: [{ numeric: ['>', 10] }] },
        attrs({ kind: 'order', total: 5 }),
      ),
    ).toBe(false);
    expect(
      matches(
        { kind: ['order'], total: [{ numeric: ['>', 10] }] },
        attrs({ kind: 'order', total: 50 }),
      ),
    ).toBe(true);
  });

  test('$or combines alternatives with the other keys', () => {
    const policy = {
      source: ['shop'],
      $or: [{ kind: ['order'] }, { total: [{ numeric: ['>', 1000] }] }],
    };
    expect(matches(policy, attrs({ source: 'shop', kind: 'order' }))).toBe(true);
    expect(matches(policy, attrs({ source: 'shop', kind: 'refund', total: 5000 }))).toBe(true);
    expect(matches(policy, attrs({ source: 'shop', kind: 'refund', total: 5 }))).toBe(false);
    expect(matches(policy, attrs({ source: 'ops', kind: 'order' }))).toBe(false);
  });

  test('Binary attributes are never compared', () => {
    const subject: FilterSubject = {
      body: '',
      attributes: { blob: { DataType: 'Binary', BinaryValue: 'AQI=' } },
    };
    expect(matches({ blob: [{ exists: true }] }, subject)).toBe(false);
  });
});

describe('body scope', () => {
  test('nested keys, arrays of values and of objects, booleans and null', () => {
    const order = {
      order: { region: 'eu-west-1', lines: [{ sku: 'A' }, { sku: 'B' }], gift: true, note: null },
      tags: ['vip'],
    };
    expect(matches({ order: { region: [{ prefix: 'eu-' }] } }, body(order), 'MessageBody')).toBe(
      true,
    );
    expect(matches({ order: { lines: { sku: ['B'] } } }, body(order), 'MessageBody')).toBe(true);
    expect(matches({ order: { gift: [true], note: [null] } }, body(order), 'MessageBody')).toBe(
      true,
    );
    expect(matches({ tags: ['vip'] }, body(order), 'MessageBody')).toBe(true);
    expect(matches({ order: { region: ['us-east-1'] } }, body(order), 'MessageBody')).toBe(false);
    expect(matches({ order: { missing: [{ exists: false }] } }, body(order), 'MessageBody')).toBe(
      true,
    );
  });

  test('a body that is not a JSON object never matches', () => {
    expect(matches({ a: ['b'] }, { attributes: {}, body: 'plain text' }, 'MessageBody')).toBe(
      false,
    );
    expect(matches({ a: ['b'] }, body(['b']), 'MessageBody')).toBe(false);
  });
});

describe('checks and limits', () => {
  const refuse = (policy: unknown, scope: FilterScope = 'MessageAttributes') => {
    try {
      parseFilterPolicy(typeof policy === 'string' ? policy : JSON.stringify(policy), scope);
    } catch (error) {
      return { name: (error as Error).name, message: (error as Error).message };
    }
    return undefined;
  };

  test('at most five keys', () => {
    const keys = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, ['v']]));
    expect(refuse(keys(5))).toBeUndefined();
    expect(refuse(keys(6))).toEqual({
      name: 'InvalidParameter',
      message: 'Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys',
    });
  });

  test('at most 150 combinations (the product of the value counts, summed over $or branches)', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
    expect(refuse({ a: values(10), b: values(15) })).toBeUndefined();
    expect(refuse({ a: values(10), b: values(16) })?.message).toBe(
      'Invalid parameter: FilterPolicy: Filter policy is too complex',
    );
    expect(refuse({ a: values(5), $or: [{ b: values(15) }, { c: values(15) }] })).toBeUndefined();
    expect(refuse({ a: values(6), $or: [{ b: values(15) }, { c: values(15) }] })?.message).toMatch(
      /too complex/,
    );
  });

  test('syntax: JSON, arrays, operators, ranges, nesting by scope', () => {
    expect(refuse('{not json')?.message).toMatch(/failed to parse JSON/);
    expect(refuse({ a: 'b' })?.message).toMatch(/must be an object or an array/);
    expect(refuse({ a: [] })?.message).toMatch(/Empty arrays/);
    expect(refuse({ a: [{ prefixx: 'b' }] })?.message).toMatch(/Unrecognized match type prefixx/);
    expect(refuse({ a: [{ numeric: ['>', 'one'] }] })?.message).toMatch(/must be numeric/);
    expect(refuse({ a: [{ numeric: ['>', 10, '<', 5] }] })?.message).toMatch(
      /Bottom must be less than top/,
    );
    expect(refuse({ a: [{ numeric: ['>', 2e9] }] })?.message).toMatch(
      /within -1000000000 and 1000000000/,
    );
    expect(refuse({ a: [{ exists: 'yes' }] })?.message).toMatch(/exists/);
    expect(refuse({ a: { b: ['c'] } })?.message).toMatch(/does not support nested/);
    expect(refuse({ a: { b: ['c'] } }, 'MessageBody')).toBeUndefined();
    expect(refuse({ $or: [{ a: ['b'] }] })?.message).toMatch(/\$or/);
  });
});
