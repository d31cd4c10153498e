import { describeStep, shopperSteps, type OrderFacts } from '@/lib/orders/shopper-text';
import type { TimelineStep } from '@/lib/orders/timeline';
import { LEADING_STEPS, MAIN_STEPS, STEP_LABELS } from './step-labels';

/** Step times in the shopper's own locale, to the second: most steps take a few. */
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

const STATUS_TEXT: Record<TimelineStep['status'], string> = {
  STARTED: 'In progress',
  WAITING: 'Waiting',
  SUCCEEDED: 'Done',
  FAILED: 'Failed',
  SKIPPED: 'Skipped',
};

const ICON_TONE: Record<TimelineStep['status'] | 'PENDING', string> = {
  PENDING: 'border-stone-300 bg-white',
  STARTED: 'border-blue-600 bg-blue-100 animate-pulse',
  WAITING: 'border-amber-500 bg-amber-100',
  SUCCEEDED: 'border-green-700 bg-green-600',
  FAILED: 'border-red-700 bg-red-600',
  SKIPPED: 'border-stone-400 bg-stone-200',
};

/**
 * The queue wait (when the order had one), the happy-path steps (pending until they start),
 * then the compensation a shopper cares about (a refund). A finished order's steps that never
 * started never will, so they show as skipped.
 */
export function OrderTimeline({
  steps: allSteps,
  order,
}: {
  steps: TimelineStep[];
  order: OrderFacts;
}) {
  const finished = order.finished;
  const steps = shopperSteps(allSteps);
  const byName = new Map(steps.map((step) => [step.step, step]));
  const placed = [...LEADING_STEPS, ...MAIN_STEPS];
  const rows = [
    ...steps.filter((step) => LEADING_STEPS.includes(step.step)),
    ...MAIN_STEPS.map((name) => byName.get(name) ?? { step: name, pending: true as const }),
    ...steps.filter((step) => !placed.includes(step.step)),
  ];
  return (
    <ol aria-label="Order progress" className="flex flex-col gap-4">
      {rows.map((row) => {
        const pending = 'pending' in row;
        const status = pending ? (finished ? 'SKIPPED' : 'PENDING') : row.status;
        return (
          <li
            key={row.step}
            data-testid={`step-${row.step}`}
            data-status={status}
            className="flex gap-3"
          >
            <span
              aria-hidden="true"
              className={`mt-1 h-4 w-4 shrink-0 rounded-full border-2 ${ICON_TONE[status]}`}
            />
            <div className="flex flex-col">
              <p className="font-medium">
                {STEP_LABELS[row.step]}{' '}
                <span className="text-sm font-normal text-stone-600">
                  — {pending ? (finished ? 'Skipped' : 'Not started') : STATUS_TEXT[row.status]}
                  {!pending && row.attempts > 1 && (
                    <span data-testid="attempts"> · attempt {row.attempts}</span>
                  )}
                </span>
              </p>
              {!pending && (
                <p className="text-sm text-stone-700" data-testid="step-text">
                  {describeStep(row, order)}
                </p>
              )}
              {!pending && row.retriedErrors.length > 0 && (
                <p className="text-sm text-amber-800">
                  Tried again after{' '}
                  {row.retriedErrors.length === 1 ? 'a' : row.retriedErrors.length} temporary{' '}
                  {row.retriedErrors.length === 1 ? 'problem' : 'problems'}.
                </p>
              )}
              {!pending && (
                <p className="text-xs text-stone-500">
                  Started {time.format(new Date(row.startedAt))}
                  {row.endedAt && ` · ended ${time.format(new Date(row.endedAt))}`}
                </p>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
