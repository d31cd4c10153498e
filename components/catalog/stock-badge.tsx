import { describeStock } from '@/lib/catalog/stock';

const STYLES = {
  'in-stock': 'text-green-800',
  low: 'text-amber-800',
  'sold-out': 'text-red-800',
} as const;

export function StockBadge({ available }: { available: number | undefined }) {
  if (available === undefined) return null;
  const level = describeStock(available);
  const text =
    level.kind === 'in-stock'
      ? 'In stock'
      : level.kind === 'low'
        ? `Only ${level.available} left`
        : 'Sold out';
  return (
    <p data-testid="stock" className={`text-sm font-medium ${STYLES[level.kind]}`}>
      {text}
    </p>
  );
}
