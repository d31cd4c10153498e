import { CategoryFilter } from '@/components/catalog/category-filter';
import { ProductGrid } from '@/components/catalog/product-grid';
import { CATEGORIES, isCategory, listProducts } from '@/lib/catalog';
import { getStockLevels } from '@/lib/catalog/stock';
import { SITE } from '@/lib/site';

export default async function HomePage({
  searchParams,
}: {
  searchParams: Promise<{ category?: string | string[] }>;
}) {
  const { category } = await searchParams;
  const active = isCategory(category) ? category : undefined;
  const products = await listProducts({ category: active });
  const stock = await getStockLevels(products.map((product) => product.slug));
  const heading = active ? CATEGORIES.find((c) => c.slug === active)!.name : 'All products';

  return (
    <div className="flex flex-col gap-6">
      <section>
        <h1 className="text-3xl font-semibold tracking-tight">{SITE.name}</h1>
        <p className="mt-1 text-stone-600">{SITE.tagline}</p>
      </section>
      <CategoryFilter active={active} />
      <section aria-labelledby="products-heading" className="flex flex-col gap-4">
        <h2 id="products-heading" className="text-xl font-semibold">
          {heading}{' '}
          <span className="text-base font-normal text-stone-500">({products.length})</span>
        </h2>
        <ProductGrid products={products} stock={stock} />
      </section>
    </div>
  );
}
