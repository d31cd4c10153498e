'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ProductArt } from '@/components/catalog/product-art';
import { priceCart } from '@/lib/cart/pricing';
import { formatMoney } from '@/lib/money';
import { cartStore } from './cart-store';
import { describeLimit } from './limit-message';
import { OrderSummary } from './order-summary';
import { QuantityStepper } from './quantity-stepper';
import { useCart, useHydrated } from './use-cart';

export function CartView() {
  const cart = useCart();
  const hydrated = useHydrated();
  const [notice, setNotice] = useState<string>();
  const { lines, subtotalCents } = priceCart(cart);

  if (!hydrated) {
    return <p className="text-stone-600">Loading your cart…</p>;
  }
  if (lines.length === 0) {
    return (
      <div className="flex flex-col items-start gap-3 rounded-xl bg-stone-50 p-6">
        <p className="text-stone-700">Your cart is empty.</p>
        <Link href="/" className="rounded-lg bg-brand-700 px-4 py-2 text-white">
          Browse the shop
        </Link>
      </div>
    );
  }

  return (
    <div className="grid gap-8 lg:grid-cols-[1fr_18rem]">
      {/* The list starts at the top, level with the summary; notices go below it. */}
      <div className="flex flex-col gap-3">
        <ul aria-label="Cart items" className="divide-y divide-stone-200 border-y border-stone-200">
          {lines.map(({ product, quantity, lineTotalCents }) => (
            <li
              key={product.slug}
              data-testid="cart-line"
              className="flex flex-wrap items-center gap-4 py-4"
            >
              <ProductArt
                src={product.image}
                alt=""
                className="h-16 w-16 rounded-md border border-stone-200"
              />
              <div className="min-w-40 flex-1">
                <Link href={`/products/${product.slug}`} className="font-medium hover:underline">
                  {product.name}
                </Link>
                <p className="text-sm text-stone-600">
                  {formatMoney(product.priceCents, product.currency)} each
                </p>
              </div>
              <QuantityStepper
                label={`Quantity of ${product.name}`}
                value={quantity}
                onChange={(next) => {
                  const limit = cartStore.dispatch({
                    type: 'setQuantity',
                    slug: product.slug,
                    quantity: next,
                  });
                  setNotice(limit ? describeLimit(limit) : undefined);
                }}
              />
              <p className="w-24 text-right font-medium" data-testid="line-total">
                {formatMoney(lineTotalCents, product.currency)}
              </p>
              <button
                type="button"
                className="text-sm text-stone-600 underline hover:text-red-700"
                aria-label={`Remove ${product.name}`}
                onClick={() => {
                  cartStore.dispatch({ type: 'remove', slug: product.slug });
                  setNotice(`Removed ${product.name}.`);
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <p role="status" className="min-h-6 text-amber-800">
          {notice}
        </p>
      </div>
      <OrderSummary totalLabel="Subtotal" totalCents={subtotalCents}>
        <p className="text-sm text-stone-600">Shipping is free on every demo order.</p>
        <Link
          href="/checkout"
          className="rounded-lg bg-brand-700 px-4 py-2.5 text-center font-medium text-white hover:bg-brand-900"
        >
          Go to checkout
        </Link>
      </OrderSummary>
    </div>
  );
}
