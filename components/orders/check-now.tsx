'use client';

import { useEffect, useState } from 'react';

/** Below this, the next automatic check is soon enough that a button would only add noise. */
const FAR_OFF_MS = 5_000;

/**
 * "Check now" while polling, when the next scheduled check is a while away. The server answers
 * an early look only if the order changed; otherwise it says when to come back (Retry-After),
 * and the button waits that long, counting down, instead of asking again.
 */
export function CheckNow({
  nextPollAt,
  allowedAt,
  onCheck,
}: {
  /** Epoch ms of the next scheduled check. */
  nextPollAt?: number;
  /** Epoch ms before which the server asked not to look again. */
  allowedAt?: number;
  onCheck: () => Promise<void>;
}) {
  const now = useNow();
  const [checking, setChecking] = useState(false);
  const [checked, setChecked] = useState(false);
  const waitSeconds = allowedAt && allowedAt > now ? Math.ceil((allowedAt - now) / 1000) : 0;
  if (!waitSeconds && (!nextPollAt || nextPollAt - now < FAR_OFF_MS)) return null;
  return (
    <span className="inline-flex items-center gap-2 text-sm">
      <button
        type="button"
        disabled={checking || waitSeconds > 0}
        aria-busy={checking}
        onClick={async () => {
          setChecking(true);
          await onCheck();
          setChecking(false);
          setChecked(true);
        }}
        className="rounded-md border border-stone-300 px-2.5 py-1 font-medium hover:bg-stone-100 disabled:cursor-not-allowed disabled:opacity-60"
      >
        {checking ? 'Checking…' : waitSeconds ? `Check again in ${waitSeconds} s` : 'Check now'}
      </button>
      {checked && waitSeconds > 0 && (
        <span role="status" className="text-stone-600">
          Nothing new yet.
        </span>
      )}
    </span>
  );
}

/** The current time, refreshed every second while the component is shown. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
