'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { restoreToCart } from '@/components/cart/cart-store';
import { rememberCheckoutDraft } from '@/components/checkout/checkout-draft';
import { WORKFLOW_ERRORS } from '@/amplify/functions/shared/errors';
import type { OrderView } from '@/lib/orders/read-order';
import { describeFailure } from '@/lib/orders/shopper-text';
import type { TimelineStep } from '@/lib/orders/timeline';

const PAYMENT_FAILURES: ReadonlySet<string> = new Set([
  WORKFLOW_ERRORS.paymentDeclined,
  WORKFLOW_ERRORS.paymentTransient,
]);

/**
 * Explains a failed order and offers the way back: the items return to the cart (a new
 * checkout is a new order, with a new Idempotency-Key), and after a payment failure the
 * checkout opens with the address already filled in, ready for another card.
 */
export function FailureSummary({
  steps,
  order,
}: {
  steps: TimelineStep[];
  order: Pick<OrderView, 'lines' | 'shippingAddress'>;
}) {
  const router = useRouter();
  const failed = steps.find(
    (step) =>
      step.status === 'FAILED' && step.step !== 'RefundPayment' && step.step !== 'ReleaseInventory',
  );
  // A refund only happened if a charge did: the refund step also "succeeds" with nothing to do.
  const charged = steps.some(
    (step) => step.step === 'ChargePayment' && step.status === 'SUCCEEDED',
  );
  const refunded =
    charged && steps.some((step) => step.step === 'RefundPayment' && step.status === 'SUCCEEDED');
  const paymentFailed = !!failed?.facts.reason && PAYMENT_FAILURES.has(failed.facts.reason);

  function backToCart(then: '/cart' | '/checkout') {
    restoreToCart(order.lines.map((line) => ({ slug: line.sku, quantity: line.quantity })));
    if (then === '/checkout') rememberCheckoutDraft(order.shippingAddress);
    router.push(then);
  }

  return (
    <div
      role="alert"
      data-testid="failure-summary"
      className="flex flex-col gap-3 rounded-xl border border-red-300 bg-red-50 p-4 text-red-900"
    >
      <div>
        <p className="font-semibold">This order could not be completed.</p>
        {failed && <p>{describeFailure(failed.step, failed.facts.reason, true)}</p>}
        <ul className="mt-2 list-disc pl-5 text-sm">
          {refunded && <li>Your payment was refunded.</li>}
          {!charged && <li>Nothing was charged.</li>}
        </ul>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        {paymentFailed && (
          <button
            type="button"
            onClick={() => backToCart('/checkout')}
            className="rounded-lg bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-900"
          >
            Try again with another card
          </button>
        )}
        <button
          type="button"
          onClick={() => backToCart('/cart')}
          className={
            paymentFailed
              ? 'font-medium underline'
              : 'rounded-lg bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-900'
          }
        >
          Put the items back in my cart
        </button>
        <Link href="/" className="text-sm underline">
          Keep shopping
        </Link>
      </div>
    </div>
  );
}
