import {
  applyCartAction,
  EMPTY_CART,
  parseStoredCart,
  type Cart,
  type CartAction,
  type CartLimit,
} from '@/lib/cart/cart';
import { findProduct } from '@/lib/catalog';

/**
 * The browser's cart: a tiny external store over localStorage, read with
 * `useSyncExternalStore` so the server render (empty cart) and the hydrated one never fight,
 * and other tabs stay in step through the `storage` event.
 */
const STORAGE_KEY = 'cart:v1';
const listeners = new Set<() => void>();
let current: Cart | undefined;

function read(): Cart {
  if (current) return current;
  try {
    current = parseStoredCart(
      window.localStorage.getItem(STORAGE_KEY),
      (slug) => !!findProduct(slug),
    );
  } catch {
    // Storage can be unavailable (privacy modes); the cart then lives for this page only.
    current = EMPTY_CART;
  }
  return current;
}

function write(cart: Cart) {
  current = cart;
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(cart));
  } catch {
    // Quota or privacy mode: keep the in-memory cart; nothing else to do.
  }
  listeners.forEach((listener) => listener());
}

export const cartStore = {
  subscribe(listener: () => void) {
    listeners.add(listener);
    const onStorage = (event: StorageEvent) => {
      if (event.key !== STORAGE_KEY) return;
      current = undefined;
      listener();
    };
    window.addEventListener('storage', onStorage);
    return () => {
      listeners.delete(listener);
      window.removeEventListener('storage', onStorage);
    };
  },
  getSnapshot: read,
  getServerSnapshot: (): Cart => EMPTY_CART,
  dispatch(action: CartAction): CartLimit | undefined {
    const result = applyCartAction(read(), action);
    if (result.cart !== current) write(result.cart);
    return result.limit;
  },
};

/** Puts an order's lines back (see the `restore` action): the way back from a failed order. */
export function restoreToCart(lines: { slug: string; quantity: number }[]): void {
  cartStore.dispatch({ type: 'restore', lines: lines.filter((line) => findProduct(line.slug)) });
}
