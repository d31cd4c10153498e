import { test as base, expect, type Page } from '@playwright/test';

/** Page objects for the storefront; specs import `test` and `expect` from here. */
export class Shop {
  constructor(readonly page: Page) {}

  async openProduct(name: string) {
    await this.page.goto('/');
    await this.page.getByRole('link', { name, exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name })).toBeVisible();
  }

  async addToCart(quantity = 1) {
    if (quantity !== 1) await this.page.getByLabel('Quantity').selectOption(String(quantity));
    await this.page.getByRole('button', { name: 'Add to cart' }).click();
    await expect(this.page.getByRole('status').filter({ hasText: /Added|at most/ })).toBeVisible();
  }

  cartCount() {
    return this.page.getByTestId('cart-count');
  }

  cartLine(name: string) {
    return this.page.getByTestId('cart-line').filter({ hasText: name });
  }
}

export const test = base.extend<{ shop: Shop }>({
  shop: async ({ page }, use) => {
    await use(new Shop(page));
  },
});

export { expect };
