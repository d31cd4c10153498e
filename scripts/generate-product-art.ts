/**
 * Draws the product pictures in `public/products/` from the catalog, so the shop needs no
 * external image host and every image is reproducible: `npx tsx scripts/generate-product-art.ts`.
 * Flat SVG illustrations: one motif per category, one palette per product.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRODUCTS } from '@/lib/catalog/products';
import type { Product } from '@/lib/catalog/types';

const PALETTES: Record<string, [background: string, body: string, accent: string]> = {
  'harbor-house-blend': ['#e7eef5', '#c9a27a', '#2f5d8a'],
  'ethiopia-guji': ['#fbefe6', '#f7f3ee', '#e89b63'],
  'night-shift-espresso': ['#e6e4ee', '#2b2a33', '#f2c14e'],
  'decaf-mountain-water': ['#e5f1ea', '#4f7d63', '#dfeadf'],
  'sencha-first-flush': ['#eef5e4', '#6f9a45', '#e9f2dc'],
  'assam-breakfast': ['#f8e8e4', '#a63d32', '#f4c27a'],
  'chamomile-meadow': ['#fbf5dc', '#e9c340', '#fffaf0'],
  'pour-over-dripper': ['#eef0f3', '#fafafa', '#9aa5b1'],
  'gooseneck-kettle': ['#e9eef0', '#aeb8bf', '#37474f'],
  'hand-grinder': ['#f2ebe3', '#8c939a', '#8a5a3c'],
  'stoneware-mug': ['#f4efe7', '#e4d6c3', '#7c6a58'],
  'double-wall-glass': ['#e8f3f6', '#ffffff', '#7fb3c4'],
};

function bag([, body, accent]: string[]) {
  return `<path d="M120 90 L280 90 L300 330 L100 330 Z" fill="${body}" stroke="#00000022" stroke-width="4"/>
  <path d="M120 90 L150 60 L250 60 L280 90 Z" fill="${body}" stroke="#00000022" stroke-width="4"/>
  <rect x="140" y="170" width="120" height="90" rx="10" fill="${accent}"/>
  <circle cx="200" cy="215" r="22" fill="#ffffffcc"/>`;
}

function tin([, body, accent]: string[]) {
  return `<rect x="125" y="110" width="150" height="210" rx="16" fill="${body}"/>
  <rect x="118" y="95" width="164" height="36" rx="10" fill="${accent}" stroke="#00000022" stroke-width="3"/>
  <path d="M200 175 C240 190 245 245 200 275 C155 245 160 190 200 175 Z" fill="${accent}"/>
  <path d="M200 185 L200 265" stroke="${body}" stroke-width="4"/>`;
}

function gear(slug: string, [, body, accent]: string[]) {
  if (slug === 'gooseneck-kettle') {
    return `<path d="M130 170 Q130 320 200 320 Q270 320 270 170 Z" fill="${body}"/>
    <rect x="125" y="155" width="150" height="22" rx="8" fill="${accent}"/>
    <path d="M265 260 C320 250 320 150 345 130" stroke="${body}" stroke-width="14" fill="none" stroke-linecap="round"/>
    <path d="M140 160 C130 90 270 90 260 160" stroke="${accent}" stroke-width="12" fill="none"/>`;
  }
  if (slug === 'hand-grinder') {
    return `<rect x="150" y="140" width="100" height="180" rx="14" fill="${body}"/>
    <rect x="140" y="120" width="120" height="30" rx="8" fill="#5f666d"/>
    <path d="M200 120 L200 80 L290 80" stroke="#5f666d" stroke-width="10" fill="none"/>
    <circle cx="290" cy="80" r="16" fill="${accent}"/>`;
  }
  return `<path d="M110 120 L290 120 L230 250 L170 250 Z" fill="${body}" stroke="${accent}" stroke-width="6"/>
  <rect x="150" y="250" width="100" height="18" rx="6" fill="${accent}"/>
  <rect x="140" y="268" width="120" height="56" rx="10" fill="#ffffff99" stroke="${accent}" stroke-width="4"/>`;
}

function cup(slug: string, [, body, accent]: string[]) {
  if (slug === 'double-wall-glass') {
    return [120, 215]
      .map(
        (
          x,
        ) => `<rect x="${x}" y="150" width="70" height="160" rx="18" fill="${body}" fill-opacity="0.7" stroke="${accent}" stroke-width="5"/>
  <rect x="${x + 10}" y="200" width="50" height="100" rx="12" fill="#8a5a3c" fill-opacity="0.75"/>`,
      )
      .join('\n');
  }
  return `<rect x="130" y="140" width="130" height="170" rx="22" fill="${body}"/>
  <path d="M260 180 C320 180 320 270 260 270" stroke="${body}" stroke-width="18" fill="none"/>
  ${Array.from({ length: 14 }, (_, i) => `<circle cx="${145 + ((i * 37) % 105)}" cy="${160 + ((i * 53) % 130)}" r="3" fill="${accent}"/>`).join('')}`;
}

function art(product: Product): string {
  const palette = PALETTES[product.slug] ?? ['#eeeeee', '#cccccc', '#888888'];
  const motif = {
    coffee: () => bag(palette),
    tea: () => tin(palette),
    brewing: () => gear(product.slug, palette),
    mugs: () => cup(product.slug, palette),
  }[product.category]();
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" role="img" aria-label="${product.imageAlt}">
  <rect width="400" height="400" fill="${palette[0]}"/>
  <ellipse cx="200" cy="335" rx="120" ry="14" fill="#00000014"/>
  ${motif}
</svg>
`;
}

const outDir = join(process.cwd(), 'public', 'products');
mkdirSync(outDir, { recursive: true });
for (const product of PRODUCTS) {
  writeFileSync(join(outDir, `${product.slug}.svg`), art(product));
}
console.log(`Wrote ${PRODUCTS.length} images to ${outDir}`);
