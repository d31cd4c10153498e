'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';

/**
 * The header's cart link with its item count. The cart store (and the catalog it checks
 * stored lines against) loads after hydration, by dynamic import: the count only exists in
 * this browser's storage, so the server render shows 0 either way, and every page's first
 * load stays free of the product data.
 */
export function CartBadge() {
  const [count, setCount] = useState(0);

  useEffect(() => {
    let stopped = false;
    let unsubscribe = () => {};
    void Promise.all([import('./cart-store'), import('@/lib/cart/cart')]).then(
      ([{ cartStore }, { itemCount }]) => {
        if (stopped) return;
        const update = () => setCount(itemCount(cartStore.getSnapshot()));
        unsubscribe = cartStore.subscribe(update);
        update();
      },
    );
    return () => {
      stopped = true;
      unsubscribe();
    };
  }, []);

  const label = count === 1 ? 'Cart, 1 item' : `Cart, ${count} items`;
  return (
    <Link
      href="/cart"
      aria-label={label}
      className="relative inline-flex min-h-9 items-center gap-2 rounded-full border border-stone-300 px-3 py-1.5 text-sm text-stone-800 hover:border-brand-600"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="h-4 w-4"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      >
        <path d="M3 4h2l2.4 11.2a2 2 0 0 0 2 1.6h7.7a2 2 0 0 0 2-1.5L21 8H6.2" />
        <circle cx="10" cy="20" r="1.5" />
        <circle cx="17" cy="20" r="1.5" />
      </svg>
      <span>Cart</span>
      <span
        data-testid="cart-count"
        className="min-w-5 rounded-full bg-brand-600 px-1.5 text-center text-xs font-semibold text-white"
      >
        {count}
      </span>
    </Link>
  );
}
