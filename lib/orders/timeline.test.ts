import { describe, expect, it } from 'vitest';
import type { OrderUpdate } from '@/amplify/functions/shared/order-status';
import { buildTimeline, mergeUpdates } from './timeline';

let seq = 0;
const u = (
  step: OrderUpdate['step'],
  status: OrderUpdate['status'],
  attempt = 0,
  message?: string,
): OrderUpdate => ({
  orderId: 'o-1',
  seq: ++seq,
  step,
  status,
  attempt,
  message: message ?? null,
  orderStatus: 'PROCESSING',
  nextPollAt: null,
  timestamp: new Date(Date.UTC(2026, 10, 27, 10, 0, seq)).toISOString(),
});

describe('buildTimeline', () => {
  it('folds a retried step into one row with its attempts and the errors retried', () => {
    seq = 0;
    const updates = [
      u('ReserveInventory', 'STARTED'),
      u('ReserveInventory', 'SUCCEEDED', 0, 'Reserved 2 items'),
      u('ChargePayment', 'STARTED', 0),
      u('ChargePayment', 'FAILED', 0, 'PaymentTransientError: try again'),
      u('ChargePayment', 'STARTED', 1),
      u('ChargePayment', 'FAILED', 1, 'PaymentTransientError: try again'),
      u('ChargePayment', 'STARTED', 2),
      u('ChargePayment', 'SUCCEEDED', 2, 'Charged $16.50'),
    ];
    const timeline = buildTimeline(updates);
    expect(timeline.map((row) => [row.step, row.status, row.attempts])).toEqual([
      ['ReserveInventory', 'SUCCEEDED', 1],
      ['ChargePayment', 'SUCCEEDED', 3],
    ]);
    expect(timeline[1]!.retriedErrors).toHaveLength(2);
    expect(timeline[1]!.message).toBe('Charged $16.50');
    expect(timeline[1]!.startedAt).toBe(updates[2]!.timestamp);
    expect(timeline[1]!.endedAt).toBe(updates[7]!.timestamp);
  });

  it('is the same whatever the arrival order, and ignores duplicates', () => {
    seq = 0;
    const updates = [
      u('ReserveInventory', 'STARTED'),
      u('ReserveInventory', 'SUCCEEDED'),
      u('ChargePayment', 'STARTED'),
    ];
    const shuffled = [updates[2]!, updates[0]!, updates[2]!, updates[1]!, updates[0]!];
    expect(buildTimeline(shuffled)).toEqual(buildTimeline(updates));
    expect(mergeUpdates(updates.slice(0, 2), shuffled)).toEqual(updates);
  });

  it('shows a step still running or waiting without an end time', () => {
    seq = 0;
    const [row] = buildTimeline([u('AwaitWarehouse', 'STARTED'), u('AwaitWarehouse', 'WAITING')]);
    expect(row).toMatchObject({ status: 'WAITING', endedAt: undefined, attempts: 1 });
  });
});

describe('buildTimeline facts', () => {
  it('keeps what the latest update of each step stated', () => {
    seq = 0;
    const until = '2026-11-27T11:00:00.000Z';
    const updates = [
      u('ChargePayment', 'STARTED'),
      { ...u('ChargePayment', 'FAILED'), reason: 'PaymentTransientError' },
      u('ChargePayment', 'STARTED', 1),
      { ...u('AwaitWarehouse', 'WAITING'), until },
      u('AwaitWarehouse', 'SUCCEEDED'),
      u('ShipOrder', 'STARTED'),
      { ...u('ShipOrder', 'SUCCEEDED'), carrier: 'Demo Parcel', trackingNumber: 'DP123' },
    ];
    const [charge, warehouse, ship] = buildTimeline(updates);
    expect(charge!.facts).toEqual({});
    expect(warehouse!.facts).toEqual({});
    expect(ship!.facts).toEqual({ carrier: 'Demo Parcel', trackingNumber: 'DP123' });
    // The same steps seen earlier: a failure's reason, a wait's deadline.
    const [chargeFailed, waiting] = buildTimeline([...updates.slice(0, 2), updates[3]!]);
    expect(chargeFailed!.facts).toEqual({ reason: 'PaymentTransientError' });
    expect(waiting!.facts).toEqual({ until });
  });
});
