'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { useAmplifyOutputs } from '@/components/auth/amplify-outputs';
import { cartStore } from '@/components/cart/cart-store';
import { useCart, useHydrated } from '@/components/cart/use-cart';
import { ApiError, apiFetch } from '@/lib/api/client';
import { priceCart } from '@/lib/cart/pricing';
import { checkoutFormSchema, COUNTRIES, fieldErrors } from '@/lib/checkout/schema';
import { formatMoney } from '@/lib/money';
import { FormField, FormSelect } from './form-field';

const EMPTY = {
  'shippingAddress.fullName': '',
  'shippingAddress.email': '',
  'shippingAddress.line1': '',
  'shippingAddress.line2': '',
  'shippingAddress.city': '',
  'shippingAddress.postalCode': '',
  'shippingAddress.country': '',
  'payment.cardNumber': '',
  'payment.expiry': '',
  'payment.cvc': '',
};
type FieldName = keyof typeof EMPTY;

function toInput(values: Record<FieldName, string>) {
  return {
    shippingAddress: {
      fullName: values['shippingAddress.fullName'],
      email: values['shippingAddress.email'],
      line1: values['shippingAddress.line1'],
      line2: values['shippingAddress.line2'] || undefined,
      city: values['shippingAddress.city'],
      postalCode: values['shippingAddress.postalCode'],
      country: values['shippingAddress.country'],
    },
    payment: {
      cardNumber: values['payment.cardNumber'],
      expiry: values['payment.expiry'],
      cvc: values['payment.cvc'],
    },
  };
}

interface Problem {
  title: string;
  detail?: string;
  signIn?: boolean;
}

export function CheckoutForm() {
  const cart = useCart();
  const hydrated = useHydrated();
  const formRef = useRef<HTMLFormElement>(null);
  const attempt = useRef<{ body: string; key: string }>(undefined);
  const outputs = useAmplifyOutputs();
  const router = useRouter();
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<Problem>();
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

  const field = (name: FieldName) => ({
    name,
    value: values[name],
    error: errors[name],
    onChange: (event: { target: { value: string } }) =>
      setValues((v) => ({ ...v, [name]: event.target.value })),
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(undefined);
    const parsed = checkoutFormSchema.safeParse(toInput(values));
    if (!parsed.success) {
      const next = fieldErrors(parsed.error);
      setErrors(next);
      // Focus the first invalid field in document order, after React has rendered the errors.
      requestAnimationFrame(() => {
        formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      });
      return;
    }
    setErrors({});
    if (!outputs) {
      setProblem({ title: 'Ordering is not available: the backend is not configured.' });
      return;
    }
    const body = JSON.stringify({
      ...parsed.data,
      lines: cart.lines.map((line) => ({ sku: line.slug, quantity: line.quantity })),
    });
    // One key per checkout attempt: a retry of the same order reuses it (the server then
    // answers with the same order), an edited order gets a fresh one.
    if (attempt.current?.body !== body) attempt.current = { body, key: crypto.randomUUID() };
    setSubmitting(true);
    try {
      const response = await apiFetch(outputs, '/api/orders', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': attempt.current.key },
        body,
      });
      const placed = (await response.json()) as { orderId: string };
      cartStore.dispatch({ type: 'clear' });
      router.push(`/orders/${placed.orderId}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setProblem({ title: 'Please sign in to place your order.', signIn: true });
      } else if (error instanceof ApiError) {
        // The server validates with the same schema; if it still finds fields to fix (say, a
        // product that left the catalog), they are shown where they belong.
        if (error.problem.errors) setErrors(error.problem.errors);
        setProblem({ title: error.problem.title ?? error.message, detail: error.problem.detail });
      } else {
        setProblem({ title: 'Could not reach the shop. Check your connection and try again.' });
      }
      setSubmitting(false);
    }
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
      <aside
        aria-label="Order summary"
        className="flex h-fit flex-col gap-3 rounded-xl border border-stone-200 p-5"
      >
        <ul className="flex flex-col gap-1 text-sm">
          {lines.map((line) => (
            <li key={line.product.slug} className="flex justify-between gap-2">
              <span>
                {line.quantity} × {line.product.name}
              </span>
              <span>{formatMoney(line.lineTotalCents)}</span>
            </li>
          ))}
        </ul>
        <div className="flex justify-between border-t border-stone-200 pt-3 text-lg">
          <span>Total</span>
          <span className="font-semibold">{formatMoney(subtotalCents)}</span>
        </div>
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
      </aside>
    </form>
  );
}
