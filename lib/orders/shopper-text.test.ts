import { describe, expect, it } from 'vitest';
import type { StepName, StepStatus, UpdateFacts } from '@/amplify/functions/shared/order-status';
import { describeStep, fromNow, shopperSteps, type OrderFacts } from './shopper-text';
import type { TimelineStep } from './timeline';

const order: OrderFacts = {
  itemCount: 3,
  totalCents: 4250,
  currency: 'USD',
  cardLast4: '4242',
  finished: false,
};

const row = (
  step: StepName,
  status: StepStatus,
  facts: UpdateFacts = {},
  attempts = 1,
): TimelineStep => ({
  step,
  status,
  attempts,
  startedAt: '2026-12-01T20:00:00.000Z',
  facts,
  retriedErrors: [],
  // What an operator reads: never shown to the shopper.
  message: '{"errorMessage":"The card was declined.","errorType":"PaymentDeclined"}',
});

/** No error names, JSON, ISO times or "item(s)" in anything a shopper reads. */
function expectShopperText(text: string | undefined) {
  expect(text).toBeDefined();
  expect(text).not.toMatch(/[{}]|Error|Declined:|\d{4}-\d{2}-\d{2}T|\(s\)|States\./);
}

describe('describeStep', () => {
  it('words each step from its status and facts, not from the operator message', () => {
    const now = Date.parse('2026-12-01T20:00:00.000Z');
    const cases: [TimelineStep, RegExp][] = [
      [row('Queued', 'WAITING'), /in line/],
      [row('ReserveInventory', 'SUCCEEDED'), /^3 items are set aside for you\.$/],
      [row('ChargePayment', 'SUCCEEDED'), /^\$42\.50 charged to your card ending 4242\.$/],
      [row('ChargePayment', 'STARTED', {}, 2), /again/],
      [
        row('AwaitWarehouse', 'WAITING', { until: '2026-12-01T20:20:00.000Z' }),
        /packing your order; they have until .+ \(in 20 minutes\)\.$/,
      ],
      [
        row('ShipOrder', 'SUCCEEDED', { carrier: 'Demo Parcel', trackingNumber: 'DP1' }),
        /^On its way with Demo Parcel\. Tracking number DP1\.$/,
      ],
      [row('ChargePayment', 'FAILED', { reason: 'PaymentDeclined' }), /^Your card was declined\.$/],
      [row('ReserveInventory', 'FAILED', { reason: 'OutOfStock' }), /sold out/],
      [row('AwaitWarehouse', 'FAILED', { reason: 'States.Timeout' }), /in time/],
      [row('AwaitWarehouse', 'FAILED', { reason: 'WarehouseRejected' }), /could not fulfil/],
      [row('ChargePayment', 'FAILED', { reason: 'PaymentTransientError' }), /trying again/],
      [row('ShipOrder', 'FAILED', { reason: 'Lambda.Unknown' }), /went wrong on our side/],
    ];
    for (const [step, expected] of cases) {
      const text = describeStep(step, order, now);
      expectShopperText(text);
      expect(text).toMatch(expected);
    }
    expect(describeStep(row('ReserveInventory', 'SUCCEEDED'), { ...order, itemCount: 1 })).toBe(
      '1 item is set aside for you.',
    );
  });

  it('calls a retried error final once the order has ended', () => {
    const text = describeStep(row('ChargePayment', 'FAILED', { reason: 'PaymentTransientError' }), {
      ...order,
      finished: true,
    });
    expect(text).toMatch(/did not go through/);
  });
});

describe('shopperSteps', () => {
  it('hides the stock release, and a refund when nothing was charged', () => {
    const declined = [
      row('ChargePayment', 'FAILED'),
      row('RefundPayment', 'SUCCEEDED'),
      row('ReleaseInventory', 'SUCCEEDED'),
    ];
    expect(shopperSteps(declined).map((s) => s.step)).toEqual(['ChargePayment']);
    const rejected = [row('ChargePayment', 'SUCCEEDED'), ...declined.slice(1)];
    expect(shopperSteps(rejected).map((s) => s.step)).toEqual(['ChargePayment', 'RefundPayment']);
  });
});

describe('fromNow', () => {
  it('picks seconds, minutes or hours', () => {
    const now = Date.parse('2026-12-01T20:00:00.000Z');
    expect(fromNow('2026-12-01T20:00:45.000Z', now)).toBe('in 45 seconds');
    expect(fromNow('2026-12-01T20:20:00.000Z', now)).toBe('in 20 minutes');
    expect(fromNow('2026-12-01T23:00:00.000Z', now)).toBe('in 3 hours');
  });
});
