import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalCloud } from '../../../local-cloud';
import { history, machineArn, sfnClient, startFixtureCloud, waitForStatus } from '../helpers';

let cloud: LocalCloud;
let client: SFNClient;
const callbackArn = machineArn('Callback');
const flowInput = JSON.stringify({ orderId: 'ord-7', items: [{ sku: 'a' }, { sku: 'b' }] });

beforeAll(async () => {
  cloud = await startFixtureCloud({ timeScale: 1000 });
  client = sfnClient(cloud.url);
});
afterAll(() => cloud.close());

describe('state machines', () => {
  test('ListStateMachines lists every fixture ASL file under its PascalCase name', async () => {
    const page = await client.send(new ListStateMachinesCommand({}));
    const names = page.stateMachines?.map((m) => m.name);
    expect(names).toEqual(['Callback', 'Crash', 'Flow', 'OrderWorkflow', 'Retry', 'SlowTask']);
    expect(page.stateMachines?.[0]?.stateMachineArn).toBe(callbackArn);
    expect(page.stateMachines?.[0]?.creationDate).toBeInstanceOf(Date);
    const first = await client.send(new ListStateMachinesCommand({ maxResults: 4 }));
    const rest = await client.send(
      new ListStateMachinesCommand({ maxResults: 4, nextToken: first.nextToken }),
    );
    expect([...first.stateMachines!, ...rest.stateMachines!].map((m) => m.name)).toEqual(names);
    expect(rest.nextToken).toBeUndefined();
  });

  test('DescribeStateMachine returns the substituted definition', async () => {
    const m = await client.send(
      new DescribeStateMachineCommand({ stateMachineArn: machineArn('Flow') }),
    );
    expect(m.status).toBe('ACTIVE');
    expect(m.type).toBe('STANDARD');
    expect(m.definition).toContain('arn:aws:lambda:us-east-1:000000000000:function:echo');
    expect(m.definition).not.toContain('${');
    await expect(
      client.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn('Nope') })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });
});

describe('StartExecution / DescribeExecution', () => {
  test('runs an execution to SUCCEEDED with output and epoch-second dates', async () => {
    const before = Date.now();
    const started = await client.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn('Flow'),
        name: 'flow-ok',
        input: flowInput,
      }),
    );
    expect(started.executionArn).toBe(
      'arn:aws:states:us-east-1:000000000000:execution:Flow:flow-ok',
    );
    expect(started.startDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const done = await waitForStatus(client, started.executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      id: 'ord-7',
      items: [
        { sku: 'a', index: 0, root: 'ord-7' },
        { sku: 'b', index: 1, root: 'ord-7' },
      ],
    });
    expect(done.stopDate!.getTime()).toBeGreaterThanOrEqual(done.startDate!.getTime());
    expect(done.input).toBe(flowInput);
  });

  test('a Fail state fails the execution with its error and cause', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn('Flow'),
        input: JSON.stringify({ orderId: 'x', items: [1, 2] }),
      }),
    );
    const done = await waitForStatus(client, executionArn!);
    expect(done).toMatchObject({
      status: 'FAILED',
      error: 'NotAnOrder',
      cause: 'orderId must start with ord-',
    });
  });

  test('the name is an idempotency key: same input returns the same execution, other input fails', async () => {
    const input = JSON.stringify({ heartbeatSeconds: 36_000, timeoutSeconds: 36_000 });
    const first = await client.send(
      new StartExecutionCommand({ stateMachineArn: callbackArn, name: 'idem-1', input }),
    );
    const again = await client.send(
      new StartExecutionCommand({ stateMachineArn: callbackArn, name: 'idem-1', input }),
    );
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    await expect(
      client.send(
        new StartExecutionCommand({
          stateMachineArn: callbackArn,
          name: 'idem-1',
          input: '{"other":1}',
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    // AWS: once the execution is closed, even the same input is ExecutionAlreadyExists.
    await client.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    await expect(
      client.send(
        new StartExecutionCommand({ stateMachineArn: callbackArn, name: 'idem-1', input }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  test('rejects bad requests with the modelled AWS errors', async () => {
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: machineArn('Missing') })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: callbackArn, input: '{not json' })),
    ).rejects.toBeInstanceOf(InvalidExecutionInput);
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: callbackArn, name: 'has space' })),
    ).rejects.toBeInstanceOf(InvalidName);
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: 'not-an-arn' })),
    ).rejects.toBeInstanceOf(InvalidArn);
    await expect(
      client.send(
        new DescribeExecutionCommand({
          executionArn: 'arn:aws:states:us-east-1:000000000000:execution:Flow:ghost',
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    const error = await client
      .send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidToken);
    expect((error as InvalidToken).$metadata.httpStatusCode).toBe(400);
  });
});

describe('ListExecutions', () => {
  test('filters by status and pages newest first', async () => {
    const arns: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { executionArn } = await client.send(
        new StartExecutionCommand({
          stateMachineArn: machineArn('Retry'),
          input: JSON.stringify({ failTimes: 0, errorName: 'Transient' }),
        }),
      );
      arns.push(executionArn!);
    }
    for (const arn of arns) await waitForStatus(client, arn);
    const pages: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListExecutionsCommand({
          stateMachineArn: machineArn('Retry'),
          statusFilter: 'SUCCEEDED',
          maxResults: 2,
          nextToken,
        }),
      );
      expect(page.executions!.length).toBeLessThanOrEqual(2);
      pages.push(...page.executions!.map((e) => e.executionArn!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(pages).toEqual([...arns].reverse());
    const running = await client.send(
      new ListExecutionsCommand({ stateMachineArn: machineArn('Retry'), statusFilter: 'RUNNING' }),
    );
    expect(running.executions).toEqual([]);
  });
});

describe('GetExecutionHistory', () => {
  test('AWS event types, ids, previousEventId, paging and reverse order', async () => {
    const arn = 'arn:aws:states:us-east-1:000000000000:execution:Flow:flow-ok';
    const all = await history(client, arn);
    expect(all[0]).toMatchObject({ id: 1, previousEventId: 0, type: 'ExecutionStarted' });
    expect(all[0]!.executionStartedEventDetails?.input).toBe(flowInput);
    expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i + 1));
    const types = all.map((e) => e.type);
    for (const type of [
      'PassStateEntered',
      'ChoiceStateExited',
      'WaitStateEntered',
      'ParallelStateStarted',
      'MapIterationStarted',
      'LambdaFunctionScheduled',
      'LambdaFunctionSucceeded',
      'TaskScheduled',
      'TaskSucceeded',
      'MapStateSucceeded',
      'ParallelStateSucceeded',
    ]) {
      expect(types).toContain(type);
    }
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(all[0]!.timestamp).toBeInstanceOf(Date);
    expect(Math.abs(all[0]!.timestamp!.getTime() - Date.now())).toBeLessThan(60_000);

    const page1 = await client.send(
      new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 10 }),
    );
    expect(page1.events!.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const page2 = await client.send(
      new GetExecutionHistoryCommand({
        executionArn: arn,
        maxResults: 10,
        nextToken: page1.nextToken,
      }),
    );
    expect(page2.events![0]!.id).toBe(11);

    const reversed = await client.send(
      new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 3 }),
    );
    expect(reversed.events!.map((e) => e.id)).toEqual([all.length, all.length - 1, all.length - 2]);
    const reversed2 = await client.send(
      new GetExecutionHistoryCommand({
        executionArn: arn,
        reverseOrder: true,
        maxResults: 3,
        nextToken: reversed.nextToken,
      }),
    );
    expect(reversed2.events![0]!.id).toBe(all.length - 3);

    const noData = await client.send(
      new GetExecutionHistoryCommand({
        executionArn: arn,
        includeExecutionData: false,
        maxResults: 1,
      }),
    );
    expect(noData.events![0]!.executionStartedEventDetails?.input).toBeUndefined();

    await expect(
      client.send(new GetExecutionHistoryCommand({ executionArn: arn, nextToken: 'bogus' })),
    ).rejects.toBeInstanceOf(InvalidToken);
  });
});
