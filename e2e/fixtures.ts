import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

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

export interface Account {
  email: string;
  password: string;
}

/** Signs in through the real Authenticator (SRP against the local Cognito). */
export async function signIn(page: Page, account: Account, next = '/') {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText(account.email);
}

/** The e2e local cloud (see playwright.config.ts). */
export const LOCAL_CLOUD_URL = `http://127.0.0.1:${process.env.E2E_LOCAL_CLOUD_PORT ?? 4567}`;

/** The newest code the local Cognito "emailed" to this address (its inbox endpoint). */
export async function latestCode(email: string): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(async () => {
      const response = await fetch(
        `${LOCAL_CLOUD_URL}/_local/inbox?email=${encodeURIComponent(email)}`,
      );
      const { messages } = (await response.json()) as { messages: { code: string }[] };
      code = messages[0]?.code;
      return code;
    })
    .toBeDefined();
  return code!;
}

/** Creates an account through the Authenticator and confirms it with the emailed code. */
export async function signUp(page: Page, account: Account) {
  await page.goto('/sign-in');
  await page.getByRole('tab', { name: 'Create Account' }).click();
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByLabel('Confirm Password').fill(account.password);
  await page.getByRole('button', { name: 'Create Account' }).click();
  await page.getByLabel('Confirmation Code').fill(await latestCode(account.email));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText(account.email);
}

/** Places an order for what is in the cart and returns its id (on the tracking page). */
export async function placeOrder(page: Page, cardNumber?: string): Promise<string> {
  await page.goto('/checkout');
  await fillCheckout(page, cardNumber);
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  return page.url().split('/').pop()!;
}

/** Fills the checkout form with a valid address and the given test card. */
export async function fillCheckout(page: Page, cardNumber = '4242 4242 4242 4242') {
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Street address').fill('12 Analytical Row');
  await page.getByLabel('Town or city').fill('London');
  await page.getByLabel('Postal code').fill('N1 9GU');
  await page.getByLabel('Country').selectOption('GB');
  await page.getByLabel('Card number').fill(cardNumber);
  await page.getByLabel('Expiry (MM/YY)').fill('12/39');
  await page.getByLabel('Security code').fill('123');
}

/**
 * Collects Content Security Policy violations in a browser context: each
 * `securitypolicyviolation` event (https://developer.mozilla.org/docs/Web/API/SecurityPolicyViolationEvent)
 * is reported through a binding, and Chromium's "violates the following Content Security
 * Policy" console errors are caught too.
 */

async function watchCsp(context: BrowserContext, violations: string[]) {
  await context.exposeBinding('__reportCspViolation', (_source, violation: string) => {
    violations.push(violation);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation(v: string): void })
        .__reportCspViolation;
      report(
        `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} on ${event.documentURI}`,
      );
    });
  });
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
}

export const test = base.extend<{ shop: Shop; cspViolations: string[] }>({
  // Automatic, so every journey fails on a violation: in its own context and in any other
  // context it opens (a second shopper, warehouse staff).
  cspViolations: [
    async ({ context, browser }, use) => {
      const violations: string[] = [];
      await watchCsp(context, violations);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => {
        const created = await newContext(options);
        await watchCsp(created, violations);
        return created;
      };
      await use(violations);
      browser.newContext = newContext;
      expect(violations, 'Content Security Policy violations').toEqual([]);
    },
    { auto: true },
  ],
  shop: async ({ page }, use) => {
    await use(new Shop(page));
  },
});

export { expect };
