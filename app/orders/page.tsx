import type { Metadata } from 'next';
import { OrderList } from '@/components/orders/order-list';

export const metadata: Metadata = { title: 'Your orders' };

export default function OrdersPage() {
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-3xl font-semibold tracking-tight">Your orders</h1>
      <OrderList />
    </div>
  );
}
