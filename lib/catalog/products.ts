import type { Product } from './types';

/**
 * The shop's product data: the one source the app, the order API and the inventory seed read.
 * Stock levels are not here on purpose: they live in the Inventory table (see `stock.ts`).
 */
export const PRODUCTS: readonly Product[] = [
  {
    slug: 'harbor-house-blend',
    name: 'Harbor House Blend',
    priceCents: 1650,
    currency: 'USD',
    category: 'coffee',
    summary: 'Medium roast · chocolate, toasted almond',
    description:
      'Our everyday coffee: Brazilian and Colombian beans roasted to a round, sweet medium. Notes of milk chocolate and toasted almond. 340 g whole bean.',
    image: '/products/harbor-house-blend.svg',
    imageAlt: 'A kraft coffee bag with a blue harbor label',
  },
  {
    slug: 'ethiopia-guji',
    name: 'Ethiopia Guji',
    priceCents: 2100,
    currency: 'USD',
    category: 'coffee',
    summary: 'Light roast · bergamot, peach',
    description:
      'A washed heirloom lot from Guji, roasted light to keep its floral lift. Bergamot, white peach and a honeyed finish. 250 g whole bean.',
    image: '/products/ethiopia-guji.svg',
    imageAlt: 'A white coffee bag with an apricot label',
  },
  {
    slug: 'night-shift-espresso',
    name: 'Night Shift Espresso',
    priceCents: 1850,
    currency: 'USD',
    category: 'coffee',
    summary: 'Dark roast · molasses, cocoa',
    description:
      'Built for espresso and milk drinks: a dense, syrupy shot with molasses and cocoa. Good in a moka pot too. 340 g whole bean.',
    image: '/products/night-shift-espresso.svg',
    imageAlt: 'A black coffee bag with a crescent moon label',
  },
  {
    slug: 'decaf-mountain-water',
    name: 'Decaf Mountain Water',
    priceCents: 1750,
    currency: 'USD',
    category: 'coffee',
    summary: 'Medium roast · caramel, red apple',
    description:
      'Mexican coffee decaffeinated with water alone, no solvents. Caramel and red apple, all the flavour without the jitters. 340 g whole bean.',
    image: '/products/decaf-mountain-water.svg',
    imageAlt: 'A green coffee bag with a mountain label',
  },
  {
    slug: 'sencha-first-flush',
    name: 'Sencha First Flush',
    priceCents: 1400,
    currency: 'USD',
    category: 'tea',
    summary: 'Green tea · grassy, sweet',
    description:
      'Steamed green tea from the spring harvest in Shizuoka. Bright, grassy and sweet; brew at 70 °C for a minute. 80 g loose leaf.',
    image: '/products/sencha-first-flush.svg',
    imageAlt: 'A green tea tin with a leaf motif',
  },
  {
    slug: 'assam-breakfast',
    name: 'Assam Breakfast',
    priceCents: 1200,
    currency: 'USD',
    category: 'tea',
    summary: 'Black tea · malty, brisk',
    description:
      'A full-bodied Assam that stands up to milk. Malty and brisk, the cup for slow mornings. 100 g loose leaf.',
    image: '/products/assam-breakfast.svg',
    imageAlt: 'A red tea tin with a sunrise motif',
  },
  {
    slug: 'chamomile-meadow',
    name: 'Chamomile Meadow',
    priceCents: 1100,
    currency: 'USD',
    category: 'tea',
    summary: 'Herbal · honey, apple',
    description:
      'Whole chamomile flowers with a little lemon balm. Caffeine free, soft and honeyed. 40 g loose flowers.',
    image: '/products/chamomile-meadow.svg',
    imageAlt: 'A yellow tea tin with a flower motif',
  },
  {
    slug: 'pour-over-dripper',
    name: 'Ceramic Pour-Over Dripper',
    priceCents: 2800,
    currency: 'USD',
    category: 'brewing',
    summary: 'Size 02 · fits most mugs',
    description:
      'A glazed porcelain cone with spiral ribs for an even draw-down. Takes size 02 filters and sits on most mugs and carafes.',
    image: '/products/pour-over-dripper.svg',
    imageAlt: 'A white ceramic cone dripper',
  },
  {
    slug: 'gooseneck-kettle',
    name: 'Gooseneck Kettle',
    priceCents: 6400,
    currency: 'USD',
    category: 'brewing',
    summary: '0.9 L · stovetop, thermometer lid',
    description:
      'Stainless steel with a slender spout for a steady pour and a thermometer in the lid. Works on gas, electric and induction.',
    image: '/products/gooseneck-kettle.svg',
    imageAlt: 'A steel gooseneck kettle',
  },
  {
    slug: 'hand-grinder',
    name: 'Burr Hand Grinder',
    priceCents: 8900,
    currency: 'USD',
    category: 'brewing',
    summary: 'Steel burrs · 30 settings',
    description:
      'Conical steel burrs and a stepped adjustment from espresso to French press. Grinds 20 g for a pour-over in under a minute.',
    image: '/products/hand-grinder.svg',
    imageAlt: 'A cylindrical hand grinder with a wooden knob',
  },
  {
    slug: 'stoneware-mug',
    name: 'Stoneware Mug',
    priceCents: 2400,
    currency: 'USD',
    category: 'mugs',
    summary: '350 ml · speckled glaze',
    description:
      'Wheel-thrown in small batches with a speckled oatmeal glaze. Comfortable handle, 350 ml, dishwasher safe.',
    image: '/products/stoneware-mug.svg',
    imageAlt: 'A speckled stoneware mug',
  },
  {
    slug: 'double-wall-glass',
    name: 'Double-Wall Glass, set of 2',
    priceCents: 2200,
    currency: 'USD',
    category: 'mugs',
    summary: '250 ml · keeps drinks hot',
    description:
      'Borosilicate glasses with an insulating air gap: the drink stays hot and the outside stays cool. Two 250 ml glasses.',
    image: '/products/double-wall-glass.svg',
    imageAlt: 'Two clear double-wall glasses',
  },
];
