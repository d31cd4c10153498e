import { describe, expect, test } from 'vitest';
import {
  isReferencePath,
  readPath,
  readReferencePath,
  tryReadPath,
  writePath,
} from '../../../../local-cloud/stepfunctions/language/json-path';
import { expectStatesError } from './expect-states-error';

// https://states-language.net/spec.html#ref-paths and
// https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html
const guideInput = {
  foo: 123,
  bar: ['a', 'b', 'c'],
  car: { cdr: true },
  jar: [{ a: 1 }, { a: 5 }, { a: 2 }, { a: 7 }, { a: 3 }],
};

const store = {
  store: {
    book: [
      { title: 'Sayings', price: 8.95, category: 'reference' },
      { title: 'Sword', price: 12.99, category: 'fiction' },
      { title: 'Moby', price: 8.99, category: 'fiction', isbn: '0-553' },
      { title: 'Rings', price: 22.99, category: 'fiction', isbn: '0-395' },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  'odd key': 2,
  'store.book': 'escaped',
};

describe('readPath', () => {
  test.each<[string, unknown, unknown]>([
    // The guide's reference-path examples.
    ['$.foo', guideInput, 123],
    ['$.bar', guideInput, ['a', 'b', 'c']],
    ['$.car.cdr', guideInput, true],
    ['$.jar[?(@.a >= 5)]', guideInput, [{ a: 5 }, { a: 7 }]],
    // The spec's Payload Template example: "$.vals[0]" and "$.vals[-3:]".
    ['$.vals[0]', { vals: [0, 10, 20, 30, 40, 50] }, 0],
    ['$.vals[-3:]', { vals: [0, 10, 20, 30, 40, 50] }, [30, 40, 50]],
    // The spec's "$.a[0,1]" example: several values are gathered into an array.
    ['$.a[0,1]', { a: [1, 2, 3, 4] }, [1, 2]],
    // The guide's flatten example, "$[*][*]".
    ['$[*][*]', [[1, 2], [3], [4, 5]], [1, 2, 3, 4, 5]],
    ['$', guideInput, guideInput],
    ["$['odd key']", store, 2],
    ['$["odd key"]', store, 2],
    ['$.store\\.book', store, 'escaped'],
    ['$.bar[-1]', guideInput, 'c'],
    ['$.bar[1:]', guideInput, ['b', 'c']],
    ['$.bar[:2]', guideInput, ['a', 'b']],
    ['$.bar[::2]', guideInput, ['a', 'c']],
    ['$.bar[::-1]', guideInput, ['c', 'b', 'a']],
    ['$.bar[5:]', guideInput, []],
    ['$.car.*', guideInput, [true]],
    ["$.store.book[*]['title','price']", { store: { book: [{ title: 'A', price: 1 }] } }, ['A', 1]],
    ['$..price', store, [8.95, 12.99, 8.99, 22.99, 19.95]],
    ['$..book[0].title', store, ['Sayings']],
    ['$.store.book[?(@.price > 10)].title', store, ['Sword', 'Rings']],
    ['$.store.book[?(@.price < 10 && @.category == "fiction")].title', store, ['Moby']],
    [
      "$.store.book[?(@.category == 'reference' || @.price > 20)].title",
      store,
      ['Sayings', 'Rings'],
    ],
    ['$.store.book[?(@.isbn)].title', store, ['Moby', 'Rings']],
    ['$.store.book[?(!@.isbn)].title', store, ['Sayings', 'Sword']],
    ['$.store.book[?(@.category != "fiction")].title', store, ['Sayings']],
    ['$.store.book[?((@.price >= 12.99) && !(@.price > 20))].title', store, ['Sword']],
    ['$.store.book[?(@.price > 100)]', store, []],
    // "The @ operator ... does not match scalar values. It only matches objects."
    ["$.bar[?(@ == 'a')]", guideInput, []],
    // A filter on an object tests the object itself (Jayway).
    ['$.store.bicycle[?(@.color == "red")].price', store, [19.95]],
    [
      '$.items[?(@.meta.ok == true)].id',
      { items: [{ id: 1, meta: { ok: true } }, { id: 2 }] },
      [1],
    ],
    [
      '$.items[?(@.n == null)].id',
      {
        items: [
          { id: 1, n: null },
          { id: 2, n: 0 },
        ],
      },
      [1],
    ],
    [
      '$.items[?(@.n > "5")].id',
      {
        items: [
          { id: 1, n: 6 },
          { id: 2, n: '6' },
        ],
      },
      [2],
    ],
  ])('%s', (path, input, expected) => {
    expect(readPath(path, input, {})).toEqual(expected);
  });

  test('$$ reads the context object', () => {
    expect(readPath('$$.Task.Token', {}, { Task: { Token: 't' } })).toBe('t');
    expect(readPath('$$.Execution.Input.a', {}, { Execution: { Input: { a: 1 } } })).toBe(1);
  });

  test.each([
    ['$.missing', guideInput],
    ['$.foo.bar', guideInput],
    ['$.bar[3]', guideInput],
    ['$.bar[-4]', guideInput],
    ['$.car[0]', guideInput],
  ])('a definite path that matches nothing is States.Runtime: %s', (path, input) => {
    expectStatesError(() => readPath(path, input, {}), 'States.Runtime');
    expect(tryReadPath(path, input, {})).toEqual({ found: false });
  });

  test('a present null is found', () => {
    expect(tryReadPath('$.a', { a: null }, {})).toEqual({ found: true, value: null });
  });

  test.each([
    ['foo', 'must start with'],
    ['$.', 'empty field name'],
    ['$[', 'unsupported selector'],
    ['$.a[0', "missing ']'"],
    ['$.a[?(@.b =~ /x/)]', 'regular expressions'],
    ['$.a[?(@.b in [1])]', "'in' is not supported"],
    ['$.a[?(@.b subsetof [1])]', "'subsetof' is not supported"],
    ['$.a.length()', 'length()'],
    ['$.a[?(@.b == $.c)]', 'other values'],
    ['$.a[::0]', 'step cannot be 0'],
    ['$.a[?(@.b > 1]', "missing ')'"],
    ['$.a\\', 'open escape'],
  ])('unsupported or malformed syntax is States.Runtime: %s', (path, message) => {
    const error = expectStatesError(() => readPath(path, { a: [] }, {}), 'States.Runtime');
    expect(error.cause).toContain(message);
  });

  test('a filter is never run as code', () => {
    const probe = "$.a[?(@.b == 'x'); globalThis.hacked = true; ('')]";
    expectStatesError(() => readPath(probe, { a: [{ b: 'x' }] }, {}), 'States.Runtime');
    expect((globalThis as Record<string, unknown>).hacked).toBeUndefined();
  });

  test('stacked recursive descent on deep input is bounded', () => {
    let deep: unknown = 1;
    for (let k = 0; k < 2000; k += 1) deep = [deep];
    expectStatesError(() => readPath('$..*..*', deep, {}), 'States.Runtime');
  });
});

describe('reference paths', () => {
  test.each([
    ['$.foo', true],
    ['$.ledgers.branch[0].pending.count', true],
    ["$['store'][0]['book']", true],
    ['$.foo\\@bar.baz\\[\\[.\\?pretty', true],
    ['$.bar[*]', false],
    ['$.bar[0,1]', false],
    ['$.bar[0:1]', false],
    ['$..foo', false],
    ['$.jar[?(@.a >= 5)]', false],
  ])('%s is a reference path: %s', (path, expected) => {
    expect(isReferencePath(path)).toBe(expected);
  });

  test('readReferencePath refuses multi-node paths', () => {
    expect(readReferencePath('$.car.cdr', guideInput, {})).toBe(true);
    expectStatesError(() => readReferencePath('$.bar[*]', guideInput, {}), 'States.Runtime');
  });
});

describe('writePath (ResultPath)', () => {
  test.each<[string, unknown, unknown, unknown]>([
    // The spec's examples (https://states-language.net/spec.html#filters).
    ['$.master.detail', { master: { detail: [1, 2, 3] } }, 6, { master: { detail: 6 } }],
    [
      '$.master.result.sum',
      { master: { detail: [1, 2, 3] } },
      6,
      { master: { detail: [1, 2, 3], result: { sum: 6 } } },
    ],
    ['$.b.greeting', { a: 1 }, 'Hi!', { a: 1, b: { greeting: 'Hi!' } }],
    ['$', { a: 1 }, 'Hi!', 'Hi!'],
    ['$.list[1]', { list: [1, 2] }, 9, { list: [1, 9] }],
    ["$['error-info']", {}, { Error: 'E' }, { 'error-info': { Error: 'E' } }],
  ])('%s', (path, input, value, expected) => {
    expect(writePath(path, input, value)).toEqual(expected);
  });

  test('does not modify its input', () => {
    const input = { a: { b: 1 } };
    writePath('$.a.c', input, 2);
    expect(input).toEqual({ a: { b: 1 } });
  });

  test.each<[string, unknown]>([
    // The spec's example: input "foo", ResultPath "$.x".
    ['$.x', 'foo'],
    ['$.x', [1, 2]],
    ['$.x', null],
    ['$.x', 5],
    ['$.a.b', { a: 'text' }],
    ['$.list[5]', { list: [1] }],
    ['$[0]', { a: 1 }],
  ])('%s on %j is States.ResultPathMatchFailure', (path, input) => {
    expectStatesError(() => writePath(path, input, 1), 'States.ResultPathMatchFailure');
  });

  test.each(['$$.x', '$.a[*]', '$..a', '$.a[?(@.b)]'])('%s is not a valid ResultPath', (path) => {
    expectStatesError(() => writePath(path, {}, 1), 'States.Runtime');
  });
});
