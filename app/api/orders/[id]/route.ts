import { callerFrom } from '@/lib/auth/verify-token';
import { problem } from '@/lib/http/problem';
import { notFound, secondsUntil, serviceUnavailable, unauthorized } from '@/lib/http/responses';
import { pollOrder } from '@/lib/orders/read-order';

export const dynamic = 'force-dynamic';

/**
 * An order's status and timeline. Polling clients must wait until `nextPollAt`; an unchanged
 * poll before it gets 429 with Retry-After. The ETag is the order's update sequence number.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const caller = await callerFrom(request);
  if (!caller) return unauthorized();
  const { id } = await params;

  let result;
  try {
    result = await pollOrder(caller, id);
  } catch (error) {
    return serviceUnavailable(error);
  }
  if (result.kind === 'not-found') return notFound();
  if (result.kind === 'throttled') {
    return problem(
      {
        type: '/problems/poll-too-early',
        status: 429,
        title: 'Polled before nextPollAt',
        detail: `Nothing has changed. Ask again in ${result.retryAfterSeconds} s, or subscribe for live updates.`,
      },
      { 'Retry-After': String(result.retryAfterSeconds) },
    );
  }

  const { order } = result;
  const etag = `W/"${order.orderId}-${order.seq}"`;
  const headers: Record<string, string> = { ETag: etag, 'Cache-Control': 'no-store' };
  if (order.nextPollAt) headers['Retry-After'] = String(secondsUntil(order.nextPollAt));
  if (request.headers.get('if-none-match') === etag)
    return new Response(null, { status: 304, headers });
  return Response.json(order, { headers });
}
