'use client';

import Link from 'next/link';
import useSWRInfinite from 'swr/infinite';
import { useAmplifyOutputs } from '@/components/auth/amplify-outputs';
import { ApiError, apiFetch } from '@/lib/api/client';
import { formatMoney } from '@/lib/money';
import type { OrderPage } from '@/lib/orders/list-orders';
import { OrderStatusBadge } from './order-status-badge';

const date = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

export function OrderList() {
  const outputs = useAmplifyOutputs();
  // One key per page, each naming the cursor the previous page handed out.
  const { data, error, isLoading, isValidating, size, setSize } = useSWRInfinite<
    OrderPage,
    ApiError
  >(
    (index, previous: OrderPage | null) => {
      if (!outputs) return null;
      if (index === 0) return '/api/orders';
      return previous?.nextCursor
        ? `/api/orders?cursor=${encodeURIComponent(previous.nextCursor)}`
        : null;
    },
    async (path: string) => (await apiFetch(outputs!, path)).json(),
    { revalidateOnFocus: true },
  );
  const orders = data?.flatMap((page) => page.orders) ?? [];
  const hasMore = Boolean(data?.at(-1)?.nextCursor);
  const loadingMore = isValidating && data !== undefined && size > data.length;

  if (outputs === null) {
    return <p role="alert">Orders are not available: the backend is not configured.</p>;
  }
  if (error?.status === 401) {
    return (
      <p>
        <Link href="/sign-in?next=/orders" className="underline">
          Sign in
        </Link>{' '}
        to see your orders.
      </p>
    );
  }
  if (error) return <p role="alert">Could not load your orders: {error.message}</p>;
  if (isLoading || !data) return <p role="status">Loading your orders…</p>;
  if (orders.length === 0) {
    return (
      <div className="flex flex-col items-start gap-3 rounded-xl bg-stone-50 p-6">
        <p>You have not placed any orders yet.</p>
        <Link href="/" className="rounded-lg bg-brand-700 px-4 py-2 text-white">
          Browse the shop
        </Link>
      </div>
    );
  }
  return (
    <div className="flex flex-col items-start gap-4">
      <ul
        aria-label="Your orders"
        className="w-full divide-y divide-stone-200 border-y border-stone-200"
      >
        {orders.map((order) => (
          <li key={order.orderId} className="flex flex-wrap items-center gap-4 py-4">
            <Link href={`/orders/${order.orderId}`} className="font-mono font-medium underline">
              {order.orderId.slice(0, 8)}
            </Link>
            <span className="text-sm text-stone-600">{date.format(new Date(order.createdAt))}</span>
            <span className="text-sm text-stone-600">
              {order.itemCount} {order.itemCount === 1 ? 'item' : 'items'} ·{' '}
              {formatMoney(order.totalCents)}
            </span>
            <span className="ml-auto">
              <OrderStatusBadge status={order.status} />
            </span>
          </li>
        ))}
      </ul>
      {hasMore ? (
        <button
          type="button"
          onClick={() => void setSize(size + 1)}
          disabled={loadingMore}
          className="rounded-lg border border-stone-300 px-4 py-2 disabled:opacity-60"
        >
          {loadingMore ? 'Loading…' : 'Show older orders'}
        </button>
      ) : null}
    </div>
  );
}
