import { describe, expect, it } from 'vitest';
import {
  applyCartAction,
  EMPTY_CART,
  itemCount,
  MAX_LINES,
  MAX_QUANTITY_PER_LINE,
  parseStoredCart,
  type Cart,
} from './cart';
import { priceCart } from './pricing';

const add = (cart: Cart, slug: string, quantity = 1) =>
  applyCartAction(cart, { type: 'add', slug, quantity });

describe('cart reducer', () => {
  it('adds a line and merges a repeat add of the same product', () => {
    const once = add(EMPTY_CART, 'ethiopia-guji', 2).cart;
    const twice = add(once, 'ethiopia-guji', 3).cart;
    expect(twice.lines).toEqual([{ slug: 'ethiopia-guji', quantity: 5 }]);
    expect(itemCount(twice)).toBe(5);
  });

  it('caps a line at the per-line limit and reports it', () => {
    const start = add(EMPTY_CART, 'stoneware-mug', 8).cart;
    const result = add(start, 'stoneware-mug', 5);
    expect(result.cart.lines[0]?.quantity).toBe(MAX_QUANTITY_PER_LINE);
    expect(result.limit).toEqual({ kind: 'quantity', slug: 'stoneware-mug', max: 10 });
  });

  it('keeps quantities within 1–10 when set directly', () => {
    const start = add(EMPTY_CART, 'stoneware-mug', 2).cart;
    expect(
      applyCartAction(start, { type: 'setQuantity', slug: 'stoneware-mug', quantity: 0 }).cart
        .lines[0]?.quantity,
    ).toBe(1);
    const over = applyCartAction(start, {
      type: 'setQuantity',
      slug: 'stoneware-mug',
      quantity: 99,
    });
    expect(over.cart.lines[0]?.quantity).toBe(10);
    expect(over.limit?.kind).toBe('quantity');
    expect(
      applyCartAction(start, { type: 'setQuantity', slug: 'stoneware-mug', quantity: 4 }).limit,
    ).toBeUndefined();
  });

  it('refuses a line beyond the line limit and leaves the cart unchanged', () => {
    let cart = EMPTY_CART;
    for (let i = 0; i < MAX_LINES; i++) cart = add(cart, `product-${i}`).cart;
    const result = add(cart, 'one-too-many');
    expect(result.cart).toBe(cart);
    expect(result.limit).toEqual({ kind: 'lines', max: 20 });
    // Merging into an existing line is still allowed at the line limit.
    expect(add(cart, 'product-0').cart.lines[0]?.quantity).toBe(2);
  });

  it('ignores nonsense quantities', () => {
    expect(add(EMPTY_CART, 'stoneware-mug', 0).cart).toBe(EMPTY_CART);
    expect(add(EMPTY_CART, 'stoneware-mug', Number.NaN).cart).toBe(EMPTY_CART);
  });

  it('removes a line and clears', () => {
    const cart = add(add(EMPTY_CART, 'a').cart, 'b').cart;
    expect(applyCartAction(cart, { type: 'remove', slug: 'a' }).cart.lines).toEqual([
      { slug: 'b', quantity: 1 },
    ]);
    expect(applyCartAction(cart, { type: 'clear' }).cart.lines).toEqual([]);
  });
});

describe('restoring an order to the cart', () => {
  it('holds at least each line, never doubles on a repeat, and keeps what was added since', () => {
    const order = [
      { slug: 'a', quantity: 2 },
      { slug: 'b', quantity: 1 },
    ];
    const start: Cart = {
      lines: [
        { slug: 'c', quantity: 1 },
        { slug: 'a', quantity: 1 },
      ],
    };
    const once = applyCartAction(start, { type: 'restore', lines: order }).cart;
    expect(once.lines).toEqual([
      { slug: 'c', quantity: 1 },
      { slug: 'a', quantity: 2 },
      { slug: 'b', quantity: 1 },
    ]);
    expect(applyCartAction(once, { type: 'restore', lines: order }).cart).toEqual(once);
  });
});

describe('stored cart', () => {
  const known = (slug: string) => slug !== 'gone';

  it('round-trips and drops unknown or malformed lines', () => {
    const raw = JSON.stringify({
      lines: [
        { slug: 'stoneware-mug', quantity: 3 },
        { slug: 'gone', quantity: 1 },
        { slug: 42, quantity: 1 },
        null,
        { slug: 'ethiopia-guji', quantity: 500 },
      ],
    });
    expect(parseStoredCart(raw, known).lines).toEqual([
      { slug: 'stoneware-mug', quantity: 3 },
      { slug: 'ethiopia-guji', quantity: 10 },
    ]);
  });

  it('treats corrupt storage as an empty cart', () => {
    expect(parseStoredCart('{not json', known)).toEqual(EMPTY_CART);
    expect(parseStoredCart('"a string"', known)).toEqual(EMPTY_CART);
    expect(parseStoredCart(null, known)).toEqual(EMPTY_CART);
  });
});

describe('priceCart', () => {
  it('computes line totals and the subtotal in integer cents from the catalog', () => {
    const cart: Cart = {
      lines: [
        { slug: 'harbor-house-blend', quantity: 3 },
        { slug: 'gooseneck-kettle', quantity: 1 },
        { slug: 'not-in-catalog', quantity: 2 },
      ],
    };
    const priced = priceCart(cart);
    expect(priced.lines.map((line) => line.lineTotalCents)).toEqual([4950, 6400]);
    expect(priced.subtotalCents).toBe(11350);
  });
});
