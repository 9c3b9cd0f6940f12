import { spawnSync } from 'node:child_process';
import { expect, test } from './serve-fixture';

test('a window painted on the Schedule page is kept across a reload and seen by `nocturne availability`', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  await page.getByRole('link', { name: 'Schedule' }).click();
  await expect(page.getByTestId('availability-banner')).toContainText(/for rent/i);

  await page.getByRole('button', { name: 'Never', exact: true }).click();
  await page.getByLabel('Time zone').fill('UTC');
  const grid = page.getByTestId('schedule-grid');
  const cell = (day: number, slot: number) => grid.locator(`[data-day="${day}"][data-slot="${slot}"]`);
  // Tuesday 10:00-12:00: drag across eight quarter-hours.
  await cell(1, 40).dragTo(cell(1, 47));
  await expect(page.getByTestId('schedule-windows')).toContainText('tue 10:00-12:00');
  await page.getByRole('button', { name: 'Save schedule' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Schedule saved' })).toBeVisible();

  await page.reload();
  await expect(page.getByTestId('schedule-windows')).toContainText('tue 10:00-12:00');
  await expect(cell(1, 40)).toHaveAttribute('aria-selected', 'true');
  await expect(cell(1, 48)).toHaveAttribute('aria-selected', 'false');
  await page.screenshot({ path: 'test-results/screenshots/schedule.png', fullPage: true });

  // The CLI reads the same data directory while the app runs (no lock needed to read).
  const cli = (at: string) =>
    spawnSync(
      process.execPath,
      ['bin/nocturne.js', 'availability', '--at', at, '--json', '--data-dir', served.dataDir],
      {
        encoding: 'utf8',
      },
    );
  const inside = cli('2026-12-01T11:00:00Z'); // a Tuesday
  expect(inside.status, inside.stderr).toBe(0);
  expect(JSON.parse(inside.stdout)).toEqual({
    available: true,
    reasons: ['Inside your schedule'],
    nextChange: '2026-12-01T12:00:00.000Z',
  });
  expect(JSON.parse(cli('2026-12-01T12:30:00Z').stdout)).toMatchObject({
    available: false,
    nextChange: '2026-12-08T10:00:00.000Z',
  });
});

test('pausing from the Schedule page shows in the banner and the Dashboard, and Resume undoes it', async ({
  page,
  served,
}) => {
  await page.goto(`${served.url}`);
  await page.getByRole('link', { name: 'Schedule' }).click();
  await page.getByRole('button', { name: 'Pause 1 hour' }).click();
  await expect(page.getByTestId('availability-banner')).toContainText('paused by you until');
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByTestId('status-sentence')).toContainText('paused by you until');
  await expect(page.getByTestId('rent-badge')).toHaveText('Not for rent');
  await page.getByRole('link', { name: 'Schedule' }).click();
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('availability-banner')).not.toContainText('paused');
});
