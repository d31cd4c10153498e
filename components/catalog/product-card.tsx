import Image from 'next/image';
import Link from 'next/link';
import type { Product } from '@/lib/catalog';
import { formatMoney } from '@/lib/money';
import { StockBadge } from './stock-badge';

export function ProductCard({ product, available }: { product: Product; available?: number }) {
  return (
    <article className="group relative flex flex-col overflow-hidden rounded-xl border border-stone-200 bg-white">
      <Image
        src={product.image}
        alt={product.imageAlt}
        width={400}
        height={400}
        className="aspect-square w-full object-cover"
      />
      <div className="flex flex-1 flex-col gap-1 p-4">
        <h2 className="font-medium">
          {/* The link covers the card so the whole card is clickable, with one tab stop. */}
          <Link href={`/products/${product.slug}`} className="after:absolute after:inset-0">
            {product.name}
          </Link>
        </h2>
        <p className="text-sm text-stone-600">{product.summary}</p>
        <StockBadge available={available} />
        <p className="mt-auto pt-2 font-semibold">
          {formatMoney(product.priceCents, product.currency)}
        </p>
      </div>
    </article>
  );
}
