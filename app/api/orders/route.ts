import { problem } from '@/lib/http/problem';
import { secondsUntil } from '@/lib/http/responses';
import { withCaller } from '@/lib/http/route';
import { parseOrderRequest } from '@/lib/orders/order-request';
import { placeOrder, placeOrderRefusal } from '@/lib/orders/place-order';
import { invalidCursorProblem, listOrders, parseListQuery } from '@/lib/orders/list-orders';

export const dynamic = 'force-dynamic';

/** Place an order: 202 at once; the workflow runs on and reports through AppSync and polling. */
export const POST = withCaller(async ({ request, caller }) => {
  const parsed = await parseOrderRequest(request);
  if (!parsed.ok) return problem(parsed.problem);
  const result = await placeOrder(caller, parsed.idempotencyKey, parsed.order);
  if (result.kind !== 'accepted') return placeOrderRefusal(result);
  const { order } = result;
  return Response.json(order, {
    status: 202,
    headers: {
      Location: `/api/orders/${order.orderId}`,
      'Retry-After': String(secondsUntil(order.nextPollAt)),
      'Cache-Control': 'no-store',
    },
  });
});

/** The signed-in shopper's orders, newest first, a page at a time (`?limit=`, `?cursor=`). */
export const GET = withCaller(async ({ request, caller }) => {
  const parsed = parseListQuery(new URL(request.url));
  if (!parsed.ok) return problem(parsed.problem);
  const result = await listOrders(caller, parsed.query);
  if (result.kind === 'invalid-cursor') return problem(invalidCursorProblem());
  return Response.json(result.page, { headers: { 'Cache-Control': 'no-store' } });
});
