import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AddToCart } from '@/components/cart/add-to-cart';
import { ProductArt } from '@/components/catalog/product-art';
import { StockBadge } from '@/components/catalog/stock-badge';
import { CATEGORIES, getProduct } from '@/lib/catalog';
import { getStockLevels } from '@/lib/catalog/stock';
import { formatMoney } from '@/lib/money';

type Params = Promise<{ slug: string }>;

// Stock changes with every order, so the page renders per request.
export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const product = await getProduct((await params).slug);
  return product ? { title: product.name, description: product.summary } : {};
}

export default async function ProductPage({ params }: { params: Params }) {
  const product = await getProduct((await params).slug);
  if (!product) notFound();
  const category = CATEGORIES.find((c) => c.slug === product.category)!;
  const available = (await getStockLevels([product.slug]))?.get(product.slug);

  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm text-stone-600">
        <Link href="/" className="inline-block py-1 hover:underline">
          Shop
        </Link>{' '}
        /{' '}
        <Link href={`/?category=${category.slug}`} className="inline-block py-1 hover:underline">
          {category.name}
        </Link>
      </nav>
      <div className="grid gap-8 md:grid-cols-2">
        <ProductArt
          src={product.image}
          alt={product.imageAlt}
          eager
          className="aspect-square w-full rounded-xl border border-stone-200"
        />
        <div className="flex flex-col gap-4">
          <h1 className="text-3xl font-semibold tracking-tight">{product.name}</h1>
          <p className="text-2xl font-semibold">
            {formatMoney(product.priceCents, product.currency)}
          </p>
          <p className="text-stone-700">{product.description}</p>
          <StockBadge available={available} />
          <AddToCart slug={product.slug} name={product.name} available={available} />
        </div>
      </div>
    </div>
  );
}
