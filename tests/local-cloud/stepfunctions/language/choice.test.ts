import { describe, expect, test } from 'vitest';
import {
  evaluateRule,
  type ChoiceRule,
} from '../../../../local-cloud/stepfunctions/language/choice';
import { expectStatesError } from './expect-states-error';

const input = {
  type: 'Private',
  value: 22,
  rating: 60,
  auditThreshold: 50,
  num: 1,
  str: '1',
  flag: true,
  nothing: null,
  name: 'foo23.log',
  when: '2016-03-14T01:59:00Z',
  later: '2016-03-14T02:00:00.5+00:00',
  ts2: '2016-03-14T01:59:00.000000001Z',
  list: [1, 2],
};

// Rules from https://states-language.net/spec.html#choice-state and
// https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html, plus each operator.
const cases: [string, ChoiceRule, boolean][] = [
  ["the spec's Not example", { Not: { Variable: '$.type', StringEquals: 'Private' } }, false],
  [
    "the spec's And example (value in twenties)",
    {
      And: [
        { Variable: '$.value', NumericGreaterThanEquals: 20 },
        { Variable: '$.value', NumericLessThan: 30 },
      ],
    },
    true,
  ],
  [
    "the spec's NumericGreaterThanPath example",
    { Variable: '$.rating', NumericGreaterThanPath: '$.auditThreshold' },
    true,
  ],
  [
    'Or',
    {
      Or: [
        { Variable: '$.num', NumericEquals: 2 },
        { Variable: '$.num', NumericEquals: 1 },
      ],
    },
    true,
  ],
  ['StringEquals', { Variable: '$.type', StringEquals: 'Private' }, true],
  ['StringLessThan', { Variable: '$.type', StringLessThan: 'Q' }, true],
  ['StringGreaterThanEquals', { Variable: '$.type', StringGreaterThanEquals: 'Private' }, true],
  ['StringEqualsPath', { Variable: '$.str', StringEqualsPath: '$.str' }, true],
  ["StringMatches 'foo*.log'", { Variable: '$.name', StringMatches: 'foo*.log' }, true],
  ["StringMatches '*.log'", { Variable: '$.name', StringMatches: '*.log' }, true],
  ["StringMatches 'foo*.*'", { Variable: '$.name', StringMatches: 'foo*.*' }, true],
  ['StringMatches no match', { Variable: '$.name', StringMatches: 'bar*' }, false],
  ['StringMatches escaped *', { Variable: '$.name', StringMatches: 'foo\\*' }, false],
  ['StringMatches a number', { Variable: '$.num', StringMatches: '*' }, false],
  ['NumericEquals', { Variable: '$.num', NumericEquals: 1 }, true],
  ['NumericLessThanEquals', { Variable: '$.value', NumericLessThanEquals: 22 }, true],
  ['NumericGreaterThan', { Variable: '$.value', NumericGreaterThan: 22 }, false],
  ['NumericEqualsPath', { Variable: '$.num', NumericEqualsPath: '$.num' }, true],
  ['BooleanEquals', { Variable: '$.flag', BooleanEquals: true }, true],
  ['BooleanEqualsPath', { Variable: '$.flag', BooleanEqualsPath: '$.flag' }, true],
  ['TimestampEquals', { Variable: '$.when', TimestampEquals: '2016-03-14T01:59:00Z' }, true],
  [
    'TimestampEquals across zones',
    { Variable: '$.when', TimestampEquals: '2016-03-14T02:59:00+01:00' },
    true,
  ],
  ['TimestampLessThan', { Variable: '$.when', TimestampLessThanPath: '$.later' }, true],
  [
    'TimestampGreaterThan by a nanosecond',
    { Variable: '$.ts2', TimestampGreaterThanPath: '$.when' },
    true,
  ],
  [
    'TimestampGreaterThanEquals',
    { Variable: '$.when', TimestampGreaterThanEquals: '2016-03-14T01:59:00Z' },
    true,
  ],
  ['IsNull', { Variable: '$.nothing', IsNull: true }, true],
  ['IsNull false', { Variable: '$.num', IsNull: true }, false],
  ['IsPresent', { Variable: '$.num', IsPresent: true }, true],
  ['IsPresent of a missing field', { Variable: '$.missing', IsPresent: false }, true],
  ['IsPresent of a present null', { Variable: '$.nothing', IsPresent: true }, true],
  ['IsNumeric', { Variable: '$.num', IsNumeric: true }, true],
  ['IsString', { Variable: '$.num', IsString: true }, false],
  ['IsBoolean', { Variable: '$.flag', IsBoolean: true }, true],
  ['IsTimestamp', { Variable: '$.when', IsTimestamp: true }, true],
  ['IsTimestamp of an array', { Variable: '$.list', IsTimestamp: true }, false],
  [
    'a Variable into the context object',
    { Variable: '$$.Execution.Name', StringEquals: 'e' },
    true,
  ],
  // Wrong-typed Variable: the comparison is false.
  ['NumericEquals on a string', { Variable: '$.str', NumericEquals: 1 }, false],
  ['StringEquals on a number', { Variable: '$.num', StringEquals: '1' }, false],
  [
    'NumericGreaterThanPath from a string',
    { Variable: '$.str', NumericGreaterThanPath: '$.num' },
    false,
  ],
  [
    'TimestampEquals on a non-timestamp string',
    { Variable: '$.str', TimestampEquals: '2016-03-14T01:59:00Z' },
    false,
  ],
  // Wrong-typed *Path operand of an Equals comparison: false.
  ['NumericEqualsPath against a string', { Variable: '$.num', NumericEqualsPath: '$.str' }, false],
  ['StringEqualsPath against a number', { Variable: '$.num', StringEqualsPath: '$.num' }, false],
  ['BooleanEqualsPath against a number', { Variable: '$.flag', BooleanEqualsPath: '$.num' }, false],
];

describe('evaluateRule', () => {
  test.each(cases)('%s', (_, rule, expected) => {
    expect(evaluateRule(rule, input, { Execution: { Name: 'e' } })).toBe(expected);
  });
});

describe('IsTimestamp follows RFC 3339 as the spec restricts it', () => {
  test.each([
    ['2016-03-14T01:59:00Z', true],
    ['2016-03-14T01:59:00.123456789Z', true],
    ['2016-03-14T01:59:00+05:30', true],
    ['2016-03-14T01:59:00-00:00', true],
    ['2016-02-29T00:00:00Z', true],
    ['2016-03-14', false],
    ['2016-03-14 01:59:00Z', false],
    ['2016-03-14t01:59:00Z', false],
    ['2016-03-14T01:59:00z', false],
    ['2016-03-14T01:59:00', false],
    ['2016-03-14T01:59Z', false],
    ['2016-03-14T01:59:00+0530', false],
    ['2016-13-01T00:00:00Z', false],
    ['2015-02-29T00:00:00Z', false],
    ['2016-03-14T24:00:00Z', false],
    ['March 14, 2016', false],
    ['1458000000', false],
  ])('%s -> %s', (value, expected) => {
    expect(evaluateRule({ Variable: '$.t', IsTimestamp: true }, { t: value }, {})).toBe(expected);
  });
});

describe('Choice failures are States.Runtime', () => {
  test.each<[string, ChoiceRule]>([
    ['a missing Variable', { Variable: '$.missing', NumericEquals: 1 }],
    ['a missing *Path operand', { Variable: '$.num', NumericEqualsPath: '$.missing' }],
    [
      'a wrong-typed operand of an ordering *Path',
      { Variable: '$.num', NumericGreaterThanPath: '$.str' },
    ],
    [
      'a wrong-typed operand of StringGreaterThanPath',
      { Variable: '$.num', StringGreaterThanPath: '$.num' },
    ],
    [
      'a non-timestamp operand of TimestampLessThanPath',
      { Variable: '$.when', TimestampLessThanPath: '$.str' },
    ],
    ['a Variable that is not a reference path', { Variable: '$.list[*]', NumericEquals: 1 }],
    ['a *Path that is not a reference path', { Variable: '$.num', NumericEqualsPath: '$..num' }],
    ['an open escape in StringMatches', { Variable: '$.name', StringMatches: 'foo\\' }],
    ['two operators', { Variable: '$.num', NumericEquals: 1, IsNumeric: true }],
    ['no operator', { Variable: '$.num' }],
    ['an unknown operator', { Variable: '$.num', NumericIsNear: 1 }],
    ['a literal of the wrong type', { Variable: '$.num', NumericEquals: 'abc' }],
    ['an empty And', { And: [] }],
    ['no Variable', { NumericEquals: 1 }],
  ])('%s', (_, rule) => {
    const error = expectStatesError(() => evaluateRule(rule, input, {}), 'States.Runtime');
    expect(error.cause.length).toBeGreaterThan(0);
  });

  test('the message AWS gives for a missing path', () => {
    const error = expectStatesError(
      () => evaluateRule({ Variable: '$.num', NumericEqualsPath: '$.missing' }, input, {}),
      'States.Runtime',
    );
    expect(error.cause).toBe(
      "Invalid path '$.missing': The choice state's condition path references an invalid value.",
    );
  });

  test('StringMatches stays fast on a hostile pattern', () => {
    const started = Date.now();
    const rule = { Variable: '$.s', StringMatches: `${'*a'.repeat(30)}b` };
    expect(evaluateRule(rule, { s: 'a'.repeat(5000) }, {})).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
