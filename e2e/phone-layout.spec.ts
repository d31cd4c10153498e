import { expect, test } from './fixtures';

/**
 * The shop on a phone (390×844, an iPhone 12–15's viewport in CSS pixels). In one column every
 * product picture was as wide as the screen and the home page was about 6,900 px tall.
 */
test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the home page shows the products two by two, in a page a few screens tall', async ({
    page,
  }) => {
    await page.goto('/');
    const cards = page.getByRole('list', { name: 'Products' }).getByRole('listitem');
    await expect(cards).toHaveCount(12);

    const box = async (i: number) => (await cards.nth(i).boundingBox())!;
    const [first, second, third] = [await box(0), await box(1), await box(2)];
    // Side by side: same row, the second to the right of the first, each about half the width.
    expect(Math.abs(first.y - second.y)).toBeLessThan(1);
    expect(second.x).toBeGreaterThanOrEqual(first.x + first.width);
    for (const card of [first, second]) {
      expect(card.width).toBeGreaterThan(140);
      expect(card.width).toBeLessThan(390 / 2);
    }
    // The third starts the next row.
    expect(third.y).toBeGreaterThan(first.y + first.height - 1);

    const size = await page.evaluate(() => ({
      height: document.documentElement.scrollHeight,
      width: document.documentElement.scrollWidth,
    }));
    // Nothing wider than the screen, and well under half the old height: one column of 12
    // cards cannot fit in 3,200 px at this width (each card alone is over 450 px tall).
    expect(size.width).toBeLessThanOrEqual(390);
    expect(size.height).toBeLessThan(3_200);
  });

  test('every picture is described, and tapping a card opens its product', async ({ page }) => {
    await page.goto('/');
    const pictures = page.getByRole('list', { name: 'Products' }).getByRole('img');
    await expect(pictures).toHaveCount(12);
    for (const alt of await pictures.evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt'))))
      expect(alt?.trim()).toBeTruthy();

    // The card's link covers the whole card, picture included.
    const mug = page.getByRole('img', { name: 'A speckled stoneware mug' });
    await mug.scrollIntoViewIfNeeded();
    const picture = await mug.boundingBox();
    await page.touchscreen.tap(picture!.x + picture!.width / 2, picture!.y + picture!.height / 2);
    await expect(page).toHaveURL(/\/products\/stoneware-mug$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Stoneware Mug' })).toBeVisible();
  });

  test('header and category links are tap targets of at least 24 × 24 px', async ({ page }) => {
    await page.goto('/');
    const targets = page.locator(
      'header a, header button, nav[aria-label="Categories"] a, [aria-label="Products"] a',
    );
    await expect(targets.first()).toBeVisible();
    const boxes = await targets.evaluateAll((elements) =>
      elements.map((element) => {
        // A card's link is as large as the card it covers (its ::after layer).
        const covered = element.closest('article') ?? element;
        const { width, height } = covered.getBoundingClientRect();
        return { name: element.textContent?.trim(), width, height };
      }),
    );
    for (const box of boxes) {
      expect(box.width, `${box.name} width`).toBeGreaterThanOrEqual(24);
      expect(box.height, `${box.name} height`).toBeGreaterThanOrEqual(24);
    }
  });

  test('a card shows a focus ring around the whole card when reached by keyboard', async ({
    page,
  }) => {
    await page.goto('/');
    const link = page.getByRole('link', { name: 'Harbor House Blend', exact: true });
    for (let i = 0; i < 25 && !(await link.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    await expect(link).toBeFocused();
    const ring = await link.evaluate((el) => {
      const style = getComputedStyle(el, '::after');
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(ring.style).toBe('solid');
    expect(ring.width).toBeGreaterThanOrEqual(2);
  });
});

test('on a desktop the grid keeps four columns', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  const cards = page.getByRole('list', { name: 'Products' }).getByRole('listitem');
  const [first, ...rest] = await cards.evaluateAll((items) =>
    items.slice(0, 5).map((item) => Math.round(item.getBoundingClientRect().top)),
  );
  expect(rest.slice(0, 3)).toEqual([first, first, first]);
  expect(rest[3]).toBeGreaterThan(first!);
});
