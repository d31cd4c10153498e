import type { ReactNode } from 'react';
import { formatMoney } from '@/lib/money';

export interface SummaryLine {
  key: string;
  label: string;
  amountCents: number;
}

/**
 * The order summary panel of the cart, the checkout and the order page. On wide screens it
 * stays in view while the page scrolls, so the checkout's Place order button is still there
 * when the shopper reaches the end of the form.
 */
export function OrderSummary({
  lines = [],
  totalLabel = 'Total',
  totalCents,
  children,
}: {
  lines?: SummaryLine[];
  totalLabel?: string;
  totalCents: number;
  children?: ReactNode;
}) {
  return (
    <aside
      aria-label="Order summary"
      className="flex h-fit flex-col gap-3 rounded-xl border border-stone-200 p-5 lg:sticky lg:top-6"
    >
      {lines.length > 0 && (
        <ul className="flex flex-col gap-1 text-sm">
          {lines.map((line) => (
            <li key={line.key} className="flex justify-between gap-2">
              <span>{line.label}</span>
              <span>{formatMoney(line.amountCents)}</span>
            </li>
          ))}
        </ul>
      )}
      <div
        className={`flex justify-between text-lg ${lines.length > 0 ? 'border-t border-stone-200 pt-3' : ''}`}
      >
        <span>{totalLabel}</span>
        <span className="font-semibold" data-testid="summary-total">
          {formatMoney(totalCents)}
        </span>
      </div>
      {children}
    </aside>
  );
}
