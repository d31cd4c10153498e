import { callerFrom } from '@/lib/auth/verify-token';
import { problem } from '@/lib/http/problem';
import { notFound, secondsUntil, serviceUnavailable, unauthorized } from '@/lib/http/responses';
import { prefersWatch, WATCH_PREFERENCE } from '@/lib/orders/polling';
import { pollOrder } from '@/lib/orders/read-order';

export const dynamic = 'force-dynamic';

/**
 * An order's status and timeline. The ETag is the order's update sequence number. Before
 * `nextPollAt` a poll gets 429 with Retry-After unless the order changed since this caller's last
 * answer, whatever ETag it sends (lib/orders/polling.ts); at or after it, 304 or 200.
 * `Prefer: watch` (the tracking page) caps the back-off lower.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const caller = await callerFrom(request);
  if (!caller) return unauthorized();
  const { id } = await params;
  const watched = prefersWatch(request.headers.get('prefer'));

  let result;
  try {
    result = await pollOrder(caller, id, {
      ifNoneMatch: request.headers.get('if-none-match') ?? undefined,
      watched,
    });
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

  const nextPollAt = result.kind === 'ok' ? result.order.nextPollAt : result.nextPollAt;
  const headers: Record<string, string> = { ETag: result.etag, 'Cache-Control': 'no-store' };
  if (nextPollAt) headers['Retry-After'] = String(secondsUntil(nextPollAt));
  if (nextPollAt && watched) headers['Preference-Applied'] = WATCH_PREFERENCE;
  if (result.kind === 'not-modified') return new Response(null, { status: 304, headers });
  return Response.json(result.order, { headers });
}
