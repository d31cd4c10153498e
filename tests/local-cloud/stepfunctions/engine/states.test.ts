/**
 * One table per state type, through the real service and @aws-sdk/client-sfn: each case is a
 * small machine, an input, and the output (or error) and history event types it must produce.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { machines, handlers, concurrency } from './machines';
import { startEngineCloud, statusOf, type EngineCloud } from './harness';
import { waitForStatus } from '../../helpers';

let t: EngineCloud;
beforeAll(async () => {
  t = await startEngineCloud({ machines, handlers });
});
afterAll(() => t.cloud.close());

interface Case {
  name: string;
  machine: keyof typeof machines;
  input?: unknown;
  output?: unknown;
  error?: string;
  cause?: RegExp;
  /** Event types that must appear, in this order (others may sit between them). */
  events?: string[];
}

async function check(c: Case): Promise<void> {
  const done = await t.run(c.machine, c.input ?? {});
  if (c.error) {
    expect(done.status, c.name).toBe('FAILED');
    expect(done.error, c.name).toBe(c.error);
    if (c.cause) expect(done.cause, c.name).toMatch(c.cause);
  } else {
    expect(done.status, `${c.name}: ${done.error} ${done.cause}`).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!), c.name).toEqual(c.output);
  }
  if (c.events) {
    const types = await t.types(done.executionArn!);
    const positions = c.events.map((type) => types.indexOf(type));
    expect(
      positions.every((p) => p >= 0),
      `${c.name}: ${types.join(',')}`,
    ).toBe(true);
    expect(positions, c.name).toEqual([...positions].sort((a, b) => a - b));
  }
}

const table = (cases: Case[]) =>
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => check(c));

describe('Pass', () => {
  table([
    {
      name: 'Result at ResultPath keeps the input',
      machine: 'PassResult',
      input: { a: 1 },
      output: { a: 1, r: { x: 1 } },
      events: ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded'],
    },
    {
      name: 'Parameters with paths, intrinsics and the context object',
      machine: 'PassParameters',
      input: { a: 1, inner: { v: 'x' } },
      output: { sum: 3, v: 'x', fixed: 'k', state: 'Shape' },
    },
    {
      name: 'InputPath and OutputPath',
      machine: 'PassPaths',
      input: { inner: { v: 7, w: 8 } },
      output: 7,
    },
    {
      name: 'ResultPath null passes the input on',
      machine: 'PassDiscard',
      input: { a: 1 },
      output: { a: 1 },
    },
  ]);
});

describe('Choice', () => {
  table([
    {
      name: 'the first matching rule wins',
      machine: 'Choose',
      input: { n: 5 },
      output: 'big',
      events: ['ChoiceStateEntered', 'ChoiceStateExited', 'PassStateEntered'],
    },
    { name: 'no rule matches: Default', machine: 'Choose', input: { n: 0 }, output: 'default' },
    {
      name: 'no rule and no Default: States.NoChoiceMatched',
      machine: 'ChooseNoDefault',
      input: { n: 0 },
      error: 'States.NoChoiceMatched',
    },
  ]);
});

describe('Succeed and Fail', () => {
  table([
    {
      name: 'Succeed applies InputPath',
      machine: 'SucceedPath',
      input: { keep: { a: 1 } },
      output: { a: 1 },
    },
    {
      name: 'Fail with Error and Cause',
      machine: 'FailLiteral',
      error: 'Nope',
      cause: /^not today$/,
      events: ['FailStateEntered', 'ExecutionFailed'],
    },
    {
      name: 'Fail with ErrorPath and CausePath',
      machine: 'FailPaths',
      input: { e: 'Dynamic', c: 'from input' },
      error: 'Dynamic',
      cause: /^from input$/,
    },
  ]);
});

describe('Wait', () => {
  table([
    {
      name: 'a negative SecondsPath is States.Runtime',
      machine: 'WaitSecondsPath',
      input: { s: -1 },
      error: 'States.Runtime',
      cause: /negative value/,
    },
    {
      name: 'a fractional SecondsPath is States.Runtime',
      machine: 'WaitSecondsPath',
      input: { s: 1.5 },
      error: 'States.Runtime',
      cause: /cannot be parsed as a long value/,
    },
    {
      name: 'a string SecondsPath is States.Runtime',
      machine: 'WaitSecondsPath',
      input: { s: '10' },
      error: 'States.Runtime',
    },
    {
      name: 'a TimestampPath that is no timestamp is States.Runtime',
      machine: 'WaitTimestampPath',
      input: { at: 'tomorrow' },
      error: 'States.Runtime',
      cause: /TimestampPath/,
    },
    {
      name: 'a zero SecondsPath does not wait',
      machine: 'WaitSecondsPath',
      input: { s: 0 },
      output: { s: 0 },
    },
  ]);

  test.each([
    ['Seconds', 'WaitSeconds', {}, 30_000],
    ['SecondsPath', 'WaitSecondsPath', { s: 12 }, 12_000],
  ] as const)('%s waits on the clock', async (_, machine, input, ms) => {
    const arn = await t.start(machine, input);
    await t.timerDueIn(ms);
    t.clock.advance(ms - 1);
    expect((await statusOf(t.client, arn)).status).toBe('RUNNING');
    t.clock.advance(1);
    expect((await waitForStatus(t.client, arn)).status).toBe('SUCCEEDED');
    expect(await t.types(arn)).toContain('WaitStateExited');
  });

  test('TimestampPath waits until the timestamp, to the second', async () => {
    const at = Math.ceil(t.clock.now() / 1000) * 1000 + 60_000;
    const arn = await t.start('WaitTimestampPath', { at: new Date(at).toISOString() });
    await t.timerDueIn(at - t.clock.now());
    t.clock.advance(at - t.clock.now());
    expect((await waitForStatus(t.client, arn)).status).toBe('SUCCEEDED');
  });
});

describe('Parallel', () => {
  table([
    {
      name: 'branch outputs in branch order',
      machine: 'Parallel',
      input: { v: 2 },
      output: [{ branch: 'a', v: 2 }, { branch: 'b' }],
      events: [
        'ParallelStateEntered',
        'ParallelStateStarted',
        'ParallelStateSucceeded',
        'ParallelStateExited',
      ],
    },
    {
      name: 'a failing branch fails the state',
      machine: 'ParallelFails',
      error: 'BranchBroke',
      events: ['ParallelStateStarted', 'ParallelStateFailed', 'ExecutionFailed'],
    },
  ]);
});

describe('Map', () => {
  table([
    {
      name: 'ItemsPath and ItemSelector with $$.Map.Item',
      machine: 'MapSelect',
      input: { order: 'o1', lines: ['a', 'b', 'c'] },
      output: [
        { sku: 'a', index: 0, order: 'o1' },
        { sku: 'b', index: 1, order: 'o1' },
        { sku: 'c', index: 2, order: 'o1' },
      ],
      events: [
        'MapStateStarted',
        'MapIterationStarted',
        'MapIterationSucceeded',
        'MapStateSucceeded',
      ],
    },
    {
      name: 'a failing iteration fails the Map',
      machine: 'MapFails',
      input: { items: [1, 2] },
      error: 'ItemBroke',
      events: ['MapIterationFailed', 'MapStateFailed', 'ExecutionFailed'],
    },
  ]);

  test.each([
    ['MaxConcurrency 1 runs one iteration at a time', 'MapOneAtATime', 1],
    ['MaxConcurrency 0 runs at most the 40 AWS runs inline', 'MapUnbounded', 40],
  ] as const)('%s', async (_, machine, expected) => {
    concurrency.reset();
    const done = await t.run(machine, { items: Array.from({ length: 100 }, (_, i) => i) });
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toHaveLength(100);
    expect(concurrency.max).toBe(expected);
  });
});

describe('Task', () => {
  table([
    {
      name: 'a Lambda ARN: LambdaFunction* events',
      machine: 'TaskArn',
      input: { a: 1 },
      output: { a: 1, echoed: { a: 1 } },
      events: ['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded'],
    },
    {
      name: 'lambda:invoke: Task* events and the Invoke response',
      machine: 'TaskInvoke',
      input: { a: 1 },
      output: { a: 1, status: 200 },
      events: ['TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited'],
    },
    {
      name: 'Catch puts the error at ResultPath and goes to its Next',
      machine: 'TaskCatch',
      input: { keep: true },
      output: { keep: true, failure: { Error: 'Boom', Cause: expect.stringContaining('kaboom') } },
      events: ['LambdaFunctionFailed', 'TaskStateExited', 'PassStateEntered'],
    },
    {
      name: 'a resource other than Lambda fails clearly, and States.ALL does not catch it',
      machine: 'TaskUnsupported',
      error: 'States.Runtime',
      cause: /does not support Task resource 'arn:aws:states:::sqs:sendMessage'/,
    },
    {
      name: 'a TimeoutSecondsPath that is not a positive integer is States.Runtime',
      machine: 'TaskTimeoutPath',
      input: { timeout: 0 },
      error: 'States.Runtime',
      cause: /TimeoutSecondsPath/,
    },
  ]);

  test('Retry backs off on the clock, then succeeds', async () => {
    const arn = await t.start('TaskRetry', { key: 'retry-1', failTimes: 2 });
    await t.timerDueIn(2_000);
    t.clock.advance(2_000);
    await t.timerDueIn(4_000);
    t.clock.advance(4_000);
    const done = await waitForStatus(t.client, arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ attempts: 3 });
    const types = await t.types(arn);
    expect(types.filter((type) => type === 'LambdaFunctionFailed')).toHaveLength(2);
    expect(types.filter((type) => type === 'LambdaFunctionScheduled')).toHaveLength(3);
  });
});
