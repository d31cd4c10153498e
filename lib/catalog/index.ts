import { PRODUCTS } from './products';
import { CATEGORIES, type CategorySlug, type Product } from './types';

export { CATEGORIES };
export type { CategorySlug, Product };

export function isCategory(value: unknown): value is CategorySlug {
  return CATEGORIES.some((category) => category.slug === value);
}

/**
 * Catalog reads are async on purpose: today the data is in-process, but callers must not
 * depend on that (stock comes from the Inventory table, and the catalog may follow).
 */
export async function listProducts(filter: { category?: CategorySlug } = {}): Promise<Product[]> {
  return PRODUCTS.filter((product) => !filter.category || product.category === filter.category);
}

export async function getProduct(slug: string): Promise<Product | undefined> {
  return findProduct(slug);
}

/** Synchronous lookup for code that already holds a slug from the cart or an order. */
export function findProduct(slug: string): Product | undefined {
  return PRODUCTS.find((product) => product.slug === slug);
}
