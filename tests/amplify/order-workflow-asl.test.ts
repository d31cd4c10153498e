import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_ERRORS } from '../../amplify/functions/shared/errors';
import {
  functionArnPlaceholder,
  placeholdersIn,
  WORKFLOW_TASK_FUNCTIONS,
} from '../../amplify/workflow/placeholders';
import { ORDER_WORKFLOW_ASL_PATH } from '../../amplify/workflow/order-workflow';
import { failurePaths, reachableFrom, type AslDefinition } from './asl-graph';

// asl-validator ships no types; a local signature avoids a global `declare module` that
// another folder might also declare.
type AslValidator = (definition: unknown) => { isValid: boolean; errorsText: () => string };
const validator = createRequire(import.meta.url)('asl-validator') as AslValidator;

const text = readFileSync(ORDER_WORKFLOW_ASL_PATH, 'utf8');
const asl = JSON.parse(text) as AslDefinition;
const tasks = Object.entries(asl.States).filter(([, s]) => s.Type === 'Task');

describe('order-workflow.asl.json', () => {
  it('passes asl-validator as written and with ARNs substituted', () => {
    const raw = validator(asl);
    expect(raw.errorsText(), raw.errorsText()).toBe('');
    const substituted = JSON.parse(
      text.replace(
        /\$\{(\w+)\}/g,
        (_, name: string) => `arn:aws:lambda:eu-west-1:000000000000:function:${name}`,
      ),
    ) as AslDefinition;
    const result = validator(substituted);
    expect(result.isValid, result.errorsText()).toBe(true);
  });

  it('names function ARNs only through the contract placeholders', () => {
    expect(placeholdersIn(text).sort()).toEqual(
      WORKFLOW_TASK_FUNCTIONS.map(functionArnPlaceholder).sort(),
    );
    expect(text).not.toMatch(/arn:aws:lambda:/);
    expect(functionArnPlaceholder('reserve-inventory')).toBe('ReserveInventoryFunctionArn');
  });

  it('uses JSONPath only (the local engine ignores JSONata and Assign)', () => {
    expect(text).not.toMatch(/QueryLanguage|JSONata|"Assign"/);
  });

  it('gives every Task a Retry with exponential backoff, full jitter and a delay cap', () => {
    expect(tasks.length).toBe(6);
    for (const [name, state] of tasks) {
      expect(state.Retry?.length, name).toBeGreaterThan(0);
      for (const retrier of state.Retry ?? []) {
        expect(retrier.BackoffRate, name).toBeGreaterThan(1);
        expect(retrier.JitterStrategy, name).toBe('FULL');
        expect(retrier.MaxDelaySeconds, name).toBeGreaterThan(0);
        expect(retrier.ErrorEquals, name).not.toContain('States.ALL');
      }
    }
  });

  it('retries transient payment failures but never a decline or missing stock', () => {
    const retried = tasks.flatMap(([, s]) => (s.Retry ?? []).flatMap((r) => r.ErrorEquals));
    expect(asl.States.ChargePayment?.Retry?.[0]?.ErrorEquals).toEqual([
      WORKFLOW_ERRORS.paymentTransient,
    ]);
    expect(asl.States.ChargePayment?.Retry?.[0]?.MaxAttempts).toBeGreaterThanOrEqual(3);
    expect(retried).not.toContain(WORKFLOW_ERRORS.paymentDeclined);
    expect(retried).not.toContain(WORKFLOW_ERRORS.outOfStock);
    expect(retried).not.toContain(WORKFLOW_ERRORS.warehouseRejected);
  });

  it('waits for the warehouse by task token with heartbeat and timeout', () => {
    const step = asl.States.AwaitWarehouse!;
    expect(step.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    const payload = (step.Parameters?.Payload ?? {}) as Record<string, unknown>;
    expect(payload['taskToken.$']).toBe('$$.Task.Token');
    expect(step.Parameters?.FunctionName).toBe('${AwaitWarehouseFunctionArn}');
    expect(step.HeartbeatSeconds).toBeGreaterThan(0);
    expect(step.TimeoutSeconds).toBeGreaterThan(step.HeartbeatSeconds!);
    // The handler shows deadlines from these copies; they must not drift from the state's.
    expect(payload.timeoutSeconds).toBe(step.TimeoutSeconds);
    expect(payload.heartbeatSeconds).toBe(step.HeartbeatSeconds);
  });

  it('runs the happy path Reserve -> Charge -> AwaitWarehouse -> Ship -> success', () => {
    const path: string[] = [];
    for (let name: string | undefined = asl.StartAt; name; name = asl.States[name]?.Next) {
      path.push(name);
    }
    expect(path).toEqual([
      'ReserveInventory',
      'ChargePayment',
      'AwaitWarehouse',
      'ShipOrder',
      'OrderShipped',
    ]);
    expect(asl.States.OrderShipped?.Type).toBe('Succeed');
    expect(reachableFrom(asl, asl.StartAt).size).toBe(Object.keys(asl.States).length);
  });

  it('compensates every failure after reservation, ending in a Fail state', () => {
    for (const [name, state] of tasks) {
      expect(
        state.Catch?.some((c) => c.ErrorEquals.includes('States.ALL')),
        name,
      ).toBe(true);
    }
    const charged = ['ChargePayment', 'AwaitWarehouse', 'ShipOrder'];
    for (const from of ['ReserveInventory', ...charged]) {
      const paths = failurePaths(asl, from);
      expect(paths.length, from).toBeGreaterThan(0);
      for (const path of paths) {
        expect(path, path.join(' > ')).toContain('ReleaseInventory');
        if (charged.includes(from)) {
          expect(path.indexOf('RefundPayment'), path.join(' > ')).toBeGreaterThan(0);
          expect(path.indexOf('RefundPayment')).toBeLessThan(path.indexOf('ReleaseInventory'));
        }
        expect(asl.States[path.at(-1)!]?.Type, path.join(' > ')).toBe('Fail');
      }
    }
    expect(asl.States.OrderFailed).toMatchObject({ Type: 'Fail', Error: 'OrderFailed' });
  });

  it('passes the retry count to every task as attempt', () => {
    for (const [name, state] of tasks) {
      const params = (state.Parameters?.Payload ?? state.Parameters) as Record<string, unknown>;
      expect(params['attempt.$'], name).toBe('$$.State.RetryCount');
    }
  });
});
