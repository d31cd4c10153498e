import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { foldHistory } from './state-progress';

let id = 0;
const at = (type: string, details: Partial<HistoryEvent> = {}): HistoryEvent => ({
  id: ++id,
  type: type as HistoryEvent['type'],
  timestamp: new Date(Date.UTC(2026, 11, 2, 8, 0, id)),
  ...details,
});
const entered = (name: string, type = 'TaskStateEntered') =>
  at(type, { stateEnteredEventDetails: { name } });
const exited = (name: string, type = 'TaskStateExited') =>
  at(type, { stateExitedEventDetails: { name } });
const failed = (error: string) =>
  at('LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: { error, cause: 'why' } });

describe('foldHistory', () => {
  it('counts attempts, marks a caught failure and the failed end, and records the path', () => {
    id = 0;
    const progress = foldHistory([
      at('ExecutionStarted'),
      entered('ReserveInventory'),
      at('LambdaFunctionScheduled'),
      at('LambdaFunctionSucceeded'),
      exited('ReserveInventory'),
      entered('ChargePayment'),
      at('LambdaFunctionScheduled'),
      failed('PaymentTransientError'),
      at('LambdaFunctionScheduled'),
      failed('PaymentDeclined'),
      exited('ChargePayment'),
      entered('RefundPayment'),
      at('LambdaFunctionScheduled'),
      at('LambdaFunctionSucceeded'),
      exited('RefundPayment'),
      entered('OrderFailed', 'FailStateEntered'),
      at('ExecutionFailed', { executionFailedEventDetails: { error: 'PaymentDeclined' } }),
    ]);
    expect(progress.path).toEqual([
      'ReserveInventory',
      'ChargePayment',
      'RefundPayment',
      'OrderFailed',
    ]);
    expect(progress.transitions).toEqual([
      { from: 'ReserveInventory', to: 'ChargePayment' },
      { from: 'ChargePayment', to: 'RefundPayment' },
      { from: 'RefundPayment', to: 'OrderFailed' },
    ]);
    expect(progress.states.ReserveInventory).toMatchObject({ outcome: 'succeeded', attempts: 1 });
    expect(progress.states.ChargePayment).toMatchObject({
      outcome: 'caught',
      attempts: 2,
      error: { error: 'PaymentDeclined', cause: 'why' },
    });
    expect(progress.states.OrderFailed).toMatchObject({ outcome: 'failed', attempts: 0 });
    expect(progress.states.AwaitWarehouse).toBeUndefined();
  });

  it('shows a state waiting out its retry interval as retrying, and a running one as running', () => {
    id = 0;
    const events = [
      entered('ChargePayment'),
      at('LambdaFunctionScheduled'),
      failed('TransientError'),
    ];
    expect(foldHistory(events).states.ChargePayment).toMatchObject({
      outcome: 'retrying',
      attempts: 1,
    });
    events.push(at('LambdaFunctionScheduled'));
    expect(foldHistory(events).states.ChargePayment).toMatchObject({
      outcome: 'running',
      attempts: 2,
    });
  });

  it('ends the current state as failed or stopped with the execution, and redrive re-enters it', () => {
    id = 0;
    const ended = [
      entered('ReleaseInventory'),
      at('LambdaFunctionScheduled'),
      failed('TransientError'),
      at('ExecutionFailed'),
    ];
    expect(foldHistory(ended).states.ReleaseInventory!.outcome).toBe('failed');
    const redriven = foldHistory([
      ...ended,
      at('ExecutionRedriven'),
      entered('ReleaseInventory'),
      at('LambdaFunctionScheduled'),
      at('LambdaFunctionSucceeded'),
      exited('ReleaseInventory'),
    ]);
    expect(redriven.states.ReleaseInventory).toMatchObject({ outcome: 'succeeded', attempts: 2 });
    expect(redriven.path).toEqual(['ReleaseInventory', 'ReleaseInventory']);
    expect(redriven.transitions).toEqual([]);
    const stopped = foldHistory([
      entered('AwaitWarehouse'),
      at('TaskScheduled'),
      at('ExecutionAborted'),
    ]);
    expect(stopped.states.AwaitWarehouse!.outcome).toBe('stopped');
  });
});
