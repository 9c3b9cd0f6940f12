import { request as playwrightRequest } from '@playwright/test';
import WebSocket from 'ws';
import { sampleRequests } from '../fakes/sample-requests';
import { expect, test } from './serve-fixture';

test('the printed URL opens the UI; settings persist across a reload', async ({ page, served }) => {
  await page.goto(served.url);
  // The token is traded for a cookie and dropped from the address bar.
  await expect(page).toHaveURL(`${served.origin}/`);
  await expect(page.getByTestId('status-sentence')).toContainText(/for rent/i);

  await page.getByRole('link', { name: 'Settings' }).click();
  const name = page.getByLabel('Device name');
  await expect(name).toHaveValue('My GPU rig');
  await name.fill('Attic 4090');
  await page.getByLabel('Temperature unit').selectOption('fahrenheit');
  await page.getByLabel('Lock the wallet after this many idle minutes').fill('5');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved' })).toBeVisible();

  await page.reload();
  await expect(page.getByLabel('Device name')).toHaveValue('Attic 4090');
  await expect(page.getByLabel('Temperature unit')).toHaveValue('fahrenheit');
  await expect(page.getByLabel('Lock the wallet after this many idle minutes')).toHaveValue('5');
  await page.screenshot({ path: 'test-results/screenshots/settings.png', fullPage: true });
});

test('a bad value is refused with the field named, and nothing stored changes', async ({ page, served }) => {
  await page.goto(`${served.url}`);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Device name').fill('x'.repeat(65));
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('alert').first()).toContainText('deviceName');
  await expect(page.getByLabel('Device name')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Device name').fill('Attic');
  await page.getByLabel('Local devnet port on 127.0.0.1 (0: any free port)').fill('70000');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('#settings-devnetPort-error')).toContainText('must be at most 65535');

  await page.reload();
  await expect(page.getByLabel('Device name')).toHaveValue('My GPU rig');
  await expect(page.getByLabel('Local devnet port on 127.0.0.1 (0: any free port)')).toHaveValue('18545');
});

test('the dashboard follows pause and resume live', async ({ page, served }) => {
  await page.goto(served.url);
  // A fresh install has earned nothing: the ledger answers, in words.
  const earnings = page.getByTestId('dashboard-earnings');
  await expect(earnings).toContainText('TodayNothing yet');
  await expect(earnings).toContainText('0 active, 0 in all');
  await expect(page.getByTestId('dashboard-market')).toContainText('Offline');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('status-sentence')).toContainText('paused by you');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('status-sentence')).not.toContainText('paused');
  await expect(page.getByTestId('status-sentence')).toContainText(/for rent/i);
  await page.screenshot({ path: 'test-results/screenshots/dashboard.png', fullPage: true });
});

test('without the token, HTTP answers 401 and the WebSocket is refused', async ({ served }) => {
  const anonymous = await playwrightRequest.newContext();
  expect((await anonymous.get(`${served.origin}/`)).status()).toBe(401);
  expect((await anonymous.post(`${served.origin}/api/app:status`, { data: {} })).status()).toBe(401);
  await anonymous.dispose();

  const status = await new Promise<number | string>((resolve) => {
    const socket = new WebSocket(`${served.origin.replace('http', 'ws')}/events`);
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('open', () => resolve('opened'));
    socket.once('error', (e) => resolve(e.message));
  });
  expect(status).toBe(401);
});

test('a malformed payload to every API entry names the field, and the server keeps serving', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  const results = await page.evaluate(async (samples) => {
    const out: { channel: string; status: number; field?: string }[] = [];
    for (const [channel, sample] of samples) {
      const res = await fetch(`/api/${channel}`, {
        method: 'POST',
        body: JSON.stringify({ ...sample, notAField: true }),
      });
      const body = (await res.json()) as { error?: { field?: string } };
      out.push({ channel, status: res.status, field: body.error?.field });
    }
    return out;
  }, Object.entries(sampleRequests));
  for (const result of results)
    expect(result, result.channel).toMatchObject({ status: 400, field: 'notAField' });
  await expect(page.getByTestId('status-sentence')).toContainText(/for rent/i);
  const ok = await page.evaluate(
    async () => (await fetch('/api/app:status', { method: 'POST', body: '{}' })).status,
  );
  expect(ok).toBe(200);
});
