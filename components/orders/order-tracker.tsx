'use client';

import Link from 'next/link';
import { findProduct } from '@/lib/catalog';
import { formatMoney } from '@/lib/money';
import { isTerminal } from '@/lib/orders/timeline';
import { ConnectionBadge } from './connection-badge';
import { FailureSummary } from './failure-summary';
import { OrderStatusBadge } from './order-status-badge';
import { OrderTimeline } from './order-timeline';
import { ORDER_STATUS_LABELS } from './step-labels';
import { useLiveOrder } from './use-live-order';

export function OrderTracker({ orderId }: { orderId: string }) {
  const { order, error, isLoading, unconfigured, mode, status, steps, nextPollAt } =
    useLiveOrder(orderId);

  if (unconfigured) {
    return <p role="alert">Orders are not available: the backend is not configured.</p>;
  }
  if (error?.status === 401) {
    return (
      <p>
        <Link href={`/sign-in?next=/orders/${orderId}`} className="underline">
          Sign in
        </Link>{' '}
        to follow this order.
      </p>
    );
  }
  if (error?.status === 404) {
    return (
      <div role="alert" className="flex flex-col items-start gap-3">
        <h2 className="text-xl font-semibold">Order not found</h2>
        <p className="text-stone-600">There is no order with this number in your account.</p>
        <Link href="/orders" className="underline">
          See your orders
        </Link>
      </div>
    );
  }
  if (!order || !status) {
    return (
      <p role="status" className="text-stone-600">
        {isLoading || !error ? 'Loading your order…' : `Could not load the order: ${error.message}`}
      </p>
    );
  }

  return (
    <div className="grid gap-8 lg:grid-cols-[1fr_20rem]">
      <section aria-labelledby="progress-heading" className="flex flex-col gap-5">
        <div className="flex flex-wrap items-center gap-3">
          <h2 id="progress-heading" className="text-xl font-semibold">
            Progress
          </h2>
          <OrderStatusBadge status={status} />
          <ConnectionBadge mode={mode} nextPollAt={nextPollAt} />
        </div>
        <p role="status" className="sr-only">
          Order status: {ORDER_STATUS_LABELS[status]}
        </p>
        {status === 'FAILED' && <FailureSummary steps={steps} />}
        {status === 'SHIPPED' && (
          <p
            role="status"
            className="rounded-xl border border-green-300 bg-green-50 p-4 text-green-900"
          >
            Your order is on its way.
            {order.trackingNumber && (
              <>
                {' '}
                Tracking number: <span className="font-mono">{order.trackingNumber}</span>.
              </>
            )}
          </p>
        )}
        <OrderTimeline steps={steps} finished={isTerminal(status)} />
      </section>
      <aside
        aria-label="Order summary"
        className="flex h-fit flex-col gap-3 rounded-xl border border-stone-200 p-5 text-sm"
      >
        <ul className="flex flex-col gap-1">
          {order.lines.map((line) => (
            <li key={line.sku} className="flex justify-between gap-2">
              <span>
                {line.quantity} × {findProduct(line.sku)?.name ?? line.sku}
              </span>
              <span>{formatMoney(line.unitPriceCents * line.quantity)}</span>
            </li>
          ))}
        </ul>
        <p className="flex justify-between border-t border-stone-200 pt-2 font-semibold">
          <span>Total</span>
          <span>{formatMoney(order.totalCents)}</span>
        </p>
        <p className="text-stone-600">
          Card ending {order.cardLast4} · ship to {order.shippingAddress.name},{' '}
          {order.shippingAddress.city}
        </p>
      </aside>
    </div>
  );
}
