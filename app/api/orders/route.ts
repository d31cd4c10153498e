import { callerFrom } from '@/lib/auth/verify-token';
import { problem } from '@/lib/http/problem';
import { secondsUntil, serviceUnavailable, unauthorized } from '@/lib/http/responses';
import { parseOrderRequest } from '@/lib/orders/order-request';
import { placeOrder } from '@/lib/orders/place-order';
import { invalidCursorProblem, listOrders, parseListQuery } from '@/lib/orders/list-orders';

export const dynamic = 'force-dynamic';

/** Place an order: 202 at once; the workflow runs on and reports through AppSync and polling. */
export async function POST(request: Request) {
  const caller = await callerFrom(request);
  if (!caller) return unauthorized();
  const parsed = await parseOrderRequest(request);
  if (!parsed.ok) return problem(parsed.problem);

  let result;
  try {
    result = await placeOrder(caller, parsed.idempotencyKey, parsed.order);
  } catch (error) {
    return serviceUnavailable(error);
  }
  if (result.kind === 'key-reused') {
    return problem({
      type: '/problems/idempotency-key-reused',
      status: 422,
      title: 'Idempotency-Key already used for a different order',
      detail: 'Make a new Idempotency-Key for each checkout attempt.',
      orderId: result.orderId,
    });
  }
  if (result.kind === 'rate-limited') {
    return problem(
      {
        type: '/problems/too-many-orders',
        status: 429,
        title: 'Too many orders',
        detail: `At most ${result.limit} orders per ${result.windowSeconds} seconds. Try again in ${result.retryAfterSeconds} seconds.`,
        retryAfterSeconds: result.retryAfterSeconds,
      },
      { 'Retry-After': String(result.retryAfterSeconds) },
    );
  }
  if (result.kind === 'key-expired') {
    return problem({
      type: '/problems/idempotency-key-expired',
      status: 422,
      title: 'Idempotency-Key expired',
      detail:
        'This key was used more than 24 hours ago. Make a new Idempotency-Key to order again.',
      orderId: result.orderId,
    });
  }
  const { order } = result;
  return Response.json(order, {
    status: 202,
    headers: {
      Location: `/api/orders/${order.orderId}`,
      'Retry-After': String(secondsUntil(order.nextPollAt)),
      'Cache-Control': 'no-store',
    },
  });
}

/** The signed-in shopper's orders, newest first, a page at a time (`?limit=`, `?cursor=`). */
export async function GET(request: Request) {
  const caller = await callerFrom(request);
  if (!caller) return unauthorized();
  const parsed = parseListQuery(new URL(request.url));
  if (!parsed.ok) return problem(parsed.problem);
  try {
    const result = await listOrders(caller, parsed.query);
    if (result.kind === 'invalid-cursor') return problem(invalidCursorProblem());
    return Response.json(result.page, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return serviceUnavailable(error);
  }
}
