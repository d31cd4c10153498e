import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { workflowsBackend } from '../../../local-cloud';
import {
  functionNameFromPlaceholder,
  functionNameFromReference,
  kebabToPascal,
  pascalToKebab,
} from '../../../local-cloud/lambda/naming';
import { substitute } from '../../../local-cloud/stepfunctions/definitions/machines';
import { retryDelayMs } from '../../../local-cloud/stepfunctions/language/retry';
import { errorMatches } from '../../../local-cloud/stepfunctions/language/errors';
import { FIXTURE_FUNCTIONS, FIXTURE_WORKFLOWS } from '../helpers';

describe('ARN -> handler mapping', () => {
  test('placeholders and file names follow the contract naming rule', () => {
    expect(functionNameFromPlaceholder('ReserveInventoryFunctionArn')).toBe('reserve-inventory');
    expect(functionNameFromPlaceholder('AwaitWarehouseFunctionArn')).toBe('await-warehouse');
    expect(functionNameFromPlaceholder('OrdersTableName')).toBeUndefined();
    expect(kebabToPascal('status-publisher')).toBe('StatusPublisher');
    expect(pascalToKebab('StatusPublisher')).toBe('status-publisher');
  });

  test('any FunctionName form maps to the function name', () => {
    expect(
      functionNameFromReference('arn:aws:lambda:us-east-1:000000000000:function:ship-order'),
    ).toBe('ship-order');
    expect(
      functionNameFromReference(
        'arn:aws:lambda:us-east-1:000000000000:function:ship-order:$LATEST',
      ),
    ).toBe('ship-order');
    expect(functionNameFromReference('000000000000:function:ship-order')).toBe('ship-order');
    expect(functionNameFromReference('ship-order')).toBe('ship-order');
    expect(functionNameFromReference('arn:aws:s3:::bucket')).toBeUndefined();
  });

  test('a workflows folder is a backend: one machine per ASL file, code from <functionsDir>/<name>/handler.ts', () => {
    const backend = workflowsBackend({
      workflowsDir: FIXTURE_WORKFLOWS,
      functionsDir: FIXTURE_FUNCTIONS,
      region: 'us-east-1',
    });
    const order = backend.stateMachines.find((machine) => machine.name === 'OrderWorkflow');
    expect(order?.substitutions.AwaitWarehouseFunctionArn).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:await-warehouse',
    );
    const appendLine = backend.functions.find((fn) => fn.name === 'append-line');
    expect(appendLine?.code).toEqual({
      path: path.join(FIXTURE_FUNCTIONS, 'append-line', 'handler.ts'),
    });
    // Placeholders with no handler folder name a function that exists but cannot run.
    expect(backend.functions.find((fn) => fn.name === 'await-warehouse')?.code).toBeUndefined();
    expect(
      workflowsBackend({
        workflowsDir: path.join(FIXTURE_WORKFLOWS, 'nope'),
        functionsDir: FIXTURE_FUNCTIONS,
        region: 'us-east-1',
      }).stateMachines,
    ).toEqual([]);
  });
});

describe('DefinitionSubstitutions', () => {
  const text =
    '{"a":"${ReserveInventoryFunctionArn}","b":"${ReserveInventoryFunctionArn}","c":"${Other}"}';

  test('every placeholder must resolve', () => {
    const arn = 'arn:aws:lambda:eu-west-1:000000000000:function:reserve-inventory';
    const subs = { ReserveInventoryFunctionArn: arn };
    expect(() => substitute(text, subs, 'x.asl.json')).toThrow(
      /no local value for DefinitionSubstitutions \$\{Other\}/,
    );
    expect(JSON.parse(substitute(text, { ...subs, Other: 'v' }, 'x'))).toEqual({
      a: arn,
      b: arn,
      c: 'v',
    });
  });
});

describe('engine pieces', () => {
  test('retry delay: exponential, capped, FULL jitter within [0, delay]', () => {
    const r = { ErrorEquals: ['X'], IntervalSeconds: 1, BackoffRate: 2, MaxDelaySeconds: 5 };
    expect([0, 1, 2, 3].map((n) => retryDelayMs(r, n))).toEqual([1000, 2000, 4000, 5000]);
    expect(retryDelayMs({ ...r, JitterStrategy: 'FULL' }, 2, () => 0.25)).toBe(1000);
    expect(retryDelayMs({ ErrorEquals: ['X'] }, 1)).toBe(2000);
  });

  test('error matching: States.ALL skips States.Runtime; TaskFailed skips timeouts', () => {
    expect(errorMatches(['States.ALL'], 'PaymentDeclined')).toBe(true);
    expect(errorMatches(['States.ALL'], 'States.Runtime')).toBe(false);
    expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false);
    expect(errorMatches(['States.TaskFailed'], 'OutOfStock')).toBe(true);
    // A missed heartbeat is a timeout: States.Timeout catches it, States.TaskFailed does not.
    expect(errorMatches(['States.Timeout'], 'States.HeartbeatTimeout')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'States.HeartbeatTimeout')).toBe(false);
    expect(errorMatches(['States.HeartbeatTimeout'], 'States.Timeout')).toBe(false);
  });
});
