'use client';

import Link from 'next/link';
import { itemCount } from '@/lib/cart/cart';
import { useCart } from './use-cart';

export function CartBadge() {
  const count = itemCount(useCart());
  const label = count === 1 ? 'Cart, 1 item' : `Cart, ${count} items`;
  return (
    <Link
      href="/cart"
      aria-label={label}
      className="relative inline-flex items-center gap-2 rounded-full border border-stone-300 px-3 py-1.5 text-sm text-stone-800 hover:border-brand-600"
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
