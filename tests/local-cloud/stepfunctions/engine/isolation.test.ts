/**
 * A runaway execution fails alone, with a States.* error, while the process keeps serving:
 * a DescribeExecution answers while it runs, and a normal execution started beside it succeeds.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LambdaHandler } from '../../../../local-cloud/lambda/types';
import { waitForStatus } from '../../helpers';
import { functionArn, lastEvent, startEngineCloud, statusOf, type EngineCloud } from './harness';

const end = { End: true } as const;
const handlers: Record<string, LambdaHandler> = {
  huge: () => 'x'.repeat(300_000),
};
const machines = {
  Normal: {
    StartAt: 'Hello',
    States: { Hello: { Type: 'Pass', Result: 'hi', Next: 'Done' }, Done: { Type: 'Succeed' } },
  },
  EndlessLoop: {
    StartAt: 'Again',
    States: {
      Again: {
        Type: 'Choice',
        Choices: [{ Variable: '$.n', NumericGreaterThanEquals: 0, Next: 'Spin' }],
        Default: 'Never',
      },
      Spin: { Type: 'Pass', Next: 'Again' },
      Never: { Type: 'Succeed' },
    },
  },
  HugeMap: {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: { StartAt: 'Each', States: { Each: { Type: 'Pass', ...end } } },
        ...end,
      },
    },
  },
  HugeResult: {
    StartAt: 'Call',
    States: {
      Call: {
        Type: 'Task',
        Resource: functionArn('huge'),
        // States.ALL does not catch States.DataLimitExceeded.
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
        ...end,
      },
      Handled: { Type: 'Succeed' },
    },
  },
  /** Once looped forever and took the process down with "heap out of memory". */
  PartitionByZero: {
    StartAt: 'Split',
    States: {
      Split: {
        Type: 'Pass',
        Parameters: { 'chunks.$': 'States.ArrayPartition($.array, 0)' },
        ...end,
      },
    },
  },
  HugeOutput: {
    StartAt: 'Double',
    States: { Double: { Type: 'Pass', Parameters: { 'a.$': '$.s', 'b.$': '$.s' }, ...end } },
  },
};

let t: EngineCloud;
beforeAll(async () => {
  t = await startEngineCloud({ machines, handlers });
});
afterAll(() => t.cloud.close());

/** Starts the runaway, then proves the process still serves while it runs. */
async function besideNormal(runaway: string) {
  const describedWhileRunning = await statusOf(t.client, runaway);
  const normal = await waitForStatus(t.client, await t.start('Normal'));
  expect(normal.status).toBe('SUCCEEDED');
  expect(JSON.parse(normal.output!)).toBe('hi');
  return describedWhileRunning.status;
}

describe('history quota (25,000 events)', () => {
  test.each([
    ['an endless Choice -> Pass loop', 'EndlessLoop', { n: 1 }],
    ['a Map over 30,000 items', 'HugeMap', { items: Array.from({ length: 30_000 }, () => 0) }],
  ] as const)('%s fails alone with States.Runtime', async (_, machine, input) => {
    const runaway = await t.start(machine, input);
    expect(await besideNormal(runaway)).toBe('RUNNING');
    const done = await waitForStatus(t.client, runaway, 60_000);
    expect(done).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: 'The execution reached the maximum number of history events (25000).',
    });
    const last = await lastEvent(t.client, runaway);
    expect(last).toMatchObject({ id: 25_000, type: 'ExecutionFailed' });
  });
});

describe('payload quota (256 KiB)', () => {
  test.each([
    ['a task result over 256 KiB', 'HugeResult', {}, /result of state 'Call'/],
    [
      'a state output over 256 KiB',
      'HugeOutput',
      { s: 'y'.repeat(150_000) },
      /output of state 'Double'/,
    ],
  ] as const)('%s fails with States.DataLimitExceeded', async (_, machine, input, cause) => {
    const runaway = await t.start(machine, input);
    await besideNormal(runaway);
    const done = await waitForStatus(t.client, runaway);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.DataLimitExceeded');
    expect(done.cause).toMatch(cause);
    expect((await t.types(runaway)).at(-1)).toBe('ExecutionFailed');
  });
});

describe('intrinsics', () => {
  test('States.ArrayPartition($.array, 0) fails its execution with States.IntrinsicFailure', async () => {
    const runaway = await t.start('PartitionByZero', { array: [1, 2, 3] });
    await besideNormal(runaway);
    const done = await waitForStatus(t.client, runaway);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.IntrinsicFailure' });
  });
});
