import type { StepName } from '@/amplify/functions/shared/order-status';
import { WORKFLOW_ERRORS } from '@/amplify/functions/shared/errors';
import { formatMoney, type Currency } from '@/lib/money';
import type { TimelineStep } from './timeline';

/**
 * What the order page says about each step, written for the person who placed the order. It is
 * built from the step's status and facts (`UpdateFacts`) and what the order itself holds, never
 * from the update's `message`: that text is for operators and carries error names and causes.
 */
export interface OrderFacts {
  itemCount: number;
  totalCents: number;
  currency: Currency;
  cardLast4: string;
  /** The order has ended (shipped or failed): nothing will run any more. */
  finished: boolean;
}

/** Errors the workflow retries by itself: while the order runs, they are not the end of it. */
const RETRIED: ReadonlySet<string> = new Set([
  WORKFLOW_ERRORS.paymentTransient,
  WORKFLOW_ERRORS.transient,
  'States.TaskFailed',
  'Lambda.ServiceException',
  'Lambda.TooManyRequestsException',
]);

const WAREHOUSE_TIMEOUTS: ReadonlySet<string> = new Set([
  'States.Timeout',
  'States.HeartbeatTimeout',
]);

/** One line for a step, or undefined when there is nothing worth saying yet. */
export function describeStep(row: TimelineStep, order: OrderFacts, now = Date.now()) {
  const money = formatMoney(order.totalCents, order.currency);
  const { reason, until, carrier, trackingNumber } = row.facts;
  if (row.status === 'FAILED') return describeFailure(row.step, reason, order.finished);
  switch (row.step) {
    case 'Queued':
      return row.status === 'SUCCEEDED'
        ? 'We have started on your order.'
        : 'Your order is in line; we will start on it in a moment.';
    case 'ReserveInventory':
      return row.status === 'SUCCEEDED'
        ? `${count(order.itemCount, 'item')} set aside for you.`
        : 'Setting your items aside…';
    case 'ChargePayment':
      if (row.status === 'SUCCEEDED') {
        return `${money} charged to your card ending ${order.cardLast4}.`;
      }
      return row.attempts > 1 ? 'Trying your card again…' : 'Taking payment…';
    case 'AwaitWarehouse':
      if (row.status === 'SUCCEEDED') return 'Packed and ready to go.';
      return until
        ? `The warehouse is packing your order; they have until ${clock(until)} (${fromNow(until, now)}).`
        : 'The warehouse is packing your order.';
    case 'ShipOrder':
      if (row.status !== 'SUCCEEDED') return 'Handing your parcel to the carrier…';
      return carrier && trackingNumber
        ? `On its way with ${carrier}. Tracking number ${trackingNumber}.`
        : 'On its way.';
    case 'RefundPayment':
      return row.status === 'SUCCEEDED'
        ? `${money} refunded to your card ending ${order.cardLast4}.`
        : 'Refunding your payment…';
    case 'ReleaseInventory':
      return undefined;
  }
}

/** Why the order stopped, in a shopper's words; also the failure summary's headline. */
export function describeFailure(
  step: StepName,
  reason: string | null | undefined,
  finished: boolean,
): string {
  if (reason && RETRIED.has(reason) && !finished) return 'A temporary problem; trying again.';
  switch (reason) {
    case WORKFLOW_ERRORS.outOfStock:
      return 'Sorry, something in your order sold out before we could set it aside.';
    case WORKFLOW_ERRORS.paymentDeclined:
      return 'Your card was declined.';
    case WORKFLOW_ERRORS.paymentTransient:
      return 'We could not reach your card issuer, so the payment did not go through.';
    case WORKFLOW_ERRORS.warehouseRejected:
      return 'The warehouse could not fulfil your order.';
  }
  if (reason && WAREHOUSE_TIMEOUTS.has(reason)) {
    return 'The warehouse could not pack your order in time.';
  }
  return step === 'RefundPayment'
    ? 'The refund has not gone through yet.'
    : 'Something went wrong on our side.';
}

/**
 * The steps a shopper is shown: the stock release is bookkeeping, and a refund is only news if
 * a charge was taken (the refund step also runs, with nothing to do, after a declined card).
 */
export function shopperSteps(steps: readonly TimelineStep[]): TimelineStep[] {
  const charged = steps.some((s) => s.step === 'ChargePayment' && s.status === 'SUCCEEDED');
  return steps.filter(
    (s) => s.step !== 'ReleaseInventory' && (s.step !== 'RefundPayment' || charged),
  );
}

/** A time of day in the shopper's locale. */
export function clock(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(new Date(iso));
}

/** "in 20 minutes", "in 45 seconds": the nearest sensible unit, in the shopper's locale. */
export function fromNow(iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (Math.abs(seconds) < 60) return format.format(seconds, 'second');
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 120) return format.format(minutes, 'minute');
  return format.format(Math.round(minutes / 60), 'hour');
}

function count(n: number, noun: string): string {
  return n === 1 ? `1 ${noun} is` : `${n} ${noun}s are`;
}
