import { expect, test } from './serve-fixture';

test.use({ serveEnv: { NOCTURNE_DEVNET_PORT: '0' } });

test('the electricity tariff, floor and power are set in Settings; a suggested price is shown and applied', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  await page.getByRole('link', { name: 'Settings' }).click();

  // A time-of-use tariff: a bad hour is refused, named by its hour.
  await page.getByLabel('Electricity tariff').selectOption('hourly');
  await page.getByLabel('03:00–04:00').fill('-1');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('#settings-electricityPerKWh-error')).toContainText(
    '03:00–04:00: must be 0 or more',
  );
  await page.getByLabel('03:00–04:00').fill('0.2');
  for (let hour = 0; hour < 7; hour++)
    await page.getByLabel(`${String(hour).padStart(2, '0')}:00–`).fill('0.2');
  await page.getByLabel('What one payment token is worth in your currency').fill('0.92');
  await page.getByLabel('Least to take per GPU hour, in the payment token (0: no floor)').fill('0.1');
  await page.getByLabel('GPU power under load in watts, until the monitor has measured it').fill('300');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Electricity tariff')).toHaveValue('hourly');
  await expect(page.getByLabel('05:00–06:00')).toHaveValue('0.2');
  await expect(
    page.getByLabel('GPU power under load in watts, until the monitor has measured it'),
  ).toHaveValue('300');

  // The suggestion reads the (empty) devnet market and counts the electricity; applying it fills the field.
  await page.getByRole('button', { name: 'Suggest a price' }).click();
  const result = page.getByRole('region', { name: 'Suggested price' });
  await expect(result).toContainText('Suggested:', { timeout: 30_000 });
  await expect(result).toContainText('There are no other offers in tUSD on Local devnet');
  await expect(result).toContainText('(300 W, as set in Settings)');
  const suggested = (await result.locator('strong').textContent())!;
  await page.getByRole('button', { name: 'Use this price' }).click();
  const price = page.getByLabel('Price per GPU hour, in the network’s payment token');
  await expect(price).toHaveValue(suggested);
  await page.screenshot({ path: 'test-results/screenshots/settings-pricing.png', fullPage: true });
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved' })).toBeVisible();
});
