import { expect, test } from './serve-fixture';

test('the self-test runs from the Jobs page and its log streams in live', async ({ page, served }) => {
  await page.goto(served.url);
  await page.getByRole('link', { name: 'Jobs' }).click();
  await expect(page.getByTestId('jobs-sandbox')).toContainText('Jobs run in: bubblewrap; limits by');

  await page.getByRole('button', { name: 'Run self-test' }).click();
  const row = page.getByTestId('job-row').first();
  await expect(row).toHaveAttribute('data-status', /queued|preparing|running|succeeded/);
  const log = page.getByTestId('job-log-text');
  // Lines arrive while the job runs (it prints three, 0.2 s apart), then the verdict.
  await expect(log).toContainText('Nocturne self-test, inside the sandbox as uid 1000');
  await expect(log).toContainText('PASS  cannot read /etc/shadow');
  await expect(log).toContainText('log line 3');
  await expect(log).toContainText(/\d+ passed, 0 failed/);
  await expect(row).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  await expect(page.getByTestId('job-terminal')).toBeVisible();
  // Once it ended, its verdict in words above the log.
  const report = page.getByTestId('self-test-report');
  await expect(report).toHaveAttribute('data-state', 'passed');
  await expect(report).toContainText('Runs as an unprivileged user.');
  await page.screenshot({ path: 'test-results/screenshots/jobs.png', fullPage: true });
});
