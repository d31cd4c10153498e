import { DEMO_ACCOUNTS } from '../scripts/demo-seed';
import { expect, placeOrder, signIn, signUp, test } from './fixtures';

test('a declined card fails the order and says the stock was released', async ({
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
  await expect(summary).toContainText('Take payment failed');
  await expect(summary).toContainText('PaymentDeclined');
  await expect(summary).toContainText('The stock reserved for you was released.');
  await expect(page.getByTestId('step-ChargePayment')).toHaveAttribute('data-status', 'FAILED');
  await expect(page.getByTestId('step-ReleaseInventory')).toHaveAttribute(
    'data-status',
    'SUCCEEDED',
  );
  // The steps after the failure will never run: skipped, not "Not started".
  for (const step of ['AwaitWarehouse', 'ShipOrder']) {
    await expect(page.getByTestId(`step-${step}`)).toHaveAttribute('data-status', 'SKIPPED');
    await expect(page.getByTestId(`step-${step}`)).toContainText('Skipped');
  }

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
  await expect(payment).toContainText('Retried after 2 temporary failures.');
  await expect(page.getByTestId('order-status')).toHaveText('Waiting for packing');

  // Reloading at once (within the server's floor for reads without an ETag) still shows the
  // order: the page waits out the Retry-After instead of giving up.
  await page.reload();
  await expect(page.getByTestId('order-status')).toHaveText('Waiting for packing');
  await expect(page.getByTestId('step-ChargePayment').getByTestId('attempts')).toHaveText(
    '· attempt 3',
  );
});
