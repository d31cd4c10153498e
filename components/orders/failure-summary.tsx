import type { TimelineStep } from '@/lib/orders/timeline';
import { STEP_LABELS } from './step-labels';

/** Explains a failed order: what went wrong, and what was undone because of it. */
export function FailureSummary({ steps }: { steps: TimelineStep[] }) {
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
  const released = steps.find(
    (step) => step.step === 'ReleaseInventory' && step.status === 'SUCCEEDED',
  );
  return (
    <div
      role="alert"
      data-testid="failure-summary"
      className="rounded-xl border border-red-300 bg-red-50 p-4 text-red-900"
    >
      <p className="font-semibold">This order could not be completed.</p>
      {failed && (
        <p>
          {STEP_LABELS[failed.step]} failed{failed.message ? `: ${failed.message}` : '.'}
        </p>
      )}
      <ul className="mt-2 list-disc pl-5 text-sm">
        {refunded && <li>Your payment was refunded.</li>}
        {released && <li>The stock reserved for you was released.</li>}
        {!charged && <li>Nothing was charged.</li>}
      </ul>
    </div>
  );
}
