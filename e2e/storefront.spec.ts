import { expect, test } from './fixtures';

test('browse, filter, add to cart, change quantity, totals, and keep the cart across reloads', async ({
  page,
  shop,
}) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: /All products/ })).toContainText('(12)');

  await page
    .getByRole('navigation', { name: 'Categories' })
    .getByRole('link', { name: 'Tea' })
    .click();
  await expect(page).toHaveURL(/category=tea/);
  await expect(page.getByRole('link', { name: 'Tea', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  const products = page.getByRole('list', { name: 'Products' }).getByRole('listitem');
  await expect(products).toHaveCount(3);
  await expect(products.filter({ hasText: 'Stoneware Mug' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Assam Breakfast' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Assam Breakfast' })).toBeVisible();
  await expect(page.getByText('$12.00')).toBeVisible();
  await shop.addToCart(2);
  await expect(shop.cartCount()).toHaveText('2');

  await shop.openProduct('Gooseneck Kettle');
  await shop.addToCart();
  await expect(shop.cartCount()).toHaveText('3');

  await page.getByRole('link', { name: /^Cart, 3 items$/ }).click();
  await expect(page.getByTestId('cart-line')).toHaveCount(2);
  const tea = shop.cartLine('Assam Breakfast');
  await tea.getByRole('button', { name: 'Increase quantity' }).click();
  await expect(tea.getByRole('spinbutton', { name: 'Quantity' })).toHaveValue('3');
  await expect(tea.getByTestId('line-total')).toHaveText('$36.00');
  await expect(page.getByTestId('summary-total')).toHaveText('$100.00');
  await expect(shop.cartCount()).toHaveText('4');

  await page.reload();
  await expect(shop.cartLine('Assam Breakfast').getByRole('spinbutton')).toHaveValue('3');
  await expect(page.getByTestId('summary-total')).toHaveText('$100.00');

  await shop
    .cartLine('Gooseneck Kettle')
    .getByRole('button', { name: 'Remove Gooseneck Kettle' })
    .click();
  await expect(page.getByTestId('summary-total')).toHaveText('$36.00');
});

test('the cart explains the per-line limit', async ({ page, shop }) => {
  await shop.openProduct('Stoneware Mug');
  await shop.addToCart(10);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('status')).toContainText('at most 10 of one product');
  await expect(shop.cartCount()).toHaveText('10');

  await page.goto('/cart');
  await shop.cartLine('Stoneware Mug').getByRole('button', { name: 'Increase quantity' }).click();
  await expect(page.getByRole('status').first()).toContainText('at most 10');
  await expect(shop.cartLine('Stoneware Mug').getByRole('spinbutton')).toHaveValue('10');
});

test('an unknown product shows the not-found page', async ({ page }) => {
  const response = await page.goto('/products/no-such-thing');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'We can’t find that product' })).toBeVisible();
  await page.getByRole('link', { name: 'Browse the shop' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('keyboard only: reach a product and add it to the cart', async ({ page, shop }) => {
  await page.goto('/products/ethiopia-guji');
  const quantity = page.getByLabel('Quantity');
  // Tab from the top of the page until the quantity picker has focus.
  for (
    let i = 0;
    i < 25 && !(await quantity.evaluate((el) => el === document.activeElement));
    i++
  ) {
    await page.keyboard.press('Tab');
  }
  await expect(quantity).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(quantity).toHaveValue('2');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Add to cart' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('Added 2 × Ethiopia Guji');
  await expect(shop.cartCount()).toHaveText('2');
});

test('stock comes from the inventory: low stock is flagged, a sold-out product cannot be added', async ({
  page,
}) => {
  await page.goto('/?category=brewing');
  const kettle = page.getByRole('listitem').filter({ hasText: 'Gooseneck Kettle' });
  await expect(kettle.getByTestId('stock')).toHaveText('Only 3 left');
  const grinder = page.getByRole('listitem').filter({ hasText: 'Burr Hand Grinder' });
  await expect(grinder.getByTestId('stock')).toHaveText('Sold out');

  await page.goto('/products/hand-grinder');
  await expect(page.getByTestId('stock')).toHaveText('Sold out');
  await expect(page.getByRole('button', { name: 'Add to cart' })).toHaveCount(0);
  await expect(page.getByText('cannot be added to the cart')).toBeVisible();

  await page.goto('/products/gooseneck-kettle');
  // The quantity picker offers no more than is left.
  await expect(page.getByLabel('Quantity').locator('option')).toHaveCount(3);
});

test('every page names the shop icon, and it is served', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="icon"]').first().getAttribute('href');
  expect(href).toBeTruthy();
  const icon = await request.get(href!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');
});
