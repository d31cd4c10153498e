'use client';

import Link from 'next/link';
import { useRef } from 'react';
import { OrderSummary } from '@/components/cart/order-summary';
import { useCart, useHydrated } from '@/components/cart/use-cart';
import { priceCart } from '@/lib/cart/pricing';
import { COUNTRIES } from '@/lib/checkout/schema';
import { FormField, FormSelect } from './form-field';
import { useCheckout } from './use-checkout';

export function CheckoutForm() {
  const cart = useCart();
  const hydrated = useHydrated();
  const formRef = useRef<HTMLFormElement>(null);
  const { field, submit, errors, submitting, problem } = useCheckout(cart, () =>
    // The first invalid field in document order.
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
  );
  const { lines, subtotalCents } = priceCart(cart);

  if (!hydrated) return <p className="text-stone-600">Loading your cart…</p>;
  if (lines.length === 0) {
    return (
      <div className="flex flex-col items-start gap-3 rounded-xl bg-stone-50 p-6">
        <p>Your cart is empty, so there is nothing to check out.</p>
        <Link href="/" className="rounded-lg bg-brand-700 px-4 py-2 text-white">
          Browse the shop
        </Link>
      </div>
    );
  }

  const errorCount = Object.keys(errors).length;

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={submit}
      className="grid gap-8 lg:grid-cols-[1fr_18rem]"
      aria-label="Checkout"
    >
      <div className="flex flex-col gap-6">
        {errorCount > 0 && (
          <p role="alert" className="rounded-lg border border-red-300 bg-red-50 p-3 text-red-800">
            Please fix{' '}
            {errorCount === 1 ? 'the highlighted field' : `the ${errorCount} highlighted fields`}.
          </p>
        )}
        <fieldset className="grid gap-4 sm:grid-cols-2">
          <legend className="mb-2 text-lg font-semibold">Shipping address</legend>
          <div className="sm:col-span-2">
            <FormField
              label="Full name"
              autoComplete="name"
              {...field('shippingAddress.fullName')}
            />
          </div>
          <div className="sm:col-span-2">
            <FormField
              label="Email"
              type="email"
              autoComplete="email"
              {...field('shippingAddress.email')}
            />
          </div>
          <div className="sm:col-span-2">
            <FormField
              label="Street address"
              autoComplete="address-line1"
              {...field('shippingAddress.line1')}
            />
          </div>
          <div className="sm:col-span-2">
            <FormField
              label="Apartment, suite (optional)"
              autoComplete="address-line2"
              {...field('shippingAddress.line2')}
            />
          </div>
          <FormField
            label="Town or city"
            autoComplete="address-level2"
            {...field('shippingAddress.city')}
          />
          <FormField
            label="Postal code"
            autoComplete="postal-code"
            {...field('shippingAddress.postalCode')}
          />
          <div className="sm:col-span-2">
            <FormSelect
              label="Country"
              autoComplete="country"
              placeholder="Choose a country"
              options={COUNTRIES.map((country) => ({ value: country.code, label: country.name }))}
              {...field('shippingAddress.country')}
            />
          </div>
        </fieldset>
        <fieldset className="grid gap-4 sm:grid-cols-2">
          <legend className="mb-2 text-lg font-semibold">Payment</legend>
          <div className="sm:col-span-2">
            <FormField
              label="Card number"
              inputMode="numeric"
              autoComplete="cc-number"
              {...field('payment.cardNumber')}
            />
          </div>
          <FormField
            label="Expiry (MM/YY)"
            autoComplete="cc-exp"
            placeholder="MM/YY"
            {...field('payment.expiry')}
          />
          <FormField
            label="Security code"
            inputMode="numeric"
            autoComplete="cc-csc"
            {...field('payment.cvc')}
          />
        </fieldset>
      </div>
      <OrderSummary
        totalCents={subtotalCents}
        lines={lines.map((line) => ({
          key: line.product.slug,
          label: `${line.quantity} × ${line.product.name}`,
          amountCents: line.lineTotalCents,
        }))}
      >
        {problem && (
          <div
            role="alert"
            className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-800"
          >
            <p className="font-medium">{problem.title}</p>
            {problem.detail && <p>{problem.detail}</p>}
            {problem.signIn && (
              <Link href="/sign-in?next=/checkout" className="font-medium underline">
                Sign in, then come back to checkout
              </Link>
            )}
          </div>
        )}
        <button
          type="submit"
          disabled={submitting}
          aria-busy={submitting}
          className="rounded-lg bg-brand-700 px-4 py-2.5 font-medium text-white hover:bg-brand-900 disabled:opacity-60"
        >
          {submitting ? 'Placing order…' : 'Place order'}
        </button>
      </OrderSummary>
    </form>
  );
}
