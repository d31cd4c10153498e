'use client';

import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import useSWR from 'swr';
import { useAmplifyOutputs } from '@/components/auth/amplify-outputs';
import type { AmplifyOutputsJson } from '@/lib/amplify/configure';
import { ApiError, apiFetch } from '@/lib/api/client';
import { findProduct } from '@/lib/catalog';
import type { WarehouseTask } from '@/lib/orders/warehouse';

/** Staff refresh the list every 15 s; the workflow waits on them, not the other way round. */
const REFRESH_MS = 15_000;

function timeLeft(deadline: string, now: number): string {
  const seconds = Math.max(0, Math.round((Date.parse(deadline) - now) / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${seconds % 60} s left` : `${seconds} s left`;
}

/**
 * While the console shows a task, it tells Step Functions that someone is on it: a heartbeat
 * once less than half of the step's HeartbeatSeconds remains. Without an open console the step
 * fails after HeartbeatSeconds, and the order is refunded and released.
 */
function useHeartbeats(
  outputs: AmplifyOutputsJson | null | undefined,
  tasks: WarehouseTask[] | undefined,
  now: number,
) {
  const sent = useRef(new Map<string, number>());
  useEffect(() => {
    if (!outputs || !tasks) return;
    for (const task of tasks) {
      const remaining = Date.parse(task.heartbeatDeadline) - now;
      const last = sent.current.get(task.orderId) ?? 0;
      if (remaining > (task.heartbeatSeconds * 1000) / 2 || now - last < 30_000) continue;
      sent.current.set(task.orderId, now);
      void apiFetch(outputs, `/api/warehouse/tasks/${task.orderId}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ decision: 'heartbeat' }),
      }).catch(() => sent.current.delete(task.orderId));
    }
  }, [outputs, tasks, now]);
}

/** The current time, re-rendered every `intervalMs` for the countdowns. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function WarehouseConsole() {
  const outputs = useAmplifyOutputs();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const now = useNow(1_000);
  const { data, error, isLoading, mutate } = useSWR<{ tasks: WarehouseTask[] }, ApiError>(
    outputs ? 'warehouse-tasks' : null,
    async () => (await apiFetch(outputs!, '/api/warehouse/tasks')).json(),
    { refreshInterval: REFRESH_MS },
  );
  useHeartbeats(outputs, data?.tasks, now);

  if (outputs === null) {
    return <p role="alert">The warehouse console needs the backend to be configured.</p>;
  }
  if (error?.status === 401) {
    return (
      <p>
        <Link href="/sign-in?next=/warehouse" className="underline">
          Sign in
        </Link>{' '}
        with a warehouse account.
      </p>
    );
  }
  if (error?.status === 403) return <p role="alert">This console is for warehouse staff only.</p>;
  if (error) return <p role="alert">Could not load the work list: {error.message}</p>;
  if (isLoading || !data) return <p role="status">Loading the work list…</p>;

  async function decide(orderId: string, body: object, done: string) {
    setBusy(orderId);
    try {
      await apiFetch(outputs!, `/api/warehouse/tasks/${orderId}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      setNotice(done);
    } catch (err) {
      setNotice(
        err instanceof ApiError ? (err.problem.detail ?? err.message) : 'Could not reach the shop.',
      );
    } finally {
      setBusy(undefined);
      await mutate();
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <p role="status" className="min-h-6 text-stone-700">
        {notice}
      </p>
      <p className="text-sm text-stone-600">
        Keep this page open while you pack: it tells the workflow that someone is on these orders.
      </p>
      {data.tasks.length === 0 ? (
        <p className="rounded-xl bg-stone-50 p-6 text-stone-700">Nothing to pack right now.</p>
      ) : (
        <ul aria-label="Orders to pack" className="flex flex-col gap-4">
          {data.tasks.map((task) => (
            <li
              key={task.orderId}
              data-testid="warehouse-task"
              className="rounded-xl border border-stone-200 p-4"
            >
              <div className="flex flex-wrap items-baseline gap-3">
                <p className="font-mono font-medium">{task.orderId.slice(0, 8)}</p>
                <p className="text-sm text-stone-600">
                  for {task.shipTo.name}, {task.shipTo.city} {task.shipTo.country}
                </p>
                <p className="ml-auto text-sm text-amber-800">{timeLeft(task.deadline, now)}</p>
              </div>
              <ul className="mt-2 text-sm">
                {task.lines.map((line) => (
                  <li key={line.sku}>
                    {line.quantity} × {findProduct(line.sku)?.name ?? line.sku}
                  </li>
                ))}
              </ul>
              <div className="mt-3 flex flex-wrap gap-3">
                <button
                  type="button"
                  disabled={busy === task.orderId}
                  onClick={() =>
                    decide(
                      task.orderId,
                      { decision: 'packed' },
                      `Order ${task.orderId.slice(0, 8)} packed.`,
                    )
                  }
                  className="rounded-lg bg-green-700 px-4 py-2 text-white hover:bg-green-800 disabled:opacity-60"
                >
                  Packed
                </button>
                <button
                  type="button"
                  disabled={busy === task.orderId}
                  onClick={() =>
                    decide(
                      task.orderId,
                      { decision: 'rejected', reason: 'Cannot fulfil: item damaged or missing.' },
                      `Order ${task.orderId.slice(0, 8)} sent back: it will be refunded.`,
                    )
                  }
                  className="rounded-lg border border-red-700 px-4 py-2 text-red-800 hover:bg-red-50 disabled:opacity-60"
                >
                  Cannot fulfil
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
