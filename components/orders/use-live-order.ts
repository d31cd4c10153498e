'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import useSWR from 'swr';
import type { OrderUpdate } from '@/amplify/functions/shared/order-status';
import { ApiError, apiFetch, retryAfterSeconds } from '@/lib/api/client';
import type { OrderView } from '@/lib/orders/read-order';
import { buildTimeline, isTerminal, mergeUpdates } from '@/lib/orders/timeline';
import { useAmplifyOutputs } from '@/components/auth/amplify-outputs';
import { placedOrder } from './placed-orders';

export type ConnectionMode = 'connecting' | 'live' | 'reconnecting' | 'polling';

/** The order as last read, with when this client may ask again (epoch ms, its own clock). */
type PolledOrder = OrderView & { clientNextPollAt?: number };

/** How long the socket may take to come up before the page falls back to polling. */
const CONNECT_GRACE_MS = 6_000;

/**
 * One order, kept current. Live first: an AppSync subscription delivers every step as it
 * happens, after one initial read, and no poll is made. When the socket cannot connect or drops, SWR polls the status
 * API no sooner than the server's `nextPollAt`; on reconnect the page reads the status once
 * to catch up and stops polling. At a terminal state both stop.
 */
export function useLiveOrder(orderId: string) {
  const outputs = useAmplifyOutputs();
  const [mode, setModeState] = useState<ConnectionMode>('connecting');
  const [live, setLive] = useState<OrderUpdate[]>([]);
  // Straight from checkout: what the 202 said, shown until the first read.
  const [placed] = useState(() => placedOrder(orderId));
  // "Check now" was answered 429: when the server allows the next look (epoch ms).
  const [checkAllowedAt, setCheckAllowedAt] = useState<number>();
  // Callbacks from the socket and SWR need the current mode without re-subscribing.
  const modeRef = useRef<ConnectionMode>('connecting');
  const heldRef = useRef<{ etag: string; order: OrderView }>(undefined);
  const maxLiveSeq = useRef(0);
  const setMode = useCallback((next: ConnectionMode) => {
    modeRef.current = next;
    setModeState(next);
  }, []);
  const polling = mode === 'polling' || mode === 'reconnecting';
  // Subscribe first, read second: the first read waits until the subscription is acknowledged
  // (or has given up), so no update can fall between the read and the live stream.
  const readable = mode !== 'connecting';

  const read = useCallback(async (): Promise<PolledOrder> => {
    // Conditional GET: with the ETag we hold, "nothing new" is a cheap 304. `Prefer: watch`
    // tells the server a page is showing the order, so its back-off stays short.
    const held = heldRef.current;
    const response = await apiFetch(outputs!, `/api/orders/${orderId}`, {
      headers: held ? { 'If-None-Match': held.etag, Prefer: 'watch' } : { Prefer: 'watch' },
    });
    // Schedule from Retry-After, measured on our own clock, so a skewed browser clock
    // cannot make us ask before the server allows.
    const retryAfter = retryAfterSeconds(response);
    const clientNextPollAt = retryAfter ? Date.now() + retryAfter * 1000 : undefined;
    const order: OrderView = response.status === 304 && held ? held.order : await response.json();
    heldRef.current = { etag: response.headers.get('etag') ?? '', order };
    return { ...order, clientNextPollAt };
  }, [outputs, orderId]);

  const { data, error, mutate, isLoading } = useSWR<PolledOrder, ApiError>(
    outputs && readable ? ['order', orderId] : null,
    read,
    {
      fallbackData: placed,
      refreshInterval: (latest) =>
        polling && latest?.clientNextPollAt
          ? Math.max(1_000, latest.clientNextPollAt - Date.now())
          : 0,
      revalidateOnFocus: false,
      revalidateOnReconnect: false,
      // Coming back to the page must not show a cached order as if it were current.
      revalidateOnMount: true,
      dedupingInterval: 0,
      onErrorRetry: (err, _key, config, revalidate, { retryCount }) => {
        if (err.status === 401 || err.status === 403 || err.status === 404) return;
        // A 429 while live with data in hand only means "nothing new": the socket brings the rest.
        if (err.status === 429 && modeRef.current === 'live' && heldRef.current) return;
        const delay = err.retryAfterSeconds
          ? err.retryAfterSeconds * 1000
          : Math.min(30_000, 2_000 * 2 ** retryCount);
        setTimeout(() => void revalidate({ retryCount }), delay);
      },
    },
  );

  const updates = useMemo(() => mergeUpdates(data?.updates ?? [], live), [data?.updates, live]);
  const latest = updates.at(-1);
  const status = latest && (!data || latest.seq > data.seq) ? latest.orderStatus : data?.status;
  const terminal = status !== undefined && isTerminal(status);

  /**
   * A look before the scheduled poll. The server answers early only if the order changed
   * (otherwise 429 with Retry-After, see lib/orders/polling.ts), so "nothing new" costs one
   * request and the button waits out the Retry-After it was given.
   */
  const checkNow = useCallback(async () => {
    try {
      await mutate(read(), { revalidate: false });
      setCheckAllowedAt(undefined);
    } catch (err) {
      const wait = err instanceof ApiError && err.status === 429 ? err.retryAfterSeconds : 0;
      setCheckAllowedAt(Date.now() + (wait ?? 1) * 1000);
    }
  }, [mutate, read]);

  useEffect(() => {
    if (!outputs || terminal) return;
    let cancelled = false;
    let unsubscribe: (() => void) | undefined;
    const grace = setTimeout(() => {
      if (modeRef.current !== 'live') setMode('polling');
    }, CONNECT_GRACE_MS);

    void import('@/lib/orders/subscription').then(({ subscribeToOrder }) =>
      subscribeToOrder(outputs, orderId, {
        onUpdate: (update) => {
          // A gap in the sequence means a publish was lost (publishing is best effort): read
          // the order once to fill it. Only once the first read is in, which it may overlap.
          const held = heldRef.current;
          if (held && update.seq > Math.max(held.order.seq, maxLiveSeq.current) + 1) void mutate();
          maxLiveSeq.current = Math.max(maxLiveSeq.current, update.seq);
          setLive((kept) => mergeUpdates(kept, [update]));
        },
        onSocketState: (state) => {
          if (state === 'connected') {
            clearTimeout(grace);
            if (modeRef.current === 'polling' || modeRef.current === 'reconnecting') void mutate();
            setMode('live');
          } else if (state === 'disrupted') {
            setMode('polling');
          } else if (modeRef.current === 'live') {
            setMode('reconnecting');
          }
        },
        onError: () => setMode('polling'),
      }).then(
        (stop) => (cancelled ? stop() : (unsubscribe = stop)),
        () => setMode('polling'),
      ),
    );
    return () => {
      cancelled = true;
      clearTimeout(grace);
      unsubscribe?.();
    };
  }, [outputs, orderId, terminal, mutate, setMode]);

  return {
    order: data,
    error,
    isLoading,
    unconfigured: outputs === null,
    mode: terminal ? ('done' as const) : mode,
    status,
    steps: useMemo(() => buildTimeline(updates), [updates]),
    nextPollAt: polling ? data?.clientNextPollAt : undefined,
    checkNow,
    checkAllowedAt,
    /** Shown from what the checkout sent until the first read comes back. */
    provisional: data !== undefined && data === placed,
    placedHere: placed !== undefined,
  };
}
