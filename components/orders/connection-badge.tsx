import type { ConnectionMode } from './use-live-order';

/** In the shopper's locale, to the second: checks are seconds apart. */
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/**
 * Tells the shopper how the page is staying current, and when it checks next if polling. Not a
 * live region: its time changes on every poll; the order status is what gets announced.
 */
export function ConnectionBadge({
  mode,
  nextPollAt,
}: {
  mode: ConnectionMode | 'done';
  /** Epoch ms. */
  nextPollAt?: number;
}) {
  if (mode === 'done') return null;
  const [dot, text] =
    mode === 'live'
      ? ['bg-green-600', 'Live']
      : mode === 'connecting'
        ? ['bg-stone-400', 'Connecting…']
        : mode === 'reconnecting'
          ? ['bg-amber-500', 'Reconnecting…']
          : [
              'bg-blue-600',
              nextPollAt
                ? `Polling · next check at ${time.format(new Date(nextPollAt))}`
                : 'Polling',
            ];
  return (
    <span
      aria-live="off"
      data-testid="connection-badge"
      data-mode={mode}
      className="inline-flex items-center gap-2 text-sm text-stone-700"
    >
      <span aria-hidden="true" className={`h-2.5 w-2.5 rounded-full ${dot}`} />
      {text}
    </span>
  );
}
