import type { Page } from '@playwright/test';
import { dataPaths } from '../../src/main/data-dir/resolve-data-dir';
import { createSettingsRepository } from '../../src/main/settings/settings-repository';
import { openDatabase } from '../../src/main/store/open-database';
import { expect, fakeGpuServeEnv, freshDataDir, serveDataDir, test as base } from './serve-fixture';

// The first run, end to end in headless mode on a fresh data directory: the app opens on the setup, which
// finds the (recorded) GPU, benchmarks it in headless Chromium, saves a schedule preset and a temperature
// limit, creates a wallet and confirms its backup, passes the self-test in the real sandbox, and goes
// online. Nothing goes online before the last step.

const test = base.extend({
  served: async ({ serveEnv }, use) => {
    const dataDir = freshDataDir({ setupDone: false });
    // Not part of the setup: a free peer-to-peer port, so the test never clashes with another node.
    const { db } = openDatabase(dataPaths(dataDir).database);
    createSettingsRepository(db).writeMany([['p2pPort', 0]], new Date());
    db.close();
    await serveDataDir(dataDir, serveEnv, use);
  },
});
test.describe.configure({ timeout: 240_000 });
test.use({
  serveEnv: {
    ...fakeGpuServeEnv(),
    CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    NOCTURNE_BENCH_QUICK: '1',
    NOCTURNE_DEVNET_PORT: '0',
    NOCTURNE_P2P_LOOPBACK: '1',
  },
});

/** One contract call from the page, as the UI makes it (the page holds the session cookie). */
const call = (page: Page, channel: string, body: unknown = {}) =>
  page.evaluate(
    async ([c, b]) => {
      const response = await fetch(`/api/${c as string}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(b),
      });
      return (await response.json()) as { ok: boolean; data: Record<string, unknown> };
    },
    [channel, body] as const,
  );

const next = (page: Page, title: string) => page.getByRole('link', { name: `Next: ${title}` }).click();

test('a fresh install walks the whole setup and ends online with a passed self-test', async ({
  page,
  served,
}) => {
  const password = 'Nocturne setup pass-5521!';
  await page.goto(served.url);
  await expect(page).toHaveURL(/#\/setup$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Set up Nocturne' })).toBeVisible();
  const step = (id: string) => page.getByTestId(`setup-step-${id}`);

  // 1. The GPU, as the recorded nvidia-smi reports it.
  await expect(step('gpu')).toContainText('NVIDIA GeForce RTX 3090');
  await next(page, 'Measure it');

  // 2. The benchmark, in headless Chromium on this machine.
  await expect(page.getByRole('heading', { name: 'Step 2 of 6: Measure it' })).toBeFocused();
  await step('benchmark').getByRole('button', { name: 'Run benchmark' }).click();
  await expect(step('benchmark')).toContainText(/GFLOP\/s/, { timeout: 120_000 });
  await next(page, 'When, and how hot');

  // 3. Every hour, and a temperature limit of 80 °C.
  await step('schedule').getByLabel('Always').check();
  await step('schedule').getByLabel('Highest temperature to allow, °C').fill('80');
  await step('schedule').getByRole('button', { name: 'Save' }).click();
  await expect(step('schedule').getByRole('status')).toHaveText('Saved.');
  await next(page, 'Your wallet');

  // 4. A new wallet, its recovery phrase confirmed.
  const create = page.getByRole('form', { name: 'Create a new wallet' });
  await create.getByLabel('Password', { exact: true }).fill(password);
  await create.getByLabel('Repeat password', { exact: true }).fill(password);
  await create.getByRole('button', { name: 'Create wallet' }).click();
  const list = page.getByRole('list', { name: 'Recovery phrase' });
  await expect(list.getByRole('listitem')).toHaveCount(12, { timeout: 30_000 });
  const words = (await list.getByRole('listitem').allTextContents()).map((w) => w.trim());
  await page.getByRole('button', { name: 'I have written them down' }).click();
  const quiz = page.getByRole('form', { name: 'Check your recovery phrase' });
  const labels = quiz.locator('label').filter({ hasText: /^Word #\d+$/ });
  await expect(labels).toHaveCount(3);
  for (const text of await labels.allTextContents()) {
    const n = Number(/\d+/.exec(text)![0]);
    await quiz.getByLabel(`Word #${n}`, { exact: true }).fill(words[n - 1]!);
  }
  await quiz.getByRole('button', { name: 'Confirm backup' }).click();
  await expect(page.getByTestId('setup-wallet')).toContainText(/Your wallet is ready: 0x[0-9a-fA-F]{40}/);

  // Nothing has gone online so far: no node, no offer.
  const before = await call(page, 'market:status');
  expect(before.data.state).toBe('offline');
  await next(page, 'Check the sandbox');

  // 5. The self-test, a real job in the real sandbox, passes; each check is said in words.
  await step('self-test').getByRole('button', { name: 'Run the self-test' }).click();
  const report = page.getByTestId('self-test-report');
  await expect(report).toHaveAttribute('data-state', 'passed', { timeout: 60_000 });
  await expect(report).toContainText('Cannot read /etc/shadow.');
  await expect(report).toContainText('Its log reached Nocturne, line by line.');
  await expect(report).toContainText(/^All \d+ checks passed/);
  await next(page, 'Go online');

  // 6. Online.
  await expect(step('online')).toContainText('mon-sun 00:00-24:00');
  await step('online').getByRole('button', { name: 'Go online' }).click();
  await expect(page.getByTestId('setup-node')).toHaveAttribute('data-state', 'online', { timeout: 30_000 });

  // What the setup saved, as main holds it; the next visit opens on the Dashboard.
  const settings = await call(page, 'settings:get');
  expect(settings.data).toMatchObject({ setupDone: true, providerOnline: true });
  const gpus = (await call(page, 'gpu:list')).data.gpus as { limits: { temperatureLimitC: number } }[];
  expect(gpus.map((g) => g.limits.temperatureLimitC)).toEqual([80]);
  const wallet = await call(page, 'wallet:status');
  expect(wallet.data).toMatchObject({
    exists: true,
    locked: false,
    backupConfirmed: true,
    autoLockPaused: true,
  });
  await page.goto(served.url.replace(/\?token=.*$/, ''));
  await expect(page.getByTestId('dashboard-market')).toContainText('Online: renters can reach this machine');
});
