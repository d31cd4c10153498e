import { expect, test } from './fixtures';

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

test('placing an order does not pretend to succeed while the order service is absent', async ({
  page,
}) => {
  await page.goto('/checkout');
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Street address').fill('12 Analytical Row');
  await page.getByLabel('Town or city').fill('London');
  await page.getByLabel('Postal code').fill('N1 9GU');
  await page.getByLabel('Country').selectOption('GB');
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByLabel('Expiry (MM/YY)').fill('12/39');
  await page.getByLabel('Security code').fill('123');
  await page.getByRole('button', { name: 'Place order' }).click();

  await expect(
    page.getByRole('alert').filter({ hasText: 'Ordering is not available yet' }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.getByTestId('cart-count')).toHaveText('1');
});
