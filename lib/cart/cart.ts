/**
 * The cart as pure data and a reducer, so its rules are unit-tested and shared by the UI and
 * (later) the order API's validation. Prices are not stored: they are looked up from the
 * catalog when shown or ordered, so a cart can never carry a stale or tampered price.
 */
export const MAX_QUANTITY_PER_LINE = 10;
export const MAX_LINES = 20;

export interface CartLine {
  slug: string;
  quantity: number;
}

export interface Cart {
  lines: CartLine[];
}

export type CartAction =
  | { type: 'add'; slug: string; quantity: number }
  | { type: 'setQuantity'; slug: string; quantity: number }
  | { type: 'remove'; slug: string }
  | { type: 'clear' }
  /** An order's lines come back (its checkout failed): each line holds at least their quantity. */
  | { type: 'restore'; lines: CartLine[] };

/** Why an action could not be applied in full; the UI explains it to the shopper. */
export type CartLimit =
  { kind: 'quantity'; slug: string; max: number } | { kind: 'lines'; max: number };

export interface CartResult {
  cart: Cart;
  limit?: CartLimit;
}

export const EMPTY_CART: Cart = { lines: [] };

function clampQuantity(quantity: number): number {
  return Math.min(MAX_QUANTITY_PER_LINE, Math.max(1, Math.trunc(quantity)));
}

export function applyCartAction(cart: Cart, action: CartAction): CartResult {
  switch (action.type) {
    case 'add': {
      if (!Number.isFinite(action.quantity) || action.quantity < 1) return { cart };
      const existing = cart.lines.find((line) => line.slug === action.slug);
      if (!existing) {
        if (cart.lines.length >= MAX_LINES) {
          return { cart, limit: { kind: 'lines', max: MAX_LINES } };
        }
        const quantity = clampQuantity(action.quantity);
        return {
          cart: { lines: [...cart.lines, { slug: action.slug, quantity }] },
          limit: quantityLimit(action.slug, action.quantity),
        };
      }
      // Adding a product already in the cart merges into its line, up to the per-line limit.
      const wanted = existing.quantity + action.quantity;
      return {
        cart: replaceQuantity(cart, action.slug, clampQuantity(wanted)),
        limit: quantityLimit(action.slug, wanted),
      };
    }
    case 'setQuantity': {
      if (!Number.isFinite(action.quantity)) return { cart };
      if (!cart.lines.some((line) => line.slug === action.slug)) return { cart };
      return {
        cart: replaceQuantity(cart, action.slug, clampQuantity(action.quantity)),
        limit: quantityLimit(action.slug, action.quantity),
      };
    }
    case 'remove':
      return { cart: { lines: cart.lines.filter((line) => line.slug !== action.slug) } };
    case 'clear':
      return { cart: EMPTY_CART };
    case 'restore':
      // At least, not plus: putting an order back twice (a double click, a second tab) must
      // not double it, and what the shopper added since stays.
      return action.lines.reduce<CartResult>(
        (result, line) => {
          const held = result.cart.lines.find((l) => l.slug === line.slug)?.quantity ?? 0;
          if (held >= line.quantity) return result;
          const next = applyCartAction(result.cart, {
            type: 'add',
            slug: line.slug,
            quantity: line.quantity - held,
          });
          return { cart: next.cart, limit: result.limit ?? next.limit };
        },
        { cart },
      );
  }
}

function quantityLimit(slug: string, wanted: number): CartLimit | undefined {
  return wanted > MAX_QUANTITY_PER_LINE
    ? { kind: 'quantity', slug, max: MAX_QUANTITY_PER_LINE }
    : undefined;
}

function replaceQuantity(cart: Cart, slug: string, quantity: number): Cart {
  return {
    lines: cart.lines.map((line) => (line.slug === slug ? { ...line, quantity } : line)),
  };
}

export function itemCount(cart: Cart): number {
  return cart.lines.reduce((sum, line) => sum + line.quantity, 0);
}

/**
 * Reads a cart from untrusted storage: anything malformed is dropped rather than trusted,
 * and the limits are re-applied (a hand-edited localStorage must not break the page).
 */
export function parseStoredCart(raw: string | null, knownSlug: (slug: string) => boolean): Cart {
  if (!raw) return EMPTY_CART;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return EMPTY_CART;
  }
  const lines = (value as { lines?: unknown })?.lines;
  if (!Array.isArray(lines)) return EMPTY_CART;
  let cart = EMPTY_CART;
  for (const line of lines) {
    const { slug, quantity } = (line ?? {}) as { slug?: unknown; quantity?: unknown };
    if (typeof slug !== 'string' || !knownSlug(slug) || typeof quantity !== 'number') continue;
    cart = applyCartAction(cart, { type: 'add', slug, quantity }).cart;
  }
  return cart;
}
