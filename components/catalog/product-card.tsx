import Link from 'next/link';
import type { Product } from '@/lib/catalog';
import { formatMoney } from '@/lib/money';
import { ProductArt } from './product-art';
import { StockBadge } from './stock-badge';

export function ProductCard({
  product,
  available,
  eager,
}: {
  product: Product;
  available?: number;
  /** In the first rows: its picture loads at once instead of lazily. */
  eager?: boolean;
}) {
  return (
    <article className="relative flex h-full flex-col overflow-hidden rounded-xl border border-stone-200 bg-white hover:border-brand-600">
      <ProductArt
        src={product.image}
        alt={product.imageAlt}
        eager={eager}
        className="aspect-square w-full object-cover"
      />
      <div className="flex flex-1 flex-col gap-1 p-3 sm:p-4">
        <h2 className="text-sm font-medium sm:text-base">
          {/*
            The link covers the card, so the whole card is one tap target with one tab stop; the
            focus ring is drawn on that covering layer, around the card.
          */}
          <Link
            href={`/products/${product.slug}`}
            className="after:absolute after:inset-0 after:rounded-xl focus-visible:outline-none focus-visible:after:outline-3 focus-visible:after:outline-offset-2 focus-visible:after:outline-brand-600"
          >
            {product.name}
          </Link>
        </h2>
        <p className="text-xs text-stone-600 sm:text-sm">{product.summary}</p>
        <StockBadge available={available} />
        <p className="mt-auto pt-1 font-semibold sm:pt-2">
          {formatMoney(product.priceCents, product.currency)}
        </p>
      </div>
    </article>
  );
}
