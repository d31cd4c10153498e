'use client';

import Link from 'next/link';
import { OrderSummary } from '@/components/cart/order-summary';
import { findProduct } from '@/lib/catalog';
import type { OrderFacts } from '@/lib/orders/shopper-text';
import { isTerminal } from '@/lib/orders/timeline';
import { CheckNow } from './check-now';
import { ConnectionBadge } from './connection-badge';
import { FailureSummary } from './failure-summary';
import { OrderStatusBadge } from './order-status-badge';
import { OrderTimeline } from './order-timeline';
import { ORDER_STATUS_LABELS } from './step-labels';
import { useLiveOrder } from './use-live-order';

export function OrderTracker({ orderId }: { orderId: string }) {
  const live = useLiveOrder(orderId);
  const { order, error, isLoading, unconfigured, mode, status, steps, nextPollAt } = live;

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

  const finished = isTerminal(status);
  const facts: OrderFacts = {
    itemCount: order.lines.reduce((sum, line) => sum + line.quantity, 0),
    totalCents: order.totalCents,
    currency: 'USD',
    cardLast4: order.cardLast4,
    finished,
  };
  // Live: the ShipOrder update carries the tracking number; the read has it from the item.
  const trackingNumber =
    steps.find((step) => step.step === 'ShipOrder')?.facts.trackingNumber ?? order.trackingNumber;

  return (
    <div className="grid gap-8 lg:grid-cols-[1fr_20rem]">
      <section aria-labelledby="progress-heading" className="flex flex-col gap-5">
        <div className="flex flex-wrap items-center gap-3">
          <h2 id="progress-heading" className="text-xl font-semibold">
            Progress
          </h2>
          <OrderStatusBadge status={status} />
          <ConnectionBadge mode={mode} nextPollAt={nextPollAt} />
          {mode === 'polling' && (
            <CheckNow
              nextPollAt={nextPollAt}
              allowedAt={live.checkAllowedAt}
              onCheck={live.checkNow}
            />
          )}
        </div>
        {live.placedHere && !finished && (
          <p
            data-testid="order-placed"
            className="rounded-xl border border-brand-100 bg-brand-50 p-4 text-stone-800"
          >
            <span className="font-semibold">Order placed.</span> Thank you! This page follows your
            order as it moves along; you can leave it and come back at any time.
          </p>
        )}
        <p role="status" className="sr-only">
          Order status: {ORDER_STATUS_LABELS[status]}
        </p>
        {status === 'FAILED' && <FailureSummary steps={steps} order={order} />}
        {status === 'SHIPPED' && (
          <p
            role="status"
            className="rounded-xl border border-green-300 bg-green-50 p-4 text-green-900"
          >
            Your order is on its way.
            {trackingNumber && (
              <>
                {' '}
                Tracking number:{' '}
                <span className="font-mono" data-testid="tracking-number">
                  {trackingNumber}
                </span>
                .
              </>
            )}
          </p>
        )}
        <OrderTimeline steps={steps} order={facts} />
      </section>
      <OrderSummary
        totalCents={order.totalCents}
        lines={order.lines.map((line) => ({
          key: line.sku,
          label: `${line.quantity} × ${findProduct(line.sku)?.name ?? line.sku}`,
          amountCents: line.unitPriceCents * line.quantity,
        }))}
      >
        <p className="text-sm text-stone-600">
          Card ending {order.cardLast4} · ship to {order.shippingAddress.name},{' '}
          {order.shippingAddress.city}
        </p>
      </OrderSummary>
    </div>
  );
}
