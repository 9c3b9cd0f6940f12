import { expect, fakeGpuServeEnv, test } from './serve-fixture';

// The served app sees one recorded RTX 3090 through the fake nvidia-smi, whose temperature cycles so the
// page has live telemetry to show and the thermal guard has something to act on.
test.use({
  serveEnv: {
    ...fakeGpuServeEnv({ FAKE_NVIDIA_SMI_TEMPS: '60,66,72' }),
    CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    NOCTURNE_BENCH_QUICK: '1',
  },
});

test('the GPUs page shows the card with live telemetry, and a limit takes effect at once', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  await expect(page.getByTestId('dashboard-gpus')).toContainText('NVIDIA GeForce RTX 3090');
  await page.getByRole('link', { name: 'GPUs' }).click();
  const card = page.getByTestId('gpu-card');
  await expect(card).toHaveCount(1);
  await expect(card.getByRole('heading', { name: 'NVIDIA GeForce RTX 3090' })).toBeVisible();

  // Live: the temperature changes between samples without a reload.
  const temperature = card.getByTestId('gpu-temperature');
  await expect(temperature).toContainText(/\d/);
  const first = await temperature.textContent();
  await expect(temperature).not.toHaveText(first ?? '', { timeout: 30_000 });

  // Lower the limit below the readings: the guard pauses (power cannot be capped without rights).
  await card.getByLabel('Temperature limit').fill('55');
  await card.getByRole('button', { name: 'Apply limits' }).click();
  await expect(card.getByRole('status').filter({ hasText: 'Limits applied' })).toBeVisible();
  await expect(card.getByTestId('gpu-guard')).toContainText(/Paused: \d+ C, limit 55 C/, { timeout: 30_000 });
  // The headless UI says so as a notification too (the desktop app uses the OS's).
  await expect(page.getByTestId('toast').filter({ hasText: 'Paused for heat' })).toContainText(
    'NVIDIA GeForce RTX 3090 is too hot',
  );

  // A limit out of range is refused, naming the field.
  await card.getByLabel('Temperature limit').fill('120');
  await card.getByRole('button', { name: 'Apply limits' }).click();
  await expect(card.getByText('must be at most 95 C').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/gpus.png', fullPage: true });
});

test('the benchmark button runs the WebGPU benchmark and shows its figures beside the peak', async ({
  page,
  served,
}) => {
  test.setTimeout(120_000);
  await page.goto(served.url);
  await page.getByRole('link', { name: 'GPUs' }).click();
  const bench = page.getByTestId('gpu-card').getByTestId('gpu-benchmark');
  await expect(bench).toContainText('Not benchmarked yet');
  await bench.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(bench.getByRole('button', { name: 'Run benchmark' })).toBeDisabled();
  await expect(bench.getByTestId('bench-gflops')).toBeVisible({ timeout: 90_000 });
  expect(Number(await bench.getByTestId('bench-gflops').getAttribute('value'))).toBeGreaterThan(0);
  expect(Number(await bench.getByTestId('bench-bandwidth').getAttribute('value'))).toBeGreaterThan(0);
  // Here WebGPU is SwiftShader: the page must say the figures are not the card's.
  await expect(bench).toContainText('software adapter');
  await expect(bench).toContainText('NVIDIA GeForce RTX 3090 spec sheet');
  await page.reload();
  await expect(page.getByTestId('gpu-benchmark').getByTestId('bench-gflops')).toBeVisible();
  await page.getByTestId('gpu-benchmark').screenshot({ path: 'test-results/screenshots/gpu-benchmark.png' });
});
