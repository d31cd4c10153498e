import { secondsUntil } from '@/lib/http/responses';
import { withCaller } from '@/lib/http/route';
import { prefersWatch, WATCH_PREFERENCE } from '@/lib/orders/polling';
import { pollOrder, pollRefusal } from '@/lib/orders/read-order';

export const dynamic = 'force-dynamic';

/**
 * An order's status and timeline. The ETag is the order's update sequence number. Before
 * `nextPollAt` a poll gets 429 with Retry-After unless the order changed since this caller's last
 * answer, whatever ETag it sends (lib/orders/polling.ts); at or after it, 304 or 200.
 * `Prefer: watch` (the tracking page) caps the back-off lower.
 */
export const GET = withCaller<{ id: string }>(async ({ request, caller, params }) => {
  const watched = prefersWatch(request.headers.get('prefer'));
  const result = await pollOrder(caller, params.id, {
    ifNoneMatch: request.headers.get('if-none-match') ?? undefined,
    watched,
  });
  if (result.kind === 'not-found' || result.kind === 'throttled') return pollRefusal(result);

  const nextPollAt = result.kind === 'ok' ? result.order.nextPollAt : result.nextPollAt;
  const headers: Record<string, string> = { ETag: result.etag, 'Cache-Control': 'no-store' };
  if (nextPollAt) headers['Retry-After'] = String(secondsUntil(nextPollAt));
  if (nextPollAt && watched) headers['Preference-Applied'] = WATCH_PREFERENCE;
  if (result.kind === 'not-modified') return new Response(null, { status: 304, headers });
  return Response.json(result.order, { headers });
});
