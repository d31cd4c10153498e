import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  InvalidOutput,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, onTestFinished, test, vi } from 'vitest';
import type { LocalCloud } from '../../../local-cloud';
import { createManualClock } from '../../../local-cloud/core/clock';
import {
  history,
  machineArn,
  sfnClient,
  startFixtureCloud,
  waitFor,
  waitForStatus,
  waitForTaskToken,
} from '../helpers';

// Retries, heartbeats and timeouts run on this clock: time moves only when a test advances it.
const clock = createManualClock();
let cloud: LocalCloud;
let client: SFNClient;

beforeAll(async () => {
  cloud = await startFixtureCloud({ clock });
  client = sfnClient(cloud.url);
});
afterAll(() => cloud.close());

/** Waits until the engine has armed a timer (retry, heartbeat, timeout) due `ms` from now. */
async function timerDueIn(ms: number): Promise<void> {
  const dueAt = clock.now() + ms;
  await waitFor(() => (clock.pendingTimers().includes(dueAt) ? true : undefined));
}

async function statusOf(executionArn: string) {
  return (await client.send(new DescribeExecutionCommand({ executionArn }))).status;
}

/** Lets every promise reaction and I/O callback queued so far run (no wall-clock wait). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function startCallback(input: Record<string, unknown>) {
  const { executionArn } = await client.send(
    new StartExecutionCommand({
      stateMachineArn: machineArn('Callback'),
      input: JSON.stringify({ heartbeatSeconds: 3600, timeoutSeconds: 3600, ...input }),
    }),
  );
  return executionArn!;
}

describe('task tokens', () => {
  test('SendTaskSuccess completes the task with its output; the token then is closed', async () => {
    const arn = await startCallback({});
    const token = await waitForTaskToken(client, arn);
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"shipped":true}' }));
    const done = await waitForStatus(client, arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).callback).toEqual({ shipped: true });
    const types = (await history(client, arn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  test('SendTaskFailure raises the error, which Catch handles', async () => {
    const arn = await startCallback({});
    const token = await waitForTaskToken(client, arn);
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: token, output: 'not json' })),
    ).rejects.toBeInstanceOf(InvalidOutput);
    await client.send(
      new SendTaskFailureCommand({
        taskToken: token,
        error: 'Rejected',
        cause: 'no stock in warehouse',
      }),
    );
    const done = await waitForStatus(client, arn);
    expect(done).toMatchObject({
      status: 'FAILED',
      error: 'WarehouseRejected',
      cause: 'no stock in warehouse',
    });
    const failed = (await history(client, arn)).find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({
      error: 'Rejected',
      cause: 'no stock in warehouse',
    });
  });

  test('SendTaskFailure without error or cause records neither (not empty strings)', async () => {
    const arn = await startCallback({});
    await client.send(
      new SendTaskFailureCommand({ taskToken: await waitForTaskToken(client, arn) }),
    );
    const done = await waitForStatus(client, arn);
    expect(done.status).toBe('FAILED');
    expect(done).not.toHaveProperty('error');
    expect(done).not.toHaveProperty('cause');
    const failed = (await history(client, arn)).find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
    });
  });

  test('heartbeats keep a task alive past HeartbeatSeconds; silence times it out', async () => {
    const arn = await startCallback({ heartbeatSeconds: 10 });
    const token = await waitForTaskToken(client, arn);
    await timerDueIn(10_000);
    // Four heartbeats, each 1 ms before the deadline: 40 s in all, four times HeartbeatSeconds.
    for (let i = 0; i < 4; i += 1) {
      const deadline = clock.now() + 10_000;
      clock.advance(9_999);
      expect(await statusOf(arn)).toBe('RUNNING');
      await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
      // The deadline moved to 10 s after this heartbeat; the old one is gone.
      expect(clock.pendingTimers()).toContain(clock.now() + 10_000);
      expect(clock.pendingTimers()).not.toContain(deadline);
    }
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    expect((await waitForStatus(client, arn)).status).toBe('SUCCEEDED');

    const silent = await startCallback({ heartbeatSeconds: 5 });
    const silentToken = await waitForTaskToken(client, silent);
    await timerDueIn(5_000);
    clock.advance(4_999);
    expect(await statusOf(silent)).toBe('RUNNING');
    clock.advance(1);
    const done = await waitForStatus(client, silent);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    await expect(
      client.send(new SendTaskHeartbeatCommand({ taskToken: silentToken })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  test('TimeoutSeconds fails the task with States.Timeout', async () => {
    const arn = await startCallback({ timeoutSeconds: 5 });
    await waitForTaskToken(client, arn);
    await timerDueIn(5_000);
    clock.advance(4_999);
    expect(await statusOf(arn)).toBe('RUNNING');
    clock.advance(1);
    const done = await waitForStatus(client, arn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect((await history(client, arn)).map((e) => e.type)).toContain('TaskTimedOut');
  });

  test('a well-formed but unknown token is TaskDoesNotExist', async () => {
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: `LCT1${'A'.repeat(43)}`, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
  });

  test('StopExecution closes the token and records ExecutionAborted', async () => {
    const arn = await startCallback({});
    const token = await waitForTaskToken(client, arn);
    await client.send(
      new StopExecutionCommand({ executionArn: arn, error: 'Cancelled', cause: 'by test' }),
    );
    const done = await waitForStatus(client, arn);
    expect(done).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'by test' });
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    expect((await history(client, arn)).at(-1)?.type).toBe('ExecutionAborted');
  });
});

describe('retries', () => {
  /** Lets each backoff pass on the clock once the engine has armed it, in the order given. */
  async function passBackoffs(backoffsMs: number[]): Promise<void> {
    for (const backoff of backoffsMs) {
      await timerDueIn(backoff);
      clock.advance(backoff);
    }
  }

  test('Retry backs off exponentially, capped by MaxDelaySeconds, visible in history', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn('Retry'),
        input: JSON.stringify({ failTimes: 3, errorName: 'Transient' }),
      }),
    );
    // Intervals 1 s, 2 s, then 4 s capped to 3 s (MaxDelaySeconds).
    await passBackoffs([1_000, 2_000, 3_000]);
    const done = await waitForStatus(client, executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).result).toEqual({ attempt: 3 });
    const events = await history(client, executionArn!);
    const scheduled = events.filter((e) => e.type === 'LambdaFunctionScheduled');
    expect(scheduled).toHaveLength(4);
    expect(events.filter((e) => e.type === 'LambdaFunctionFailed')).toHaveLength(3);
    expect(JSON.parse(scheduled[3]!.lambdaFunctionScheduledEventDetails!.input!)).toMatchObject({
      attempt: 3,
    });
    // History timestamps are the clock's: each attempt came exactly one backoff after the last.
    const gaps = scheduled
      .slice(1)
      .map((e, i) => e.timestamp!.getTime() - scheduled[i]!.timestamp!.getTime());
    expect(gaps).toEqual([1_000, 2_000, 3_000]);
  });

  test('MaxAttempts 0 is not retried and goes to Catch; exhausted retries fail the execution', async () => {
    const declined = await client.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn('Retry'),
        input: JSON.stringify({ failTimes: 9, errorName: 'Declined' }),
      }),
    );
    const d = await waitForStatus(client, declined.executionArn!);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!).failure.Error).toBe('Declined');
    const events = await history(client, declined.executionArn!);
    expect(events.filter((e) => e.type === 'LambdaFunctionScheduled')).toHaveLength(1);

    const exhausted = await client.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn('Retry'),
        input: JSON.stringify({ failTimes: 9, errorName: 'Transient' }),
      }),
    );
    await passBackoffs([1_000, 2_000, 3_000]);
    expect(await waitForStatus(client, exhausted.executionArn!)).toMatchObject({
      status: 'FAILED',
      error: 'Transient',
    });
  });
});

describe('stop while a task runs', () => {
  test('the running handler is not re-run and nothing is recorded after the stop', async () => {
    const invoke = vi.spyOn(cloud.services.lambda, 'invoke');
    onTestFinished(() => invoke.mockRestore());
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sfn-stop-')), 'calls.log');
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn('SlowTask'),
        input: JSON.stringify({ file, ms: 300 }),
      }),
    );
    await waitFor(() => {
      try {
        return readFileSync(file, 'utf8').includes('started') ? true : undefined;
      } catch {
        return undefined;
      }
    });
    await client.send(new StopExecutionCommand({ executionArn }));
    const before = await history(client, executionArn!);
    expect(invoke).toHaveBeenCalledTimes(1);
    // The handler finishes after the stop; the engine reacts to its outcome at once.
    await invoke.mock.results[0]!.value;
    await settle();
    // Any retry (IntervalSeconds 1, MaxAttempts 5) would have been armed on the clock by now:
    // let all of them fall due, then give a re-run the same chance to start.
    clock.advance(60_000);
    await settle();
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(readFileSync(file, 'utf8')).toBe('started\n');
    const after = await history(client, executionArn!);
    expect(after).toEqual(before);
    expect(after.at(-1)?.type).toBe('ExecutionAborted');
  });
});
