import type { ShippingAddress } from '@/amplify/functions/shared/workflow-types';

/**
 * The address of an order whose payment failed, handed to the next checkout so "Try again with
 * another card" only asks for the card. In memory until the next order is placed: it is a
 * convenience for client-side navigation, never stored (it is personal data), and a reload
 * starts blank. Read without consuming it: React may run a state initializer twice.
 */
let draft: ShippingAddress | undefined;

export function rememberCheckoutDraft(address: ShippingAddress): void {
  draft = address;
}

export function checkoutDraft(): ShippingAddress | undefined {
  return draft;
}

export function forgetCheckoutDraft(): void {
  draft = undefined;
}
