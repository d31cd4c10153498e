import type { CartLimit } from '@/lib/cart/cart';

export function describeLimit(limit: CartLimit): string {
  return limit.kind === 'quantity'
    ? `You can order at most ${limit.max} of one product, so this line is set to ${limit.max}.`
    : `Your cart can hold at most ${limit.max} different products. Remove one to add another.`;
}
