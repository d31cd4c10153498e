import type { Product } from '@/lib/catalog';
import { ProductCard } from './product-card';

/** Pictures in the first rows (up to four across) load at once; the rest lazily. */
const EAGER_CARDS = 4;

export function ProductGrid({
  products,
  stock,
}: {
  products: Product[];
  stock?: Map<string, number>;
}) {
  if (products.length === 0) {
    return (
      <p className="rounded-lg bg-stone-50 p-6 text-stone-600">No products in this category yet.</p>
    );
  }
  // Two columns from the narrowest phones up: one column made the shop a 6,900 px scroll of
  // pictures at 390 px wide.
  return (
    <ul
      className="grid grid-cols-2 gap-3 sm:gap-6 lg:grid-cols-3 xl:grid-cols-4"
      aria-label="Products"
    >
      {products.map((product, index) => (
        <li key={product.slug}>
          <ProductCard
            product={product}
            available={stock?.get(product.slug)}
            eager={index < EAGER_CARDS}
          />
        </li>
      ))}
    </ul>
  );
}
