import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, fakeGpuServeEnv, test } from './serve-fixture';

// Every page and every setup step, checked with axe-core against WCAG 2.1 A and AA (labels, names, roles,
// contrast, landmarks), then walked with the Tab key: each control that can be used can be reached.
test.use({
  serveEnv: {
    ...fakeGpuServeEnv(),
    NOCTURNE_DEVNET_PORT: '0',
  },
});
test.describe.configure({ timeout: 120_000 });

const PAGES = ['Dashboard', 'Earnings', 'GPUs', 'Schedule', 'Jobs', 'Wallet', 'Settings'] as const;
const SETUP_STEPS = ['gpu', 'benchmark', 'schedule', 'wallet', 'self-test', 'online'];

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
}

/**
 * Tabs through the page and returns the controls that could be used but were never reached. A radio group
 * is one stop (its other buttons are reached with the arrow keys, as browsers do).
 */
async function unreachableByTab(page: Page): Promise<string[]> {
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  const controls = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } })
      .document;
    const all = Array.from(
      doc.querySelectorAll(
        'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary',
      ),
    ) as {
      dataset: Record<string, string>;
      getClientRects(): ArrayLike<unknown>;
      closest(s: string): unknown;
    }[];
    const visible = all.filter((el) => el.getClientRects().length > 0 && !el.closest('[inert]'));
    const stops = new Map<string, number>();
    for (const el of visible) {
      const radio = el as unknown as { type?: string; name?: string };
      const key =
        radio.type === 'radio' && radio.name ? `radio:${radio.name}` : `el:${stops.size}:${Math.random()}`;
      if (!stops.has(key)) stops.set(key, stops.size);
      el.dataset.tabCheck = String(stops.get(key));
    }
    return stops.size;
  });
  const reached = new Set<string>();
  for (let i = 0; i < controls * 2 + 10; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(
      () =>
        (
          globalThis as unknown as {
            document: { activeElement: { dataset?: Record<string, string> } | null };
          }
        ).document.activeElement?.dataset?.tabCheck ?? null,
    );
    if (id !== null) reached.add(id);
    if (reached.size === controls) break;
  }
  const missing: string[] = [];
  for (let i = 0; i < controls; i++)
    if (!reached.has(String(i)))
      missing.push(
        await page
          .locator(`[data-tab-check="${i}"]`)
          .evaluate((el) => (el as { outerHTML: string }).outerHTML.slice(0, 160)),
      );
  return missing;
}

test('every page meets WCAG 2.1 AA by axe-core, and every control on it is reached with Tab', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  for (const name of PAGES) {
    await page.getByRole('link', { name, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expect(page.getByText('Loading…')).toHaveCount(0);
    expect(await axeViolations(page), `axe on ${name}`).toEqual([]);
    expect(await unreachableByTab(page), `Tab on ${name}`).toEqual([]);
  }
});

test('every step of the setup meets WCAG 2.1 AA by axe-core', async ({ page, served }) => {
  await page.goto(served.url);
  for (const step of SETUP_STEPS) {
    await page.goto(`${served.origin}/#/setup/${step}`);
    await expect(page.getByTestId(`setup-step-${step}`)).toBeVisible();
    await expect(page.getByText(/^Loading…$/)).toHaveCount(0);
    expect(await axeViolations(page), `axe on setup step ${step}`).toEqual([]);
    expect(await unreachableByTab(page), `Tab on setup step ${step}`).toEqual([]);
  }
});
