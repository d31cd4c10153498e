import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  type Diagnostic,
  invalidDefinitionMessage,
  validateDefinition,
} from '../../../../local-cloud/stepfunctions/definitions/validate';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:f';

/** A machine starting at A, from its states (and extra top-level fields). */
function machine(states: Record<string, unknown>, top: Record<string, unknown> = {}): string {
  return JSON.stringify({ StartAt: 'A', ...top, States: states });
}
const task = (extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: LAMBDA,
  ...extra,
});
const done = { Type: 'Succeed' };

const VALID = JSON.stringify({
  Comment: 'Every state type, with Retry and Catch',
  StartAt: 'Route',
  States: {
    Route: {
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.count', NumericGreaterThan: 1 },
            { Not: { Variable: '$.id', StringMatches: 'x-*' } },
          ],
          Next: 'Pause',
        },
        { Variable: '$.until', IsPresent: true, Next: 'WaitUntil' },
      ],
      Default: 'Fanout',
    },
    Pause: { Type: 'Wait', SecondsPath: '$.seconds', Next: 'Fanout' },
    WaitUntil: { Type: 'Wait', Timestamp: '2030-01-01T00:00:00Z', Next: 'Fanout' },
    Fanout: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Shape', States: { Shape: { Type: 'Pass', Result: { ok: true }, End: true } } },
        {
          StartAt: 'PerItem',
          States: {
            PerItem: {
              Type: 'Map',
              ItemsPath: '$.items',
              MaxConcurrency: 2,
              ItemSelector: { 'value.$': '$$.Map.Item.Value' },
              ItemProcessor: {
                ProcessorConfig: { Mode: 'INLINE' },
                StartAt: 'Work',
                States: {
                  Work: task({
                    Parameters: { 'payload.$': "States.Format('item {}', $.value)" },
                    TimeoutSeconds: 30,
                    End: true,
                  }),
                },
              },
              End: true,
            },
          },
        },
      ],
      ResultPath: '$.fanout',
      Retry: [
        { ErrorEquals: ['Transient'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 3 },
        { ErrorEquals: ['States.ALL'], MaxAttempts: 1, JitterStrategy: 'FULL' },
      ],
      Catch: [
        { ErrorEquals: ['Declined'], ResultPath: '$.error', Next: 'Failed' },
        { ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Failed' },
      ],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
    Failed: { Type: 'Fail', Error: 'Failed', CausePath: '$.error.Cause' },
  },
});

type Expected = Pick<Diagnostic, 'code' | 'location'> & { message?: string };

interface Row {
  rule: string;
  text: string;
  type?: 'STANDARD' | 'EXPRESS';
  expected: Expected[];
}

const schema = (location: string, message: string): Expected => ({
  code: 'SCHEMA_VALIDATION_FAILED',
  location,
  message,
});
const missingTarget = (location: string, target: string): Expected => ({
  code: 'MISSING_TRANSITION_TARGET',
  location,
  message: `Missing 'Next' target: ${target}`,
});
const unreachable = (location: string, name: string): Expected => ({
  code: 'MISSING_TRANSITION_TARGET',
  location,
  message: `State "${name}" is not reachable.`,
});
const noEnd: Expected = { code: 'MISSING_END_STATE', message: 'Workflow has no terminal state' };
const longName = 'S'.repeat(81);

const ROWS: Row[] = [
  {
    rule: 'empty text',
    text: '  ',
    expected: [{ code: 'MISSING_DESCRIPTION', message: 'Received a null or empty workflow input' }],
  },
  { rule: 'not JSON', text: '{"StartAt": ', expected: [{ code: 'INVALID_JSON_DESCRIPTION' }] },
  { rule: 'not an object', text: '[]', expected: [schema('/', 'Expected value of type [OBJECT]')] },
  {
    rule: 'StartAt missing',
    text: JSON.stringify({ States: { A: done } }),
    expected: [schema('/', 'These fields are required: [StartAt]')],
  },
  {
    rule: 'States missing',
    text: JSON.stringify({ StartAt: 'A' }),
    expected: [schema('/', 'These fields are required: [States]')],
  },
  {
    rule: 'unknown top-level field',
    text: machine({ A: done }, { Coment: 'typo' }),
    expected: [schema('/', "Field 'Coment' is not supported")],
  },
  {
    rule: 'unknown state field',
    text: machine({ A: { Type: 'Pass', End: true, Foo: 1 } }),
    expected: [schema('/States/A', "Field 'Foo' is not supported")],
  },
  {
    rule: 'field of another state type',
    text: machine({ A: { Type: 'Pass', TimeoutSeconds: 3, End: true } }),
    expected: [schema('/States/A', "Field 'TimeoutSeconds' is not supported")],
  },
  {
    rule: 'wrong value type',
    text: machine({ A: { Type: 'Pass', End: 'yes' } }),
    expected: [schema('/States/A/End', 'Expected value of type [BOOLEAN]'), noEnd],
  },
  {
    rule: 'unknown state type',
    text: machine({ A: { Type: 'Sleep', End: true } }),
    expected: [
      schema(
        '/States/A/Type',
        "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]",
      ),
    ],
  },
  {
    rule: 'both Next and End',
    text: machine({ A: { Type: 'Pass', Next: 'B', End: true }, B: done }),
    expected: [schema('/States/A', 'Only one of these fields is allowed: [End, Next]')],
  },
  {
    rule: 'neither Next nor End',
    text: machine({ A: { Type: 'Pass' } }),
    expected: [schema('/States/A', 'The field "Next" should be non-null'), noEnd],
  },
  {
    rule: 'Next on a Succeed state',
    text: machine({ A: { Type: 'Succeed', Next: 'A' } }),
    expected: [schema('/States/A', "Field 'Next' is not supported")],
  },
  {
    rule: 'Choice without Choices',
    text: machine({ A: { Type: 'Choice', Default: 'B' }, B: done }),
    expected: [schema('/States/A', 'These fields are required: [Choices]')],
  },
  {
    rule: 'Choice rule without Next',
    text: machine({
      A: { Type: 'Choice', Choices: [{ Variable: '$.x', StringEquals: 'a' }], Default: 'B' },
      B: done,
    }),
    expected: [schema('/States/A/Choices[0]', 'These fields are required: [Next]')],
  },
  {
    rule: 'Choice rule without a comparison',
    text: machine({ A: { Type: 'Choice', Choices: [{ Variable: '$.x', Next: 'B' }] }, B: done }),
    expected: [
      schema(
        '/States/A/Choices[0]',
        'A choice rule must contain exactly one of And, Or, Not or a comparison operator',
      ),
    ],
  },
  {
    rule: 'nested Choice rule with Next',
    text: machine({
      A: {
        Type: 'Choice',
        Choices: [{ And: [{ Variable: '$.x', IsNull: true, Next: 'B' }], Next: 'B' }],
      },
      B: done,
    }),
    expected: [schema('/States/A/Choices[0]/And[0]', "Field 'Next' is not supported")],
  },
  {
    rule: 'Choice comparison of the wrong type',
    text: machine({
      A: { Type: 'Choice', Choices: [{ Variable: '$.x', NumericEquals: '1', Next: 'B' }] },
      B: done,
    }),
    expected: [schema('/States/A/Choices[0]/NumericEquals', 'Expected value of type [NUMBER]')],
  },
  {
    rule: 'Task without Resource',
    text: machine({ A: { Type: 'Task', End: true } }),
    expected: [schema('/States/A', 'These fields are required: [Resource]')],
  },
  {
    rule: 'Task with a Resource that is no ARN',
    text: machine({ A: task({ Resource: 'my-function', End: true }) }),
    expected: [
      schema(
        '/States/A/Resource',
        'The resource provided my-function is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.',
      ),
    ],
  },
  {
    rule: 'Wait without a duration',
    text: machine({ A: { Type: 'Wait', End: true } }),
    expected: [
      schema(
        '/States/A',
        'Exactly one of these fields is required: [Seconds, SecondsPath, Timestamp, TimestampPath]',
      ),
    ],
  },
  {
    rule: 'Wait with two durations',
    text: machine({ A: { Type: 'Wait', Seconds: 1, TimestampPath: '$.t', End: true } }),
    expected: [
      schema(
        '/States/A',
        'Exactly one of these fields is required: [Seconds, SecondsPath, Timestamp, TimestampPath]',
      ),
    ],
  },
  {
    rule: 'Wait with a malformed Timestamp',
    text: machine({ A: { Type: 'Wait', Timestamp: 'tomorrow', End: true } }),
    expected: [
      schema(
        '/States/A/Timestamp',
        "The value for the field 'Timestamp' must be a valid RFC3339 timestamp",
      ),
    ],
  },
  {
    rule: 'Fail with Error and ErrorPath',
    text: machine({ A: { Type: 'Fail', Error: 'E', ErrorPath: '$.e' } }),
    expected: [schema('/States/A', 'Only one of these fields is allowed: [Error, ErrorPath]')],
  },
  {
    rule: 'Map without ItemProcessor',
    text: machine({ A: { Type: 'Map', End: true } }),
    expected: [
      schema('/States/A', 'Exactly one of these fields is required: [ItemProcessor, Iterator]'),
    ],
  },
  {
    rule: 'Parallel without Branches',
    text: machine({ A: { Type: 'Parallel', End: true } }),
    expected: [schema('/States/A', 'These fields are required: [Branches]')],
  },
  {
    rule: 'Retrier without ErrorEquals',
    text: machine({ A: task({ Retry: [{ MaxAttempts: 2 }], End: true }) }),
    expected: [schema('/States/A/Retry[0]', 'These fields are required: [ErrorEquals]')],
  },
  {
    rule: 'Retrier BackoffRate below 1',
    text: machine({ A: task({ Retry: [{ ErrorEquals: ['E'], BackoffRate: 0.5 }], End: true }) }),
    expected: [
      schema(
        '/States/A/Retry[0]/BackoffRate',
        "The value of the field 'BackoffRate' must be at least 1",
      ),
    ],
  },
  {
    rule: 'Catcher without Next',
    text: machine({ A: task({ Catch: [{ ErrorEquals: ['E'] }], End: true }) }),
    expected: [schema('/States/A/Catch[0]', 'These fields are required: [Next]')],
  },
  {
    rule: 'Retry on a Pass state',
    text: machine({ A: { Type: 'Pass', Retry: [{ ErrorEquals: ['E'] }], End: true } }),
    expected: [schema('/States/A', "Field 'Retry' is not supported")],
  },
  {
    rule: 'States.ALL retrier not last',
    text: machine({
      A: task({ Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['E'] }], End: true }),
    }),
    expected: [
      schema(
        '/States/A/Retry[0]',
        "A retrier with 'States.ALL' must be the last one in the 'Retry' array",
      ),
    ],
  },
  {
    rule: 'States.ALL catcher not alone',
    text: machine({
      A: task({ Catch: [{ ErrorEquals: ['E', 'States.ALL'], Next: 'B' }], Next: 'B' }),
      B: done,
    }),
    expected: [
      schema(
        '/States/A/Catch[0]/ErrorEquals',
        "The value 'States.ALL' must appear alone in the 'ErrorEquals' array",
      ),
    ],
  },
  {
    rule: 'a Path field that is no JSONPath',
    text: machine({ A: { Type: 'Pass', InputPath: 'input', End: true } }),
    expected: [
      schema('/States/A/InputPath', "The value for the field 'InputPath' must be a valid JSONPath"),
    ],
  },
  {
    rule: 'a ResultPath that is no Reference Path',
    text: machine({ A: { Type: 'Pass', ResultPath: '$.items[?(@.x)]', End: true } }),
    expected: [
      schema(
        '/States/A/ResultPath',
        "The value for the field 'ResultPath' must be a valid JSONPath",
      ),
    ],
  },
  {
    rule: 'a .$ key that is neither path nor intrinsic',
    text: machine({ A: { Type: 'Pass', Parameters: { nested: { 'id.$': 'id' } }, End: true } }),
    expected: [
      schema(
        '/States/A/Parameters/nested/id.$',
        "The value for the field 'id.$' must be a valid JSONPath or a valid intrinsic function call",
      ),
    ],
  },
  {
    rule: 'a JSONata field in a JSONPath state',
    text: machine({ A: { Type: 'Pass', Output: '{% $states.input %}', End: true } }),
    expected: [
      schema(
        '/States/A',
        "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage",
      ),
    ],
  },
  {
    rule: 'an unknown QueryLanguage',
    text: machine({ A: done }, { QueryLanguage: 'XPath' }),
    expected: [
      schema(
        '/QueryLanguage',
        "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]",
      ),
    ],
  },
  {
    rule: 'Next naming no state',
    text: machine({ A: { Type: 'Pass', Next: 'B' }, C: done }),
    expected: [missingTarget('/States/A/Next', 'B'), unreachable('/States/C', 'C')],
  },
  {
    rule: 'StartAt naming no state',
    text: JSON.stringify({ StartAt: 'X', States: { A: done } }),
    expected: [missingTarget('/StartAt', 'X'), unreachable('/States/A', 'A')],
  },
  {
    rule: 'Default naming no state',
    text: machine({
      A: { Type: 'Choice', Choices: [{ Variable: '$.x', IsNull: true, Next: 'B' }], Default: 'Z' },
      B: done,
    }),
    expected: [missingTarget('/States/A/Default', 'Z')],
  },
  {
    rule: 'Choice rule Next naming no state',
    text: machine({
      A: { Type: 'Choice', Choices: [{ Variable: '$.x', IsNull: true, Next: 'Z' }], Default: 'B' },
      B: done,
    }),
    expected: [missingTarget('/States/A/Choices[0]/Next', 'Z')],
  },
  {
    rule: 'Catch Next naming no state',
    text: machine({ A: task({ Catch: [{ ErrorEquals: ['E'], Next: 'Z' }], End: true }) }),
    expected: [missingTarget('/States/A/Catch[0]/Next', 'Z')],
  },
  {
    rule: 'a Parallel branch transitioning out of its branch',
    text: machine({
      A: {
        Type: 'Parallel',
        Branches: [{ StartAt: 'X', States: { X: { Type: 'Pass', Next: 'B' } } }],
        Next: 'B',
      },
      B: done,
    }),
    expected: [missingTarget('/States/A/Branches[0]/States/X/Next', 'B')],
  },
  {
    rule: 'a Map processor whose StartAt is outside it',
    text: machine({
      A: {
        Type: 'Map',
        ItemProcessor: { StartAt: 'B', States: { Y: { Type: 'Pass', End: true } } },
        Next: 'B',
      },
      B: done,
    }),
    expected: [
      missingTarget('/States/A/ItemProcessor/StartAt', 'B'),
      unreachable('/States/A/ItemProcessor/States/Y', 'Y'),
    ],
  },
  {
    rule: 'an unreachable state',
    text: machine({ A: done, B: done }),
    expected: [unreachable('/States/B', 'B')],
  },
  {
    rule: 'no terminal state (only MISSING_END_STATE, no reachability noise)',
    text: machine({
      A: { Type: 'Pass', Next: 'B' },
      B: { Type: 'Pass', Next: 'A' },
      C: { Type: 'Pass', Next: 'A' },
    }),
    expected: [noEnd],
  },
  {
    rule: 'a state name longer than 80 characters',
    text: JSON.stringify({ StartAt: longName, States: { [longName]: done } }),
    expected: [
      {
        code: 'INVALID_STATE_NAME',
        location: `/States/${longName}`,
        message: `Invalid State name: State '${longName}' exceeds the 80-character limit allowed by the service`,
      },
    ],
  },
  {
    rule: 'a state name used twice across branches',
    text: machine({
      A: {
        Type: 'Parallel',
        Branches: [{ StartAt: 'A', States: { A: done } }],
        End: true,
      },
    }),
    expected: [
      {
        code: 'DUPLICATE_STATE_NAME',
        location: '/States/A/Branches[0]/States/A',
        message: 'Duplicate State name: A',
      },
    ],
  },
  {
    rule: 'a callback Task in an EXPRESS machine',
    type: 'EXPRESS',
    text: machine({
      A: task({ Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', End: true }),
    }),
    expected: [
      schema(
        '/States/A/Resource',
        "Express state machine does not support '.waitForTaskToken' service integration",
      ),
    ],
  },
  {
    rule: 'the same callback Task in a STANDARD machine',
    text: machine({
      A: task({ Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', End: true }),
    }),
    expected: [],
  },
  {
    rule: 'a Distributed Map in an EXPRESS machine',
    type: 'EXPRESS',
    text: machine({
      A: {
        Type: 'Map',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
          StartAt: 'Y',
          States: { Y: { Type: 'Pass', End: true } },
        },
        End: true,
      },
    }),
    expected: [
      schema(
        '/States/A/ItemProcessor/ProcessorConfig/Mode',
        "The field 'Mode' with value 'DISTRIBUTED' is not supported inside 'EXPRESS' state machines",
      ),
    ],
  },
  {
    rule: "a shape only asl-validator's schemas check (ItemBatcher)",
    text: machine({
      A: {
        Type: 'Map',
        ItemBatcher: { MaxItemsPerBatch: 'many' },
        ItemProcessor: { StartAt: 'Y', States: { Y: { Type: 'Pass', End: true } } },
        End: true,
      },
    }),
    expected: [
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/A/ItemBatcher/MaxItemsPerBatch' },
    ],
  },
];

function summary(diagnostics: Diagnostic[], withMessage: boolean[]): Expected[] {
  return diagnostics.map(({ code, location, message }, index) => ({
    code,
    ...(location === undefined ? {} : { location }),
    ...(withMessage[index] ? { message } : {}),
  }));
}

describe('validateDefinition, one row per rule', () => {
  test('a definition using every state type, Retry and Catch is OK with no diagnostics', () => {
    expect(validateDefinition(VALID, { severity: 'WARNING' })).toEqual({
      result: 'OK',
      diagnostics: [],
      truncated: false,
    });
  });

  test('a JSONata machine (Arguments, Output, Assign, Condition) is OK', () => {
    const jsonata = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: LAMBDA, Payload: '{% $states.input %}' },
          Output: '{% $states.result.Payload %}',
          Assign: { attempts: '{% 1 %}' },
          Next: 'Route',
        },
        Route: {
          Type: 'Choice',
          Choices: [{ Condition: '{% $attempts = 1 %}', Next: 'Done' }],
          Default: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    });
    expect(validateDefinition(jsonata, { severity: 'WARNING' })).toEqual({
      result: 'OK',
      diagnostics: [],
      truncated: false,
    });
  });

  test.each(ROWS)('$rule', ({ text, type, expected }) => {
    const outcome = validateDefinition(text, { type });
    expect(outcome.result).toBe(expected.length === 0 ? 'OK' : 'FAIL');
    expect(outcome.truncated).toBe(false);
    expect(outcome.diagnostics.every((d) => d.severity === 'ERROR')).toBe(true);
    const withMessage = expected.map((e) => e.message !== undefined);
    expect(summary(outcome.diagnostics, withMessage)).toEqual(expected);
  });
});

describe('warnings and the severity filter', () => {
  const noDollar = machine({ A: { Type: 'Pass', Parameters: { id: '$.id' }, End: true } });
  const staticResult = machine({ A: { Type: 'Pass', Result: { 'id.$': '$.id' }, End: true } });

  test('severity WARNING returns warnings; they leave the result OK', () => {
    expect(validateDefinition(noDollar, { severity: 'WARNING' })).toEqual({
      result: 'OK',
      diagnostics: [
        {
          severity: 'WARNING',
          code: 'NO_DOLLAR',
          message:
            "The value of the field 'id' looks like a JSONPath or an intrinsic function, but the field name does not end with '.$'",
          location: '/States/A/Parameters/id',
        },
      ],
      truncated: false,
    });
    expect(validateDefinition(staticResult, { severity: 'WARNING' }).diagnostics).toEqual([
      {
        severity: 'WARNING',
        code: 'PASS_RESULT_IS_STATIC',
        message:
          "The Result of a Pass state is static: the field 'id.$' is not evaluated as a path",
        location: '/States/A/Result/id.$',
      },
    ]);
  });

  test('severity ERROR (the default) hides warnings, and an error still makes FAIL', () => {
    expect(validateDefinition(noDollar)).toEqual({
      result: 'OK',
      diagnostics: [],
      truncated: false,
    });
    const both = machine({ A: { Type: 'Pass', Parameters: { id: '$.id' }, Next: 'Z' } });
    const outcome = validateDefinition(both, { severity: 'ERROR' });
    expect(outcome.result).toBe('FAIL');
    expect(outcome.diagnostics.map((d) => d.code)).toEqual([
      'MISSING_TRANSITION_TARGET',
      'MISSING_END_STATE',
    ]);
  });
});

describe('maxResults', () => {
  const fourErrors = machine({ A: { Type: 'Pass', Foo: 1, Bar: 2, Next: 'Z' }, B: done });

  test('cuts the list and says so in truncated', () => {
    const outcome = validateDefinition(fourErrors, { maxResults: 2 });
    expect(outcome.result).toBe('FAIL');
    expect(outcome.truncated).toBe(true);
    expect(outcome.diagnostics.map((d) => d.message)).toEqual([
      "Field 'Foo' is not supported",
      "Field 'Bar' is not supported",
    ]);
  });

  test('0, absent or above 100 mean the default of 100', () => {
    for (const maxResults of [0, undefined, 500]) {
      const outcome = validateDefinition(fourErrors, { maxResults });
      expect(outcome.truncated).toBe(false);
      expect(outcome.diagnostics).toHaveLength(4);
    }
    expect(validateDefinition(fourErrors, { maxResults: 4 }).truncated).toBe(false);
  });

  test('truncated counts only the severity asked for', () => {
    const oneErrorOneWarning = machine({
      A: { Type: 'Pass', Parameters: { id: '$.id' }, Next: 'Z' },
      Z: done,
      Unused: done,
    });
    const errorsOnly = validateDefinition(oneErrorOneWarning, { maxResults: 1 });
    expect(errorsOnly.diagnostics.map((d) => d.code)).toEqual(['MISSING_TRANSITION_TARGET']);
    expect(errorsOnly.truncated).toBe(false);
    const both = validateDefinition(oneErrorOneWarning, { maxResults: 1, severity: 'WARNING' });
    expect(both.diagnostics.map((d) => d.code)).toEqual(['NO_DOLLAR']);
    expect(both.truncated).toBe(true);
  });
});

describe('invalidDefinitionMessage', () => {
  test("joins errors as AWS's InvalidDefinition does, with 'at null' when there is no location", () => {
    const text = machine({ A: { Type: 'Pass', Parameters: { id: '$.id' }, Next: 'B' } });
    const { diagnostics } = validateDefinition(text, { severity: 'WARNING' });
    expect(diagnostics.map((d) => d.code)).toEqual([
      'NO_DOLLAR',
      'MISSING_TRANSITION_TARGET',
      'MISSING_END_STATE',
    ]);
    expect(invalidDefinitionMessage(diagnostics)).toBe(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next, MISSING_END_STATE: Workflow has no terminal state at null'",
    );
  });

  test('schema and transition errors in one message', () => {
    const text = machine({ A: { Type: 'Pass' }, B: { Type: 'Pass', Next: 'C' } });
    expect(invalidDefinitionMessage(validateDefinition(text).diagnostics)).toBe(
      `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field "Next" should be non-null at /States/A, MISSING_TRANSITION_TARGET: Missing 'Next' target: C at /States/B/Next, MISSING_END_STATE: Workflow has no terminal state at null'`,
    );
  });
});

/** Every `*.asl.json` under a folder, recursively. */
function aslFiles(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.asl.json'))
    .map((file) => path.join(folder, file))
    .sort();
}

describe("the repository's own definitions", () => {
  const files = [...aslFiles('amplify'), ...aslFiles('tests/local-cloud/fixtures')];

  test('are found', () => {
    expect(files).toContain(path.join('amplify', 'workflow', 'order-workflow.asl.json'));
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  // The deployed template substitutes each `${Placeholder}` (DefinitionSubstitutions) with a
  // Lambda ARN; do the same before validating.
  test.each(files)('%s is valid', (file) => {
    const text = readFileSync(path.join(ROOT, file), 'utf8').replace(
      /\$\{[A-Za-z0-9_]+\}/g,
      LAMBDA,
    );
    expect(validateDefinition(text, { severity: 'WARNING' })).toEqual({
      result: 'OK',
      diagnostics: [],
      truncated: false,
    });
  });
});
