import {
  UPDATE_FACT_FIELDS,
  type OrderStatus,
  type OrderUpdate,
  type StepName,
  type StepStatus,
  type UpdateFacts,
} from '@/amplify/functions/shared/order-status';

export interface TimelineStep {
  step: StepName;
  status: StepStatus;
  /** Attempts made so far (retries are attempts after the first). */
  attempts: number;
  startedAt: string;
  endedAt?: string;
  /** The latest message: a result, or what went wrong. */
  message?: string;
  /** Failed attempts that were followed by another attempt: what the retries were about. */
  retriedErrors: string[];
  /** What the step's latest update stated (see `UpdateFacts`): a deadline ends with its wait. */
  facts: UpdateFacts;
}

/**
 * Folds a stream of updates into one row per step. The server (GET) and the browser (live
 * updates) use this same function, so both always show the same timeline. Updates may arrive
 * twice or out of order: they are applied in `seq` order, once each.
 */
export function buildTimeline(updates: readonly OrderUpdate[]): TimelineStep[] {
  const rows = new Map<StepName, TimelineStep>();
  for (const update of sortUnique(updates)) {
    const row = rows.get(update.step);
    const message = update.message ?? undefined;
    if (!row) {
      rows.set(update.step, {
        step: update.step,
        status: update.status,
        attempts: update.attempt + 1,
        startedAt: update.timestamp,
        endedAt: isEnd(update.status) ? update.timestamp : undefined,
        message,
        retriedErrors: [],
        facts: factsOf(update),
      });
      continue;
    }
    if (update.attempt + 1 > row.attempts && row.status === 'FAILED' && row.message) {
      row.retriedErrors.push(row.message);
    }
    row.attempts = Math.max(row.attempts, update.attempt + 1);
    row.status = update.status;
    row.message = message ?? row.message;
    row.endedAt = isEnd(update.status) ? update.timestamp : undefined;
    row.facts = factsOf(update);
  }
  return [...rows.values()];
}

function factsOf(update: OrderUpdate): UpdateFacts {
  return Object.fromEntries(UPDATE_FACT_FIELDS.flatMap((f) => (update[f] ? [[f, update[f]]] : [])));
}

/** Keeps one update per `seq`, in order: duplicates and replays collapse. */
export function sortUnique(updates: readonly OrderUpdate[]): OrderUpdate[] {
  const bySeq = new Map<number, OrderUpdate>();
  for (const update of updates) bySeq.set(update.seq, update);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** Merges live updates into what the client holds; stale and duplicate ones change nothing. */
export function mergeUpdates(held: readonly OrderUpdate[], incoming: readonly OrderUpdate[]) {
  return sortUnique([...held, ...incoming]);
}

function isEnd(status: StepStatus): boolean {
  return status === 'SUCCEEDED' || status === 'FAILED' || status === 'SKIPPED';
}

export const TERMINAL: readonly OrderStatus[] = ['SHIPPED', 'FAILED'];

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL.includes(status);
}
