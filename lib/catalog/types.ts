import type { Currency } from '@/lib/money';

export const CATEGORIES = [
  { slug: 'coffee', name: 'Coffee' },
  { slug: 'tea', name: 'Tea' },
  { slug: 'brewing', name: 'Brewing gear' },
  { slug: 'mugs', name: 'Mugs & cups' },
] as const;

export type CategorySlug = (typeof CATEGORIES)[number]['slug'];

export interface Product {
  slug: string;
  name: string;
  /** Integer minor units. */
  priceCents: number;
  currency: Currency;
  category: CategorySlug;
  /** One short paragraph, shown on the product page. */
  description: string;
  /** A line for the product grid. */
  summary: string;
  /** Path under `public/`. */
  image: string;
  imageAlt: string;
}
