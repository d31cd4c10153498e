import type { Metadata } from 'next';
import { OrderTracker } from '@/components/orders/order-tracker';

export const metadata: Metadata = { title: 'Your order' };

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-3xl font-semibold tracking-tight">
        Order <span className="font-mono text-2xl text-stone-600">{id.slice(0, 8)}</span>
      </h1>
      <OrderTracker orderId={id} />
    </div>
  );
}
