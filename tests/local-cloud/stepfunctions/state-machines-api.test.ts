import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  InvalidArn,
  InvalidDefinition,
  InvalidName,
  ListStateMachinesCommand,
  MissingRequiredParameter,
  SFNClient,
  StartExecutionCommand,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  StateMachineTypeNotSupported,
  InvalidLoggingConfiguration,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalCloud } from '../../../local-cloud';
import { createManualClock } from '../../../local-cloud/core/clock';
import { clientConfig, startTestCloud } from '../../support/local-cloud';
import { waitFor, waitForStatus } from '../helpers';

/**
 * The state machine API with the official client, as a developer uses it with their own
 * definitions: no backend, only what the calls create.
 */
const ROLE = 'arn:aws:iam::000000000000:role/my-machine-role';
const passMachine = (result: unknown) =>
  JSON.stringify({
    Comment: 'A developer machine',
    StartAt: 'Answer',
    States: { Answer: { Type: 'Pass', Result: result, End: true } },
  });
/** Waits one hour on the (manual) clock, then answers: an execution that stays RUNNING. */
const waitingMachine = (result: unknown) =>
  JSON.stringify({
    StartAt: 'Hold',
    States: {
      Hold: { Type: 'Wait', Seconds: 3600, Next: 'Answer' },
      Answer: { Type: 'Pass', Result: result, End: true },
    },
  });

const clock = createManualClock();
let cloud: LocalCloud;
let client: SFNClient;
beforeAll(async () => {
  cloud = await startTestCloud({ clock });
  client = new SFNClient(clientConfig(cloud));
});
afterAll(() => cloud.close());

const create = (name: string, definition: string, extra: Record<string, unknown> = {}) =>
  client.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE, ...extra }));

describe('CreateStateMachine', () => {
  test('creates a machine that Describe, List and StartExecution see', async () => {
    const definition = passMachine({ answer: 42 });
    const created = await create('Answer', definition);
    expect(created.stateMachineArn).toBe(
      'arn:aws:states:us-east-1:000000000000:stateMachine:Answer',
    );
    expect(created.creationDate).toBeInstanceOf(Date);

    const described = await client.send(
      new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }),
    );
    expect(described).toMatchObject({
      name: 'Answer',
      status: 'ACTIVE',
      type: 'STANDARD',
      definition,
      roleArn: ROLE,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    });
    expect(described.revisionId).toMatch(/\S+/);

    const listed = await client.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((m) => m.name)).toContain('Answer');

    const run = await client.send(
      new StartExecutionCommand({ stateMachineArn: created.stateMachineArn, name: 'first' }),
    );
    const done = await waitForStatus(client, run.executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ answer: 42 });
  });

  test('is idempotent for the same definition, and refuses another under the same name', async () => {
    const first = await create('Twice', passMachine(1));
    const again = await create('Twice', passMachine(1), { roleArn: ROLE.replace('my', 'other') });
    expect(again.stateMachineArn).toBe(first.stateMachineArn);
    expect(again.creationDate).toEqual(first.creationDate);
    await expect(create('Twice', passMachine(2))).rejects.toBeInstanceOf(StateMachineAlreadyExists);
  });

  test.each([
    ['a definition that is not JSON', '{"StartAt": '],
    [
      'a Next that goes nowhere',
      JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } }),
    ],
    [
      'a StartAt that names no state',
      JSON.stringify({ StartAt: 'Nope', States: { A: { Type: 'Succeed' } } }),
    ],
  ])('answers InvalidDefinition for %s', async (_, definition) => {
    const error = await create('Broken', definition).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDefinition);
    expect((error as Error).message).toMatch(/^Invalid State Machine Definition: '/);
    await expect(
      client.send(new DescribeStateMachineCommand({ stateMachineArn: machine('Broken') })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  test('refuses a bad name, a bad role, a missing role and an Express machine', async () => {
    await expect(create('has space', passMachine(1))).rejects.toBeInstanceOf(InvalidName);
    await expect(create('x'.repeat(81), passMachine(1))).rejects.toBeInstanceOf(InvalidName);
    await expect(create('Role', passMachine(1), { roleArn: 'not-an-arn' })).rejects.toBeInstanceOf(
      InvalidArn,
    );
    await expect(
      client.send(
        new CreateStateMachineCommand({ name: 'NoRole', definition: passMachine(1) } as never),
      ),
    ).rejects.toBeInstanceOf(ValidationException);
    const express = await create('Fast', passMachine(1), { type: 'EXPRESS' }).catch((e) => e);
    expect(express).toBeInstanceOf(StateMachineTypeNotSupported);
    expect((express as Error).message).toMatch(/STANDARD state machines only/);
  });
});

const machine = (name: string) => `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`;

describe('UpdateStateMachine and DescribeStateMachineForExecution', () => {
  test('a running execution keeps the revision it started on; new ones run the update', async () => {
    const v1 = waitingMachine('v1');
    const { stateMachineArn } = await create('Versioned', v1);
    const before = await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    const old = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'old' }));

    const v2 = passMachine('v2');
    const updated = await client.send(
      new UpdateStateMachineCommand({ stateMachineArn, definition: v2 }),
    );
    expect(updated.updateDate).toBeInstanceOf(Date);
    expect(updated.revisionId).not.toBe(before.revisionId);
    const after = await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(after.definition).toBe(v2);
    expect(after.revisionId).toBe(updated.revisionId);

    const forOld = await client.send(
      new DescribeStateMachineForExecutionCommand({ executionArn: old.executionArn }),
    );
    expect(forOld).toMatchObject({
      stateMachineArn,
      name: 'Versioned',
      definition: v1,
      roleArn: ROLE,
      revisionId: before.revisionId,
    });

    const fresh = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'new' }));
    expect(JSON.parse((await waitForStatus(client, fresh.executionArn!)).output!)).toBe('v2');
    clock.advance(3600_000);
    const oldDone = await waitForStatus(client, old.executionArn!);
    expect(JSON.parse(oldDone.output!)).toBe('v1');
  });

  test('refuses an update without changes, of a missing machine, or to an invalid definition', async () => {
    const { stateMachineArn } = await create('Stable', passMachine(1));
    await expect(
      client.send(new UpdateStateMachineCommand({ stateMachineArn })),
    ).rejects.toBeInstanceOf(MissingRequiredParameter);
    await expect(
      client.send(
        new UpdateStateMachineCommand({
          stateMachineArn: machine('Ghost'),
          definition: passMachine(1),
        }),
      ),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: '{}' })),
    ).rejects.toBeInstanceOf(InvalidDefinition);
    const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described.definition).toBe(passMachine(1));
  });
});

describe('configuration', () => {
  test('logging above OFF needs exactly one destination; tracing is a boolean', async () => {
    await expect(
      create('Logged', passMachine(1), { loggingConfiguration: { level: 'ALL' } }),
    ).rejects.toBeInstanceOf(InvalidLoggingConfiguration);
    const logGroupArn = 'arn:aws:logs:us-east-1:000000000000:log-group:/sfn/logged:*';
    const destinations = [{ cloudWatchLogsLogGroup: { logGroupArn } }];
    const { stateMachineArn } = await create('Logged', passMachine(1), {
      loggingConfiguration: { level: 'ERROR', includeExecutionData: true, destinations },
      tracingConfiguration: { enabled: true },
    });
    const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described.loggingConfiguration).toEqual({
      level: 'ERROR',
      includeExecutionData: true,
      destinations,
    });
    expect(described.tracingConfiguration).toEqual({ enabled: true });
  });

  test('an update that changes nothing keeps the revision', async () => {
    const { stateMachineArn } = await create('Same', passMachine(1));
    const before = await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    const updated = await client.send(
      new UpdateStateMachineCommand({ stateMachineArn, definition: passMachine(1) }),
    );
    expect(updated.revisionId).toBe(before.revisionId);
  });
});

describe('DeleteStateMachine', () => {
  test('an idle machine is gone at once; deleting it again succeeds', async () => {
    const { stateMachineArn } = await create('Idle', passMachine(1));
    await client.send(new DeleteStateMachineCommand({ stateMachineArn }));
    await expect(
      client.send(new DescribeStateMachineCommand({ stateMachineArn })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await client.send(new DeleteStateMachineCommand({ stateMachineArn }));
  });

  test('a machine with running executions terminates them, then disappears', async () => {
    const { stateMachineArn } = await create('Busy', waitingMachine('never'));
    const run = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'busy' }));
    await client.send(new DeleteStateMachineCommand({ stateMachineArn }));
    const stopped = await waitForStatus(client, run.executionArn!);
    expect(stopped.status).toBe('FAILED');
    expect(stopped.error).toBe('States.Runtime');
    expect(stopped.cause).toBe('State machine Busy has been deleted.');
    await expect(
      client.send(new DescribeStateMachineCommand({ stateMachineArn })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    // The execution and the definition it ran are still there to look at.
    const forRun = await client.send(
      new DescribeStateMachineForExecutionCommand({ executionArn: run.executionArn }),
    );
    expect(forRun.definition).toBe(waitingMachine('never'));
  });
});

describe('ValidateStateMachineDefinition', () => {
  test('OK for a valid definition, FAIL with located diagnostics for a broken one', async () => {
    const ok = await client.send(
      new ValidateStateMachineDefinitionCommand({ definition: passMachine(1) }),
    );
    expect(ok).toMatchObject({ result: 'OK', diagnostics: [], truncated: false });
    const broken = await client.send(
      new ValidateStateMachineDefinitionCommand({
        definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } }),
      }),
    );
    expect(broken.result).toBe('FAIL');
    expect(broken.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'ERROR',
        code: 'MISSING_TRANSITION_TARGET',
        location: '/States/A/Next',
      }),
    );
  });
});

describe('persistence', () => {
  test('machines created through the API are still there after a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sfn-machines-'));
    try {
      const first = await startTestCloud({ dataDir });
      const sfn = new SFNClient(clientConfig(first));
      await sfn.send(
        new CreateStateMachineCommand({
          name: 'Kept',
          definition: passMachine('kept'),
          roleArn: ROLE,
        }),
      );
      await first.close();

      const second = await startTestCloud({ dataDir });
      try {
        const again = new SFNClient(clientConfig(second));
        const described = await again.send(
          new DescribeStateMachineCommand({ stateMachineArn: machine('Kept') }),
        );
        expect(described.definition).toBe(passMachine('kept'));
        const run = await again.send(
          new StartExecutionCommand({ stateMachineArn: machine('Kept') }),
        );
        const done = await waitFor(async () => {
          const d = await again.send(
            new DescribeExecutionCommand({ executionArn: run.executionArn }),
          );
          return d.status === 'RUNNING' ? undefined : d;
        });
        expect(JSON.parse(done.output!)).toBe('kept');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
