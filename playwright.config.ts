import { defineConfig } from '@playwright/test';

/**
 * Two projects: the headless UI in Debian's Chromium (runs everywhere, CI included), and the desktop app
 * through Electron (runs where Electron's binary exists; reports itself skipped elsewhere).
 * Never `npx playwright install`: the browser is /usr/bin/chromium or CHROMIUM_PATH.
 */
export default defineConfig({
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results/artifacts',
  use: { trace: 'retain-on-failure' },
  projects: [
    {
      name: 'headless',
      testDir: 'test/e2e',
      use: {
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
    { name: 'electron', testDir: 'test/e2e-electron' },
  ],
});
