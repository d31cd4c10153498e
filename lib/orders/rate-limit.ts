/**
 * How many orders one shopper may submit, counted in the Idempotency table next to the poll
 * schedule, so the limit holds across server instances. A fixed window per shopper
 * (`submit#<sub>#<window>`) is counted by a conditional ADD inside the transaction that records
 * the order: an order counts exactly when it is recorded, so an idempotent repeat (whose key
 * record already exists) never counts, and concurrent submissions cannot overshoot.
 */
export interface SubmitLimit {
  /** Orders accepted per window. */
  limit: number;
  windowSeconds: number;
}

/** Far above what a shopper does by hand, low enough that one account cannot flood the workflow. */
const DEFAULT_LIMIT: SubmitLimit = { limit: 10, windowSeconds: 60 };

/**
 * Read on every call so a test or an operator can change it without a rebuild:
 * `ORDER_SUBMIT_LIMIT` (orders per window, or `off`) and `ORDER_SUBMIT_WINDOW_SECONDS`.
 * `off` exists for load generators that stand for many shoppers but sign in as a few: their
 * whole load would land on one counter item, which no real traffic does (locally such
 * transactions queue on the item; in AWS they fail with TransactionConflict).
 */
export function submitLimit(
  env: Record<string, string | undefined> = process.env,
): SubmitLimit | undefined {
  if (env.ORDER_SUBMIT_LIMIT === 'off') return undefined;
  return {
    limit: positiveInt(env.ORDER_SUBMIT_LIMIT) ?? DEFAULT_LIMIT.limit,
    windowSeconds: positiveInt(env.ORDER_SUBMIT_WINDOW_SECONDS) ?? DEFAULT_LIMIT.windowSeconds,
  };
}

export interface SubmitWindow {
  key: string;
  /** Epoch ms when the window ends (a refused shopper may retry then). */
  endsAt: number;
}

export function submitWindow(sub: string, nowMs: number, { windowSeconds }: SubmitLimit) {
  const windowMs = windowSeconds * 1000;
  const index = Math.floor(nowMs / windowMs);
  return { key: `submit#${sub}#${index}`, endsAt: (index + 1) * windowMs } satisfies SubmitWindow;
}

function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 ? n : undefined;
}
