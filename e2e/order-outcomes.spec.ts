import { DEMO_ACCOUNTS } from '../scripts/demo-seed';
import { expect, placeOrder, signIn, signUp, test } from './fixtures';

test('a declined card fails the order in plain words, and another card can be tried', async ({
  page,
  shop,
  browser,
}) => {
  await signIn(page, DEMO_ACCOUNTS.shopper);
  await shop.openProduct('Assam Breakfast');
  await shop.addToCart();
  const orderId = await placeOrder(page, '4000 0000 0000 0002');

  await expect(page.getByTestId('order-status')).toHaveText('Failed');
  const summary = page.getByTestId('failure-summary');
  await expect(summary).toContainText('Your card was declined.');
  await expect(summary).toContainText('Nothing was charged.');
  await expect(page.getByTestId('step-ChargePayment')).toHaveAttribute('data-status', 'FAILED');
  await expect(page.getByTestId('step-ChargePayment')).toContainText('Your card was declined.');
  // No internal text: error names, JSON, ISO timestamps. Bookkeeping steps (the stock release,
  // a refund with nothing to refund) are not shown.
  await expect(page.getByRole('main')).not.toContainText(/PaymentDeclined|errorType|\d{4}-\d\dT/);
  await expect(page.getByTestId('step-ReleaseInventory')).toHaveCount(0);
  await expect(page.getByTestId('step-RefundPayment')).toHaveCount(0);
  // The steps after the failure will never run: skipped, not "Not started".
  for (const step of ['AwaitWarehouse', 'ShipOrder']) {
    await expect(page.getByTestId(`step-${step}`)).toHaveAttribute('data-status', 'SKIPPED');
    await expect(page.getByTestId(`step-${step}`)).toContainText('Skipped');
  }

  await expect(
    summary.getByRole('button', { name: 'Put the items back in my cart' }),
  ).toBeVisible();
  // The way back: the items return to the cart and checkout keeps the address.
  await page.getByRole('button', { name: 'Try again with another card' }).click();
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.getByLabel('Full name')).toHaveValue('Ada Lovelace');
  await expect(page.getByLabel('Town or city')).toHaveValue('London');
  await expect(page.getByRole('complementary', { name: 'Order summary' })).toContainText(
    '1 × Assam Breakfast',
  );
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByLabel('Expiry (MM/YY)').fill('12/39');
  await page.getByLabel('Security code').fill('123');
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  // A new checkout is a new order (a new Idempotency-Key), and this one gets paid.
  expect(page.url()).not.toContain(orderId);
  await expect(page.getByTestId('step-ChargePayment')).toHaveAttribute('data-status', 'SUCCEEDED');

  // Another shopper who gets hold of the URL sees nothing of it.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signUp(other, { email: `other-${Date.now()}@example.com`, password: 'Other-shopper-1' });
  await other.goto(`/orders/${orderId}`);
  await expect(other.getByRole('heading', { name: 'Order not found' })).toBeVisible();
  await expect(other.getByText('Assam Breakfast')).toHaveCount(0);
  await otherContext.close();
});

test('a transiently failing card shows the retries, then the payment succeeds', async ({
  page,
  shop,
}) => {
  await signIn(page, DEMO_ACCOUNTS.shopper);
  await shop.openProduct('Sencha First Flush');
  await shop.addToCart();
  await placeOrder(page, '4000 0000 0000 0119');

  const payment = page.getByTestId('step-ChargePayment');
  await expect(payment).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 30_000 });
  await expect(payment.getByTestId('attempts')).toHaveText('· attempt 3');
  await expect(payment).toContainText('Tried again after 2 temporary problems.');
  await expect(payment).toContainText(/charged to your card ending 0119/);
  await expect(page.getByTestId('order-status')).toHaveText('Waiting for packing');

  // Reloading at once (within the server's floor for reads without an ETag) still shows the
  // order: the page waits out the Retry-After instead of giving up.
  await page.reload();
  await expect(page.getByTestId('order-status')).toHaveText('Waiting for packing');
  await expect(page.getByTestId('step-ChargePayment').getByTestId('attempts')).toHaveText(
    '· attempt 3',
  );
});
