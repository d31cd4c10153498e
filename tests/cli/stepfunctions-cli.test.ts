import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { awsCli, cliAvailable } from '../support/aws-cli';
import { localCloudTest } from '../support/local-cloud';

/**
 * A developer's own state machine with the AWS CLI, start to finish: validate, create from a
 * file, run, describe, update, delete, and the errors a broken definition gets.
 */
const t = localCloudTest();
const aws = awsCli(() => t.cloud);
const ROLE = 'arn:aws:iam::000000000000:role/cli-role';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sfn-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, definition: unknown): string {
  const at = path.join(dir, name);
  writeFileSync(at, JSON.stringify(definition, null, 2));
  return `file://${at}`;
}

const hello = {
  StartAt: 'Greet',
  States: {
    Greet: {
      Type: 'Pass',
      Parameters: { 'greeting.$': "States.Format('Hello, {}!', $.name)" },
      End: true,
    },
  },
};

async function until(executionArn: string) {
  for (;;) {
    const described = await aws(
      'stepfunctions',
      'describe-execution',
      '--execution-arn',
      executionArn,
    );
    const status = (described.json as { status: string }).status;
    if (status !== 'RUNNING') return described.json as Record<string, unknown>;
  }
}

describe.skipIf(!cliAvailable)('a developer’s own state machine with the AWS CLI', () => {
  test('validate, create from a file, start, describe, update, delete', async () => {
    const valid = await aws(
      'stepfunctions',
      'validate-state-machine-definition',
      '--definition',
      file('hello.asl.json', hello),
    );
    expect(valid.json).toMatchObject({ result: 'OK', diagnostics: [] });

    const created = await aws(
      'stepfunctions',
      'create-state-machine',
      '--name',
      'Hello',
      '--definition',
      file('hello.asl.json', hello),
      '--role-arn',
      ROLE,
    );
    expect(created.status).toBe(0);
    const arn = (created.json as { stateMachineArn: string }).stateMachineArn;
    expect(arn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:Hello');

    const started = await aws(
      'stepfunctions',
      'start-execution',
      '--state-machine-arn',
      arn,
      '--input',
      '{"name":"Ada"}',
    );
    const executionArn = (started.json as { executionArn: string }).executionArn;
    const done = await until(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string)).toEqual({ greeting: 'Hello, Ada!' });

    const updated = await aws(
      'stepfunctions',
      'update-state-machine',
      '--state-machine-arn',
      arn,
      '--definition',
      file('hello-v2.asl.json', {
        ...hello,
        States: { Greet: { ...hello.States.Greet, Parameters: { 'greeting.$': '$.name' } } },
      }),
    );
    expect(updated.status).toBe(0);
    expect(updated.json).toHaveProperty('revisionId');

    const forExecution = await aws(
      'stepfunctions',
      'describe-state-machine-for-execution',
      '--execution-arn',
      executionArn,
    );
    expect(JSON.parse((forExecution.json as { definition: string }).definition)).toEqual(hello);

    expect(
      (await aws('stepfunctions', 'delete-state-machine', '--state-machine-arn', arn)).status,
    ).toBe(0);
    const gone = await aws('stepfunctions', 'describe-state-machine', '--state-machine-arn', arn);
    expect(gone.status).not.toBe(0);
    expect(gone.stderr).toContain('StateMachineDoesNotExist');
  });

  test('a broken definition gets InvalidDefinition on create and located diagnostics on validate', async () => {
    const broken = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } };
    const created = await aws(
      'stepfunctions',
      'create-state-machine',
      '--name',
      'Broken',
      '--definition',
      file('broken.asl.json', broken),
      '--role-arn',
      ROLE,
    );
    expect(created.status).not.toBe(0);
    expect(created.stderr).toContain('InvalidDefinition');
    expect(created.stderr).toContain('MISSING_TRANSITION_TARGET');

    const validated = await aws(
      'stepfunctions',
      'validate-state-machine-definition',
      '--definition',
      file('broken.asl.json', broken),
    );
    expect(validated.json).toMatchObject({
      result: 'FAIL',
      diagnostics: expect.arrayContaining([
        expect.objectContaining({ code: 'MISSING_TRANSITION_TARGET', location: '/States/A/Next' }),
        // The only state goes nowhere, so the machine has no way to end either.
        expect.objectContaining({ code: 'MISSING_END_STATE' }),
      ]),
    });
  });

  test('redrive-execution continues a failed execution from the state that failed', async () => {
    // `Work` picks item RedriveCount - 1 of a one-item array: out of range (a failure) on the
    // first attempt, item 0 once redriven. `Prepare` ran before the failure, so a redrive must
    // not run it again.
    const flaky = {
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Pass', Result: 'prepared', ResultPath: '$.step', Next: 'Work' },
        Work: {
          Type: 'Pass',
          Parameters: {
            'value.$':
              "States.ArrayGetItem(States.Array('ok'), States.MathAdd($$.Execution.RedriveCount, -1))",
          },
          End: true,
        },
      },
    };
    const created = await aws(
      'stepfunctions',
      'create-state-machine',
      '--name',
      'Flaky',
      '--definition',
      file('flaky.asl.json', flaky),
      '--role-arn',
      ROLE,
    );
    const arn = (created.json as { stateMachineArn: string }).stateMachineArn;
    const started = await aws('stepfunctions', 'start-execution', '--state-machine-arn', arn);
    const executionArn = (started.json as { executionArn: string }).executionArn;
    const failed = await until(executionArn);
    expect(failed).toMatchObject({
      status: 'FAILED',
      error: 'States.IntrinsicFailure',
      redriveCount: 0,
      redriveStatus: 'REDRIVABLE',
    });

    const redriven = await aws(
      'stepfunctions',
      'redrive-execution',
      '--execution-arn',
      executionArn,
    );
    expect(redriven.status).toBe(0);
    expect(redriven.json).toHaveProperty('redriveDate');
    const done = await until(executionArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(JSON.parse(done.output as string)).toEqual({ value: 'ok' });
    expect(done).toHaveProperty('redriveDate');
    const history = await aws(
      'stepfunctions',
      'get-execution-history',
      '--execution-arn',
      executionArn,
    );
    const events = (
      history.json as { events: { type: string; stateEnteredEventDetails?: { name: string } }[] }
    ).events;
    const entered = events
      .filter((e) => e.type === 'PassStateEntered')
      .map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual(['Prepare', 'Work', 'Work']);
    expect(events.map((e) => e.type)).toContain('ExecutionRedriven');

    const again = await aws('stepfunctions', 'redrive-execution', '--execution-arn', executionArn);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('ExecutionNotRedrivable');
  });
});
