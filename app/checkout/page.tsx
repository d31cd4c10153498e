import type { Metadata } from 'next';
import { CheckoutForm } from '@/components/checkout/checkout-form';
import { TestCardsNote } from '@/components/checkout/test-cards-note';

export const metadata: Metadata = { title: 'Checkout' };

export default function CheckoutPage() {
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-3xl font-semibold tracking-tight">Checkout</h1>
      <TestCardsNote />
      <CheckoutForm />
    </div>
  );
}
