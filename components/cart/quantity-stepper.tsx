'use client';

import { MAX_QUANTITY_PER_LINE } from '@/lib/cart/cart';

/** − / number / + control; the reducer enforces limits, this only reports intent. */
export function QuantityStepper({
  label,
  value,
  onChange,
}: {
  label: string;
  value: number;
  onChange: (quantity: number) => void;
}) {
  const button =
    'h-9 w-9 rounded-md border border-stone-300 text-lg leading-none hover:border-brand-600 disabled:opacity-40';
  return (
    <div role="group" aria-label={label} className="flex items-center gap-1">
      <button
        type="button"
        className={button}
        aria-label="Decrease quantity"
        disabled={value <= 1}
        onClick={() => onChange(value - 1)}
      >
        −
      </button>
      <input
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_QUANTITY_PER_LINE}
        aria-label="Quantity"
        value={value}
        onChange={(event) => {
          const next = Number(event.target.value);
          if (event.target.value !== '' && Number.isFinite(next)) onChange(next);
        }}
        className="h-9 w-14 rounded-md border border-stone-300 text-center"
      />
      <button
        type="button"
        className={button}
        aria-label="Increase quantity"
        onClick={() => onChange(value + 1)}
      >
        +
      </button>
    </div>
  );
}
