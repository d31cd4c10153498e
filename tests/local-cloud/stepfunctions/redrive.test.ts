import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SendTaskSuccessCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_WORKFLOWS, history, waitForStatus, waitForTaskToken } from '../helpers';
import { functionArn, startEngineCloud, type EngineCloud } from './engine/harness';

/**
 * RedriveExecution with the official client: the order workflow fails at shipping, the carrier
 * recovers, the redrive completes the order without reserving or charging twice.
 */
const calls: Record<string, number> = {};
let carrierDown = true;
const counted = (name: string, result: (event: unknown) => unknown) => async (event: unknown) => {
  calls[name] = (calls[name] ?? 0) + 1;
  return result(event);
};

/** The fixture shaped like the project's order workflow, its Lambda ARNs substituted. */
const orderWorkflow = JSON.parse(
  readFileSync(path.join(FIXTURE_WORKFLOWS, 'order-workflow.asl.json'), 'utf8').replace(
    /\$\{(\w+)FunctionArn\}/g,
    (_, name: string) => functionArn(name),
  ),
) as object;

let t: EngineCloud;
beforeAll(async () => {
  t = await startEngineCloud({
    machines: {
      OrderWorkflow: orderWorkflow,
      Hold: {
        StartAt: 'Wait',
        States: {
          Wait: { Type: 'Wait', Seconds: 60, Next: 'Done' },
          Done: { Type: 'Pass', Result: 'held', End: true },
        },
      },
      Slow: {
        TimeoutSeconds: 30,
        StartAt: 'Wait',
        States: { Wait: { Type: 'Wait', Seconds: 60, End: true } },
      },
    },
    handlers: {
      ReserveInventory: counted('reserve', () => ({ reserved: true })),
      ChargePayment: counted('charge', () => ({ charged: true })),
      AwaitWarehouse: counted('warehouse', () => ({})),
      ShipOrder: counted('ship', () => {
        if (carrierDown) throw Object.assign(new Error('carrier is down'), { name: 'CarrierDown' });
        return { tracking: 'TRK-1' };
      }),
      ReleaseInventory: counted('release', () => ({})),
      RefundPayment: counted('refund', () => ({})),
    },
  });
});
afterAll(() => t.cloud.close());

describe('RedriveExecution', () => {
  test('a failed task is redriven from where it failed, and the order completes', async () => {
    const arn = await t.start('OrderWorkflow', { orderId: 'o-1', lines: [] }, 'order-1');
    const token = await waitForTaskToken(t.client, arn);
    await t.client.send(
      new SendTaskSuccessCommand({ taskToken: token, output: '{"packed":true}' }),
    );
    const failed = await waitForStatus(t.client, arn);
    expect(failed).toMatchObject({
      status: 'FAILED',
      error: 'CarrierDown',
      redriveCount: 0,
      redriveStatus: 'REDRIVABLE',
    });

    carrierDown = false;
    const redriven = await t.client.send(new RedriveExecutionCommand({ executionArn: arn }));
    expect(redriven.redriveDate).toBeInstanceOf(Date);
    const done = await waitForStatus(t.client, arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.redriveCount).toBe(1);
    expect(done.redriveDate).toEqual(redriven.redriveDate);
    expect(JSON.parse(done.output!)).toMatchObject({
      orderId: 'o-1',
      reservation: { reserved: true },
      payment: { charged: true },
      warehouse: { packed: true },
      shipment: { tracking: 'TRK-1' },
    });
    // The steps that had succeeded ran once; shipping ran once per attempt.
    expect(calls).toMatchObject({ reserve: 1, charge: 1, warehouse: 1, ship: 2 });

    const events = await history(t.client, arn);
    const redriveAt = events.findIndex((e) => e.type === 'ExecutionRedriven');
    expect(events[redriveAt]?.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    expect(events[redriveAt - 1]?.type).toBe('ExecutionFailed');
    expect(events[redriveAt + 1]).toMatchObject({
      type: 'TaskStateEntered',
      stateEnteredEventDetails: { name: 'ShipOrder' },
    });
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));

    const listed = async (redriveFilter: 'REDRIVEN' | 'NOT_REDRIVEN') =>
      (
        await t.client.send(
          new ListExecutionsCommand({ stateMachineArn: done.stateMachineArn, redriveFilter }),
        )
      ).executions?.map((e) => e.name);
    expect(await listed('REDRIVEN')).toEqual(['order-1']);
    expect(await listed('NOT_REDRIVEN')).not.toContain('order-1');

    const again = await t.client
      .send(new RedriveExecutionCommand({ executionArn: arn }))
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ExecutionNotRedrivable);
    const described = await t.client.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(described).toMatchObject({
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven.',
    });
  });

  test('an aborted execution resumes the state it was stopped in', async () => {
    const arn = await t.start('Hold', {}, 'hold-1');
    await t.timerDueIn(60_000);
    const running = await t.client
      .send(new RedriveExecutionCommand({ executionArn: arn }))
      .catch((e: unknown) => e);
    expect(running).toBeInstanceOf(ExecutionNotRedrivable);
    await t.client.send(new StopExecutionCommand({ executionArn: arn }));
    expect((await waitForStatus(t.client, arn)).redriveStatus).toBe('REDRIVABLE');

    await t.client.send(new RedriveExecutionCommand({ executionArn: arn }));
    await t.timerDueIn(60_000);
    t.clock.advance(60_000);
    const done = await waitForStatus(t.client, arn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '"held"', redriveCount: 1 });
  });

  test('a timed-out execution can be redriven, and gets its timeout afresh', async () => {
    const arn = await t.start('Slow', {}, 'slow-1');
    await t.timerDueIn(30_000);
    t.clock.advance(30_000);
    expect((await waitForStatus(t.client, arn)).status).toBe('TIMED_OUT');
    await t.client.send(new RedriveExecutionCommand({ executionArn: arn }));
    await t.timerDueIn(30_000);
    t.clock.advance(30_000);
    const again = await waitForStatus(t.client, arn);
    expect(again).toMatchObject({ status: 'TIMED_OUT', redriveCount: 1 });
  });

  test('an unknown execution is ExecutionDoesNotExist', async () => {
    await expect(
      t.client.send(
        new RedriveExecutionCommand({
          executionArn: 'arn:aws:states:us-east-1:000000000000:execution:Hold:nope',
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });
});
