import { describe, expect, test } from 'vitest';
import {
  applyInputPath,
  applyOutputPath,
  applyResultPath,
  resolveTemplate,
} from '../../../../local-cloud/stepfunctions/language/data-flow';
import { expectStatesError } from './expect-states-error';

describe('InputPath / OutputPath', () => {
  test.each<[string | null | undefined, unknown, unknown]>([
    ['$.numbers', { title: 'Numbers to add', numbers: { val1: 3, val2: 4 } }, { val1: 3, val2: 4 }],
    [undefined, { a: 1 }, { a: 1 }],
    [null, { a: 1 }, {}],
    // "the interpreter gathers the texts into an array" (spec, $.a[0,1]).
    ['$.a[0,1]', { a: [1, 2, 3, 4] }, [1, 2]],
    [
      '$.items[?(@.ok == true)].id',
      {
        items: [
          { id: 1, ok: true },
          { id: 2, ok: false },
        ],
      },
      [1],
    ],
  ])('%s', (path, input, expected) => {
    expect(applyInputPath(path, input, {})).toEqual(expected);
    expect(applyOutputPath(path, input, {})).toEqual(expected);
  });

  test('a path that matches nothing is States.Runtime', () => {
    expectStatesError(() => applyInputPath('$.missing', {}, {}), 'States.Runtime');
  });
});

describe('Payload templates (Parameters / ResultSelector)', () => {
  test("the spec's example", () => {
    const template = {
      flagged: true,
      parts: { 'first.$': '$.vals[0]', 'last3.$': '$.vals[-3:]' },
      'weekday.$': '$$.DayOfWeek',
      'formattedOutput.$': "States.Format('Today is {}', $$.DayOfWeek)",
    };
    const input = { flagged: 7, vals: [0, 10, 20, 30, 40, 50] };
    expect(resolveTemplate(template, input, { DayOfWeek: 'TUESDAY' })).toEqual({
      flagged: true,
      parts: { first: 0, last3: [30, 40, 50] },
      weekday: 'TUESDAY',
      formattedOutput: 'Today is TUESDAY',
    });
  });

  test('arrays and scalars are copied; nested .$ fields are resolved', () => {
    expect(resolveTemplate({ list: [{ 'a.$': '$.x' }, 2], s: 'keep $' }, { x: 1 }, {})).toEqual({
      list: [{ a: 1 }, 2],
      s: 'keep $',
    });
  });

  test('a path that cannot be applied is States.ParameterPathFailure', () => {
    expectStatesError(
      () => resolveTemplate({ 'a.$': '$.missing' }, {}, {}),
      'States.ParameterPathFailure',
    );
  });

  test('a failing intrinsic is States.IntrinsicFailure', () => {
    expectStatesError(
      () => resolveTemplate({ 'a.$': 'States.ArrayPartition($.l, 0)' }, { l: [1] }, {}),
      'States.IntrinsicFailure',
    );
  });

  test.each<[string, unknown]>([
    ['a non-string .$ value', { 'a.$': 1 }],
    ['a duplicate field once .$ is removed', { a: 1, 'a.$': '$.x' }],
    ['an illegal path', { 'a.$': '$.[' }],
  ])('%s is States.Runtime', (_, template) => {
    expectStatesError(() => resolveTemplate(template, { x: 1 }, {}), 'States.Runtime');
  });
});

describe('ResultPath', () => {
  test.each<[string | null | undefined, unknown, unknown, unknown]>([
    // The guide's examples (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html).
    ['$', { comment: 'This is a test' }, 'Hello, Step Functions!', 'Hello, Step Functions!'],
    [undefined, { comment: 'This is a test' }, 'Hello, Step Functions!', 'Hello, Step Functions!'],
    [null, { comment: 'This is a test' }, 'Hello, Step Functions!', { comment: 'This is a test' }],
    [
      '$.taskresult',
      { comment: 'This is a test' },
      'Hello, Step Functions!',
      { comment: 'This is a test', taskresult: 'Hello, Step Functions!' },
    ],
    [
      '$.sum',
      { title: 'Numbers to add', numbers: { val1: 3, val2: 4 } },
      7,
      { title: 'Numbers to add', numbers: { val1: 3, val2: 4 }, sum: 7 },
    ],
  ])('%s', (path, input, result, expected) => {
    expect(applyResultPath(path, input, result)).toEqual(expected);
  });

  test.each<[unknown]>([['foo'], [[1, 2]], [42], [null]])(
    'onto a non-object input (%j) is States.ResultPathMatchFailure',
    (input) => {
      expectStatesError(() => applyResultPath('$.x', input, 1), 'States.ResultPathMatchFailure');
    },
  );
});
