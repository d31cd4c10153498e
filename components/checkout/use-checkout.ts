'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { useAmplifyOutputs } from '@/components/auth/amplify-outputs';
import { cartStore } from '@/components/cart/cart-store';
import { rememberPlacedOrder, type Placement } from '@/components/orders/placed-orders';
import { ApiError, apiFetch } from '@/lib/api/client';
import type { Cart } from '@/lib/cart/cart';
import { priceCart } from '@/lib/cart/pricing';
import { checkoutFormSchema, fieldErrors, toShippingAddress } from '@/lib/checkout/schema';
import { checkoutDraft, forgetCheckoutDraft } from './checkout-draft';

export const EMPTY_VALUES = {
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
export type FieldName = keyof typeof EMPTY_VALUES;
type Values = Record<FieldName, string>;

export interface CheckoutProblem {
  title: string;
  detail?: string;
  signIn?: boolean;
}

/** The form starts blank, or with the address of the order whose payment just failed. */
function initialValues(): Values {
  const address = checkoutDraft();
  if (!address) return EMPTY_VALUES;
  return {
    ...EMPTY_VALUES,
    'shippingAddress.fullName': address.name,
    'shippingAddress.line1': address.line1,
    'shippingAddress.line2': address.line2 ?? '',
    'shippingAddress.city': address.city,
    'shippingAddress.postalCode': address.postalCode,
    'shippingAddress.country': address.country,
  };
}

function toInput(values: Values) {
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

/**
 * The checkout's state and its one action: validate with the same schema as the server, place
 * the order under an Idempotency-Key, and turn every answer into something the shopper can act
 * on (fields to fix, sign in, try again).
 */
export function useCheckout(cart: Cart, focusFirstInvalid: () => void) {
  const outputs = useAmplifyOutputs();
  const router = useRouter();
  // One key per checkout attempt: a retry of the same order reuses it (the server then
  // answers with the same order), an edited order gets a fresh one.
  const attempt = useRef<{ body: string; key: string }>(undefined);
  const [values, setValues] = useState(initialValues);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<CheckoutProblem>();

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
      setErrors(fieldErrors(parsed.error));
      // After React has rendered the errors.
      requestAnimationFrame(focusFirstInvalid);
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
    if (attempt.current?.body !== body) attempt.current = { body, key: crypto.randomUUID() };
    setSubmitting(true);
    try {
      const response = await apiFetch(outputs, '/api/orders', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': attempt.current.key },
        body,
      });
      const placed = (await response.json()) as Placement;
      const { lines, subtotalCents } = priceCart(cart);
      rememberPlacedOrder(placed, {
        lines: lines.map((line) => ({
          sku: line.product.slug,
          quantity: line.quantity,
          unitPriceCents: line.product.priceCents,
        })),
        totalCents: subtotalCents,
        currency: 'USD',
        cardLast4: parsed.data.payment.cardNumber.slice(-4),
        shippingAddress: toShippingAddress(parsed.data.shippingAddress),
      });
      cartStore.dispatch({ type: 'clear' });
      forgetCheckoutDraft();
      router.push(`/orders/${placed.orderId}`);
    } catch (error) {
      setProblem(problemOf(error, setErrors));
      setSubmitting(false);
    }
  }

  return { field, submit, errors, submitting, problem };
}

function problemOf(error: unknown, setErrors: (errors: Record<string, string>) => void) {
  if (error instanceof ApiError && error.status === 401) {
    return { title: 'Please sign in to place your order.', signIn: true };
  }
  if (error instanceof ApiError) {
    // The server validates with the same schema; if it still finds fields to fix (say, a
    // product that left the catalog), they are shown where they belong.
    if (error.problem.errors) setErrors(error.problem.errors);
    return { title: error.problem.title ?? error.message, detail: error.problem.detail };
  }
  return { title: 'Could not reach the shop. Check your connection and try again.' };
}
