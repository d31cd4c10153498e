import type { Product } from '@/lib/catalog';
import { ProductCard } from './product-card';

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
  return (
    <ul
      className="grid grid-cols-1 gap-6 min-[480px]:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4"
      aria-label="Products"
    >
      {products.map((product) => (
        <li key={product.slug}>
          <ProductCard product={product} available={stock?.get(product.slug)} />
        </li>
      ))}
    </ul>
  );
}
