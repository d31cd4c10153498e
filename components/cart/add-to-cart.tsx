'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import { MAX_QUANTITY_PER_LINE } from '@/lib/cart/cart';

type Feedback = { tone: 'ok' | 'limit'; text: string };

/**
 * `available` undefined means stock is unknown: the workflow decides at order time. The cart
 * store (with the catalog it checks stored lines against) is loaded when the shopper adds, by
 * dynamic import, so it is not part of the product page's first load.
 */
export function AddToCart({
  slug,
  name,
  available,
}: {
  slug: string;
  name: string;
  available?: number;
}) {
  const [quantity, setQuantity] = useState(1);
  const [feedback, setFeedback] = useState<Feedback>();
  const quantityId = useId();

  const soldOut = available !== undefined && available <= 0;
  const maxQuantity = Math.min(MAX_QUANTITY_PER_LINE, available ?? MAX_QUANTITY_PER_LINE);

  if (soldOut) {
    return (
      <p className="rounded-lg bg-stone-100 p-3 text-stone-700">
        Sold out for now. It cannot be added to the cart until it is restocked.
      </p>
    );
  }

  async function add() {
    const [{ cartStore }, { describeLimit }] = await Promise.all([
      import('./cart-store'),
      import('./limit-message'),
    ]);
    const limit = cartStore.dispatch({ type: 'add', slug, quantity });
    setFeedback(
      limit
        ? { tone: 'limit', text: describeLimit(limit) }
        : { tone: 'ok', text: `Added ${quantity} × ${name} to your cart.` },
    );
  }

  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        void add();
      }}
    >
      <div className="flex items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={quantityId} className="text-sm font-medium">
            Quantity
          </label>
          <select
            id={quantityId}
            value={quantity}
            onChange={(event) => setQuantity(Number(event.target.value))}
            className="h-11 rounded-lg border border-stone-300 bg-white px-3"
          >
            {Array.from({ length: maxQuantity }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="h-11 rounded-lg bg-brand-700 px-6 font-medium text-white hover:bg-brand-900"
        >
          Add to cart
        </button>
      </div>
      {/* Announced to screen readers; stays visible so sighted users see the same message. */}
      <p role="status" className={feedback?.tone === 'limit' ? 'text-amber-800' : 'text-green-800'}>
        {feedback?.text}
        {feedback?.tone === 'ok' && (
          <>
            {' '}
            <Link href="/cart" className="underline">
              View cart
            </Link>
          </>
        )}
      </p>
    </form>
  );
}
