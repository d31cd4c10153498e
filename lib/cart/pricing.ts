import { findProduct, type Product } from '@/lib/catalog';
import type { Cart } from './cart';

export interface PricedLine {
  product: Product;
  quantity: number;
  lineTotalCents: number;
}

/** Prices a cart from the catalog; lines whose product no longer exists are left out. */
export function priceCart(cart: Cart): { lines: PricedLine[]; subtotalCents: number } {
  const lines: PricedLine[] = [];
  for (const line of cart.lines) {
    const product = findProduct(line.slug);
    if (!product) continue;
    lines.push({
      product,
      quantity: line.quantity,
      lineTotalCents: product.priceCents * line.quantity,
    });
  }
  return { lines, subtotalCents: lines.reduce((sum, line) => sum + line.lineTotalCents, 0) };
}
