import type { OrderLine } from './workflow-types';

export interface ReservedLine {
  sku: string;
  quantity: number;
}

/** One DynamoDB transaction may touch an item once, so lines for the same sku are summed. */
export function mergeLines(lines: readonly Pick<OrderLine, 'sku' | 'quantity'>[]): ReservedLine[] {
  const bySku = new Map<string, number>();
  for (const { sku, quantity } of lines) {
    if (!Number.isInteger(quantity) || quantity <= 0) {
      throw new Error(`Invalid quantity ${quantity} for ${sku}`);
    }
    bySku.set(sku, (bySku.get(sku) ?? 0) + quantity);
  }
  return [...bySku].map(([sku, quantity]) => ({ sku, quantity }));
}

/** DynamoDB allows 100 items per transaction; the order item takes one. */
export const MAX_DISTINCT_SKUS_PER_ORDER = 99;

export interface CancellationReason {
  Code?: string;
}

/**
 * Reads TransactionCanceledException reasons (one per transaction item, in order). Item 0 is the
 * order's reservation guard; items 1..n are the inventory lines.
 */
export function classifyCancellation(
  reasons: readonly CancellationReason[],
  lines: readonly ReservedLine[],
): { kind: 'already-reserved' } | { kind: 'out-of-stock'; skus: string[] } | { kind: 'conflict' } {
  if (reasons[0]?.Code === 'ConditionalCheckFailed') return { kind: 'already-reserved' };
  const skus = lines
    .filter((_, index) => reasons[index + 1]?.Code === 'ConditionalCheckFailed')
    .map((line) => line.sku);
  if (skus.length > 0) return { kind: 'out-of-stock', skus };
  return { kind: 'conflict' };
}
