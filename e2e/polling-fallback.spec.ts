import { DEMO_ACCOUNTS } from '../scripts/demo-seed';
import { expect, placeOrder, signIn, test } from './fixtures';

interface Poll {
  sentAt: number;
  status: number;
  nextPollAt?: number;
}

test('without a socket the page polls no sooner than nextPollAt, never gets a 429, and completes', async ({
  page,
  shop,
  browser,
}) => {
  // Every real-time connection is refused: the page must fall back to polling.
  await page.routeWebSocket(/\/graphql\/realtime/, (ws) =>
    ws.close({ code: 1011, reason: 'blocked by test' }),
  );
  const polls: Poll[] = [];
  page.on('response', async (response) => {
    const request = response.request();
    if (request.method() !== 'GET' || !/\/api\/orders\/[^/]+$/.test(request.url())) return;
    const body =
      response.status() === 200 ? await response.json().catch(() => undefined) : undefined;
    polls.push({
      sentAt: Date.parse(
        request.timing().startTime ? new Date(request.timing().startTime).toISOString() : '',
      ),
      status: response.status(),
      nextPollAt: body?.nextPollAt ? Date.parse(body.nextPollAt) : undefined,
    });
  });

  await signIn(page, DEMO_ACCOUNTS.shopper);
  await shop.openProduct('Chamomile Meadow');
  await shop.addToCart();
  const orderId = await placeOrder(page);

  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-mode', 'polling');
  await expect(page.getByTestId('connection-badge')).toContainText('next check at');
  await expect(page.getByTestId('order-status')).toHaveText('Waiting for packing', {
    timeout: 30_000,
  });

  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await signIn(staff, DEMO_ACCOUNTS.warehouse, '/warehouse');
  await staff.goto('/warehouse');
  await staff
    .getByTestId('warehouse-task')
    .filter({ hasText: orderId.slice(0, 8) })
    .getByRole('button', { name: 'Packed' })
    .click();
  await staffContext.close();

  await expect(page.getByTestId('order-status')).toHaveText('Shipped', { timeout: 45_000 });
  expect(polls.length).toBeGreaterThanOrEqual(2);
  expect(polls.filter((poll) => poll.status === 429)).toEqual([]);
  // Each poll was sent no earlier than the previous answer allowed (timers may fire a bit late,
  // never early; 250 ms covers the browser's clock granularity).
  for (let i = 1; i < polls.length; i++) {
    const allowed = polls[i - 1]!.nextPollAt;
    if (allowed) expect(polls[i]!.sentAt).toBeGreaterThanOrEqual(allowed - 250);
  }
});

test('polling says what it is doing: Check now looks early when the next check is far off', async ({
  page,
  shop,
  browser,
}) => {
  await page.routeWebSocket(/\/graphql\/realtime/, (ws) =>
    ws.close({ code: 1011, reason: 'blocked by test' }),
  );
  // The e2e server runs its poll schedule 20× faster, so the next check is never far off. Each
  // answer's Retry-After is stretched to a minute, as during a long warehouse wait at real time:
  // the page then offers Check now. The server's own answers (and its 429s) are left as they are.
  // Stretched once the order waits for the warehouse (before that the page must see it move).
  let waiting = false;
  await page.route(/\/api\/orders\/[0-9a-f-]{36}$/, async (route) => {
    const response = await route.fetch();
    const headers = response.headers();
    if (response.ok()) {
      waiting = ((await response.json()) as { status: string }).status === 'AWAITING_WAREHOUSE';
    }
    if (waiting && (response.ok() || response.status() === 304)) headers['retry-after'] = '60';
    await route.fulfill({ response, headers });
  });

  await signIn(page, DEMO_ACCOUNTS.shopper);
  await shop.openProduct('Chamomile Meadow');
  await shop.addToCart();
  const orderId = await placeOrder(page);
  await expect(page.getByTestId('order-status')).toHaveText('Waiting for packing', {
    timeout: 30_000,
  });
  const checkNow = page.getByRole('button', { name: /^Check/ });
  await expect(checkNow).toHaveText('Check now');

  // Nothing has changed: the look is answered without news (or a 429 the button counts down).
  await checkNow.click();
  await expect(checkNow).toHaveText('Check now', { timeout: 10_000 });

  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await signIn(staff, DEMO_ACCOUNTS.warehouse, '/warehouse');
  await staff.goto('/warehouse');
  await staff
    .getByTestId('warehouse-task')
    .filter({ hasText: orderId.slice(0, 8) })
    .getByRole('button', { name: 'Packed' })
    .click();
  await expect(staff.getByRole('status').filter({ hasText: 'packed' })).toBeVisible();
  await staffContext.close();

  // The order changed: an early look is answered, long before the stretched schedule.
  await expect(async () => {
    await checkNow.click({ timeout: 1_000 });
    await expect(page.getByTestId('order-status')).toHaveText('Shipped', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
});
