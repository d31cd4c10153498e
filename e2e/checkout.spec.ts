import { expect, fillCheckout, test } from './fixtures';

test.beforeEach(async ({ shop }) => {
  await shop.openProduct('Harbor House Blend');
  await shop.addToCart();
});

test('checkout shows accessible errors for bad input and keeps what was typed', async ({
  page,
}) => {
  await page.goto('/checkout');
  await expect(page.getByRole('heading', { name: 'Test cards' })).toBeVisible();

  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill('ada@');
  await page.getByLabel('Card number').fill('4242 4242 4242 4241');
  await page.getByRole('button', { name: 'Place order' }).click();

  await expect(page.getByRole('alert').filter({ hasText: 'highlighted fields' })).toBeVisible();
  const email = page.getByLabel('Email');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  // The first invalid field in the form receives focus.
  await expect(email).toBeFocused();
  await expect(page.getByText('Enter a valid email address')).toBeVisible();
  await expect(page.getByLabel('Card number')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('This card number is not valid')).toBeVisible();
  await expect(page.getByLabel('Street address')).toHaveAccessibleDescription(
    'Enter the street address.',
  );

  await expect(page.getByLabel('Full name')).toHaveValue('Ada Lovelace');
  await expect(page.getByLabel('Full name')).not.toHaveAttribute('aria-invalid');
  await expect(email).toHaveValue('ada@');
});

test('placing an order while signed out asks to sign in and keeps the cart', async ({ page }) => {
  await page.goto('/checkout');
  await fillCheckout(page);
  await page.getByRole('button', { name: 'Place order' }).click();

  const alert = page.getByRole('alert').filter({ hasText: 'Please sign in to place your order.' });
  await expect(alert).toBeVisible();
  await expect(alert.getByRole('link', { name: /Sign in/ })).toHaveAttribute(
    'href',
    '/sign-in?next=/checkout',
  );
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.getByTestId('cart-count')).toHaveText('1');
});
