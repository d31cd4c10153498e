import { DEMO_ACCOUNTS } from '../scripts/demo-seed';
import { expect, fillCheckout, signIn, test } from './fixtures';

test('a shopper watches the order live while staff pack it, with no status polling', async ({
  page,
  shop,
  browser,
}) => {
  const statusReads: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'GET' && /\/api\/orders\/[^/]+$/.test(request.url())) {
      statusReads.push(request.url());
    }
  });

  await signIn(page, DEMO_ACCOUNTS.shopper);
  await shop.openProduct('Ethiopia Guji');
  await shop.addToCart(2);
  await page.goto('/checkout');
  await fillCheckout(page);
  // Hold the page's first read of the order: what shows meanwhile comes from the 202 alone.
  let releaseRead!: () => void;
  const readHeld = new Promise<void>((resolve) => (releaseRead = resolve));
  await page.route(/\/api\/orders\/[0-9a-f-]{36}$/, async (route) => {
    await readHeld;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Place order' }).click();

  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  const orderUrl = page.url();
  await expect(page.getByTestId('order-placed')).toContainText('Order placed.');
  await expect(page.getByTestId('step-Queued')).toHaveAttribute('data-status', 'WAITING');
  await expect(page.getByRole('complementary', { name: 'Order summary' })).toContainText(
    '2 × Ethiopia Guji',
  );
  await expect(page.getByText('Loading your order…')).toHaveCount(0);
  releaseRead();
  await expect(page.getByTestId('connection-badge')).toHaveText('Live');
  // The backend takes orders through its intake queue: the wait for capacity comes first.
  const steps = page.getByRole('list', { name: 'Order progress' }).getByRole('listitem');
  await expect(steps.first()).toHaveAttribute('data-testid', 'step-Queued');
  await expect(page.getByTestId('step-Queued')).toHaveAttribute('data-status', 'SUCCEEDED');
  await expect(page.getByTestId('step-ReserveInventory')).toHaveAttribute(
    'data-status',
    'SUCCEEDED',
  );
  await expect(page.getByTestId('step-ChargePayment')).toHaveAttribute('data-status', 'SUCCEEDED');
  await expect(page.getByTestId('step-AwaitWarehouse')).toHaveAttribute('data-status', 'WAITING');
  await expect(page.getByTestId('order-status')).toHaveText('Waiting for packing');
  await expect(page.getByTestId('cart-count')).toHaveText('0');

  // Warehouse staff, in a browser of their own, pack the order.
  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await signIn(staff, DEMO_ACCOUNTS.warehouse, '/warehouse');
  await staff.goto('/warehouse');
  const orderId = orderUrl.split('/').pop()!;
  const task = staff.getByTestId('warehouse-task').filter({ hasText: orderId.slice(0, 8) });
  await expect(task).toContainText('2 × Ethiopia Guji');
  await task.getByRole('button', { name: 'Packed' }).click();
  await expect(staff.getByRole('status').filter({ hasText: 'packed' })).toBeVisible();
  await staffContext.close();

  await expect(page.getByTestId('order-status')).toHaveText('Shipped');
  await expect(page.getByTestId('step-ShipOrder')).toHaveAttribute('data-status', 'SUCCEEDED');
  // The tracking number came with the live update, not from a reload.
  await expect(page.getByTestId('tracking-number')).toHaveText(/^DP[0-9A-F]{12}$/);
  await expect(page.getByTestId('step-ShipOrder')).toContainText('On its way with Demo Parcel');
  await expect(page.getByTestId('connection-badge')).toHaveCount(0);
  // Everything after the first read arrived over the subscription.
  expect(statusReads).toHaveLength(1);

  await page.getByRole('link', { name: 'My orders' }).click();
  const row = page
    .getByRole('list', { name: 'Your orders' })
    .getByRole('listitem')
    .filter({ hasText: orderId.slice(0, 8) });
  await expect(row.getByTestId('order-status')).toHaveText('Shipped');
  await expect(row).toContainText('2 items');
});
