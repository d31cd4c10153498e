import { describe, expect, test } from 'vitest';
import {
  evaluateIntrinsic,
  isIntrinsic,
} from '../../../../local-cloud/stepfunctions/language/intrinsics';
import { expectStatesError } from './expect-states-error';

// Examples from https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
// (input -> output), plus the grammar of https://states-language.net/spec.html#intrinsic-functions.
const examples: [string, string, unknown, unknown][] = [
  [
    'States.Format literal template',
    "States.Format('Hello, my name is {}.', $.name)",
    { name: 'Arnav' },
    'Hello, my name is Arnav.',
  ],
  [
    'States.Format template from a path',
    'States.Format($.template, $.name)',
    { name: 'Arnav', template: 'Hello, my name is {}.' },
    'Hello, my name is Arnav.',
  ],
  [
    "the spec's escaped apostrophe",
    "States.Format('Welcome to {} {}\\'s playlist.', $.firstName, $.lastName)",
    { firstName: 'John', lastName: 'Doe' },
    "Welcome to John Doe's playlist.",
  ],
  [
    'States.Format escapes \\{ \\} \\\\',
    'States.Format(\'\\{"id": "{}"\\} \\\\ {}\', $.id, 7)',
    { id: 'x' },
    '{"id": "x"} \\ 7',
  ],
  [
    'States.Format numbers, booleans, null',
    "States.Format('{} {} {}', 1.5, true, null)",
    {},
    '1.5 true null',
  ],
  [
    'States.StringToJson',
    'States.StringToJson($.escapedJsonString)',
    { escapedJsonString: '{"foo": "bar"}' },
    { foo: 'bar' },
  ],
  ['States.StringToJson literal', 'States.StringToJson(\'\\{"a":1\\}\')', {}, { a: 1 }],
  [
    'States.JsonToString',
    'States.JsonToString($.unescapedJson)',
    { unescapedJson: { foo: 'bar' } },
    '{"foo":"bar"}',
  ],
  ['States.Array', 'States.Array($.Id)', { Id: 123456 }, [123456]],
  ['States.Array empty', 'States.Array()', {}, []],
  [
    'States.Array of literals',
    "States.Array('a', 1, -2.5e1, true, false, null)",
    {},
    ['a', 1, -25, true, false, null],
  ],
  [
    'States.ArrayPartition',
    'States.ArrayPartition($.inputArray,4)',
    { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
    [[1, 2, 3, 4], [5, 6, 7, 8], [9]],
  ],
  [
    'States.ArrayContains',
    'States.ArrayContains($.inputArray, $.lookingFor)',
    { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], lookingFor: 5 },
    true,
  ],
  [
    'States.ArrayContains deep equality',
    'States.ArrayContains($.a, $.b)',
    { a: [{ x: 1, y: [2] }], b: { y: [2], x: 1 } },
    true,
  ],
  ['States.ArrayRange', 'States.ArrayRange(1, 9, 2)', {}, [1, 3, 5, 7, 9]],
  ['States.ArrayRange descending', 'States.ArrayRange(5, 1, -2)', {}, [5, 3, 1]],
  ['States.ArrayRange wrong direction', 'States.ArrayRange(1, 5, -1)', {}, []],
  ['States.ArrayRange 1000 items', 'States.ArrayLength(States.ArrayRange(1, 1000, 1))', {}, 1000],
  [
    'States.ArrayGetItem',
    'States.ArrayGetItem($.inputArray, $.index)',
    { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], index: 5 },
    6,
  ],
  [
    'States.ArrayLength',
    'States.ArrayLength($.inputArray)',
    { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
    9,
  ],
  [
    'States.ArrayUnique',
    'States.ArrayUnique($.inputArray)',
    { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] },
    [1, 2, 3, 4],
  ],
  [
    'States.Base64Encode',
    'States.Base64Encode($.input)',
    { input: 'Data to encode' },
    'RGF0YSB0byBlbmNvZGU=',
  ],
  [
    'States.Base64Decode',
    'States.Base64Decode($.base64)',
    { base64: 'RGF0YSB0byBlbmNvZGU=' },
    'Data to encode',
  ],
  [
    'States.Hash SHA-1',
    'States.Hash($.Data, $.Algorithm)',
    { Data: 'input data', Algorithm: 'SHA-1' },
    'aaff4a450a104cd177d28d18d74485e8cae074b7',
  ],
  [
    'States.Hash MD5',
    "States.Hash($.Data, 'MD5')",
    { Data: 'input data' },
    '812f45842bc6d66ee14572ce20db8e86',
  ],
  [
    'States.Hash SHA-256',
    "States.Hash($.Data, 'SHA-256')",
    { Data: 'input data' },
    'b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3',
  ],
  [
    'States.JsonMerge',
    'States.JsonMerge($.json1, $.json2, false)',
    { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } },
    { a: { a3: 1, a4: 2 }, b: 2, c: 3 },
  ],
  ['States.MathAdd', 'States.MathAdd($.value1, $.step)', { value1: 111, step: -1 }, 110],
  [
    'States.StringSplit',
    'States.StringSplit($.inputString, $.splitter)',
    { inputString: '1,2,3,4,5', splitter: ',' },
    ['1', '2', '3', '4', '5'],
  ],
  [
    'States.StringSplit with several delimiters',
    'States.StringSplit($.inputString, $.splitter)',
    { inputString: 'This.is+a,test=string', splitter: '.+,=' },
    ['This', 'is', 'a', 'test', 'string'],
  ],
  [
    // The guide's nine nested intrinsics. Its template has three {} for two values, which its own
    // rule ("as many remaining arguments ... as there are occurrences of {}") refuses: two here.
    "the guide's nine nested intrinsics",
    "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))",
    { ImageRecipe: { Arn: 'arn:aws:imagebuilder:us-east-1:1:image-recipe/my.recipe.v1/1.0.0' } },
    '1.0',
  ],
  [
    'paths with brackets, filters and the context object',
    "States.Array($['odd key'], $.items[?(@.n > 1)].n, $$.Execution.Name)",
    { 'odd key': 1, items: [{ n: 1 }, { n: 2 }] },
    [1, [2], 'exec-1'],
  ],
  [
    'States.Format with a nested call',
    "States.Format('{} has {} items', $.n, States.ArrayLength($.l))",
    { n: 'o1', l: [1, 2] },
    'o1 has 2 items',
  ],
];

describe('intrinsic functions: documented examples', () => {
  test.each(examples)('%s', (_, expression, input, expected) => {
    expect(evaluateIntrinsic(expression, input, { Execution: { Name: 'exec-1' } })).toEqual(
      expected,
    );
  });

  test('States.UUID is a v4 UUID', () => {
    expect(evaluateIntrinsic('States.UUID()', {}, {})).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  test('States.MathRandom stays in [start, end) and a seed makes it reproducible', () => {
    for (let k = 0; k < 200; k += 1) {
      const value = evaluateIntrinsic(
        'States.MathRandom($.start, $.end)',
        { start: 1, end: 5 },
        {},
      );
      expect([1, 2, 3, 4]).toContain(value);
    }
    const seeded = () => evaluateIntrinsic('States.MathRandom(1, 999, 42)', {}, {});
    expect(seeded()).toBe(seeded());
    expect(Number.isInteger(seeded())).toBe(true);
  });

  test('isIntrinsic: a .$ value is an intrinsic unless it starts with $', () => {
    expect(isIntrinsic('States.UUID()')).toBe(true);
    expect(isIntrinsic('$.a')).toBe(false);
    expect(isIntrinsic('$$.Execution.Id')).toBe(false);
  });
});

const ten = (inner: string) => {
  let expression = inner;
  for (let k = 0; k < 10; k += 1) expression = `States.Array(${expression})`;
  return expression;
};

const failures: [string, string, unknown][] = [
  // States.Format
  ['Format with too few values', "States.Format('{} and {}', 'a')", {}],
  ['Format with too many values', "States.Format('{}', 'a', 'b')", {}],
  ['Format with no arguments', 'States.Format()', {}],
  ['Format of a non-string template', 'States.Format(1)', {}],
  ['Format with an object value', "States.Format('{}', $.o)", { o: { a: 1 } }],
  ['escaped braces are not placeholders', "States.Format('\\{\\}', 'a')", {}],
  ['unescaped lone brace', "States.Format('a { b', 'x')", {}],
  ['open escape', "States.Format('a \\n')", {}],
  ['unterminated string', "States.Format('abc", {}],
  // JSON
  ['StringToJson of invalid JSON', "States.StringToJson('nope')", {}],
  ['StringToJson of a number', 'States.StringToJson(1)', {}],
  ['JsonToString with two arguments', 'States.JsonToString($.a, $.a)', { a: 1 }],
  ['JsonMerge deep', 'States.JsonMerge($.a, $.b, true)', { a: {}, b: {} }],
  ['JsonMerge without the mode', 'States.JsonMerge($.a, $.b)', { a: {}, b: {} }],
  ['JsonMerge of an array', 'States.JsonMerge($.a, $.b, false)', { a: [], b: {} }],
  // Arrays
  ['ArrayPartition with chunk 0', 'States.ArrayPartition($.array, 0)', { array: [1, 2] }],
  ['ArrayPartition with a negative chunk', 'States.ArrayPartition($.array, -1)', { array: [1] }],
  ['ArrayPartition with a fractional chunk', 'States.ArrayPartition($.array, 1.5)', { array: [1] }],
  ['ArrayPartition of a string', "States.ArrayPartition('abc', 1)", {}],
  ['ArrayContains with one argument', 'States.ArrayContains($.a)', { a: [] }],
  ['ArrayRange over 1,000 items', 'States.ArrayRange(1, 1001, 1)', {}],
  ['ArrayRange of a billion items', 'States.ArrayRange(0, 1000000000, 1)', {}],
  ['ArrayRange step 0', 'States.ArrayRange(1, 5, 0)', {}],
  ['ArrayRange of non-integers', 'States.ArrayRange(1, 5, 0.5)', {}],
  ['ArrayRange with two arguments', 'States.ArrayRange(1, 5)', {}],
  ['ArrayGetItem past the end', 'States.ArrayGetItem($.a, 3)', { a: [1, 2, 3] }],
  ['ArrayGetItem negative', 'States.ArrayGetItem($.a, -1)', { a: [1, 2, 3] }],
  ['ArrayGetItem with a string index', "States.ArrayGetItem($.a, '0')", { a: [1] }],
  ['ArrayLength of an object', 'States.ArrayLength($.a)', { a: {} }],
  ['ArrayUnique of a string', "States.ArrayUnique('aa')", {}],
  // Encoding and hashing
  ['Base64Encode over 10,000 characters', 'States.Base64Encode($.s)', { s: 'x'.repeat(10_001) }],
  ['Base64Encode of a number', 'States.Base64Encode(1)', {}],
  ['Base64Decode over 10,000 characters', 'States.Base64Decode($.s)', { s: 'A'.repeat(10_004) }],
  ['Base64Decode of non-Base64', "States.Base64Decode('not base64!')", {}],
  ['Hash of a boolean', "States.Hash(true, 'SHA-1')", {}],
  ['Hash of an object', "States.Hash($.o, 'SHA-1')", { o: { a: 1 } }],
  ['Hash over 10,000 characters', "States.Hash($.s, 'MD5')", { s: 'x'.repeat(10_001) }],
  ['Hash with an unknown algorithm', "States.Hash('a', 'SHA-3')", {}],
  // Math
  ['MathAdd of a string', "States.MathAdd('1', 2)", {}],
  ['MathAdd of a fraction', 'States.MathAdd(1.5, 2)', {}],
  ['MathAdd with three arguments', 'States.MathAdd(1, 2, 3)', {}],
  ['MathRandom with end <= start', 'States.MathRandom(5, 5)', {}],
  ['MathRandom with a string seed', "States.MathRandom(1, 5, 'x')", {}],
  // Strings and others
  ['StringSplit of a number', "States.StringSplit(1, ',')", {}],
  ['StringSplit with an empty delimiter', "States.StringSplit('a', '')", {}],
  ['UUID with an argument', 'States.UUID(1)', {}],
  ['an unknown function', 'States.Nope()', {}],
  ['a path that matches nothing', 'States.Array($.missing)', {}],
  ['trailing text', 'States.Array() x', {}],
  ['missing parenthesis', 'States.Array(1', {}],
  ['more than 10 nested calls', ten('States.Array()'), {}],
  [
    'a result over 256 KiB built from a small input',
    `States.Format('${'{}'.repeat(40)}', ${Array(40).fill('$.s').join(', ')})`,
    { s: 'x'.repeat(10_000) },
  ],
  [
    'an array over 256 KiB built from a small input',
    `States.Array(${Array(40).fill('$.s').join(', ')})`,
    { s: 'x'.repeat(10_000) },
  ],
];

describe('intrinsic functions: failures are States.IntrinsicFailure', () => {
  test.each(failures)('%s', (_, expression, input) => {
    expectStatesError(() => evaluateIntrinsic(expression, input, {}), 'States.IntrinsicFailure');
  });

  test('ten nested calls are allowed', () => {
    let expected: unknown = [];
    for (let k = 0; k < 9; k += 1) expected = [expected];
    expect(evaluateIntrinsic(ten(''), {}, {})).toEqual(expected);
  });
});
