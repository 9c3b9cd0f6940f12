import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { dataPaths } from '../../src/main/data-dir/resolve-data-dir';
import { DEVNET_JOB_ESCROW_ADDRESS, DEVNET_TEST_USD_ADDRESS } from '../../src/main/devnet/devnet-addresses';
import { createAvailabilityRepository } from '../../src/main/availability/availability-repository';
import { createLedgerRepository, type NewRental } from '../../src/main/earnings/ledger-repository';
import { createSettingsRepository } from '../../src/main/settings/settings-repository';
import { openDatabase } from '../../src/main/store/open-database';
import { expect, seededTest } from './serve-fixture';

// The Earnings page over a ledger written before the server starts: rentals over several days, each with
// the job history the energy is booked from (the server books them at its start), one renter that stopped
// paying, the owner's currency, rate and a flat electricity price. No chain: nothing is due for settlement.

const SIGNATURE = `0x${'11'.repeat(65)}`;
const TUSD = 1_000_000n;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function rental(n: number, renter: string): NewRental {
  return {
    chainId: 31337,
    escrow: DEVNET_JOB_ESCROW_ADDRESS,
    escrowJobId: `0x${n.toString(16).padStart(64, '0')}`,
    networkId: 'devnet',
    token: DEVNET_TEST_USD_ADDRESS,
    renter,
    provider: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    pricePerSecond: 1000n,
    deposit: 100n * TUSD,
    maxSeconds: 36_000,
    specHash: `0x${'cd'.repeat(32)}`,
  };
}

/** A finished rental: its job ran `hours` from `start`, the renter signed `paid` tUSD. */
function seed(dataDir: string, now: number): void {
  const { db } = openDatabase(dataPaths(dataDir).database);
  try {
    createSettingsRepository(db).writeMany(
      [
        ['currency', 'EUR'],
        ['tokenValue', 0.5],
        ['electricityPerKWh', 0.25],
        ['gpuPowerW', 400],
      ],
      new Date(now),
    );
    // The owner's zone (the schedule's) is one where it is about noon now, so "today" holds every rental
    // seeded within hours of now, whenever the test runs. Etc/GMT-N is UTC+N.
    const offset = 12 - new Date(now).getUTCHours();
    const zone = offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    createAvailabilityRepository(db).saveSchedule({ timezone: zone, slots: '0'.repeat(672) }, new Date(now));
    const ledger = createLedgerRepository(db);
    const job = db.prepare(
      `INSERT INTO jobs (id, name, spec_json, status, workspace, output_dir, log_path, created_at)
       VALUES (?, 'rental', '{}', 'succeeded', '/nonexistent', '/nonexistent', '/nonexistent', ?)`,
    );
    const event = db.prepare('INSERT INTO job_events (job_id, at, status) VALUES (?, ?, ?)');
    const finished = (n: number, start: number, hours: number, paid: bigint) => {
      const r = rental(n, '0x90F79bf6EB2c4f870365E785982E1f101E93b906');
      const end = start + hours * HOUR;
      const iso = (ms: number) => new Date(ms).toISOString();
      job.run(`job-${n}`, iso(start));
      event.run(`job-${n}`, iso(start), 'running');
      event.run(`job-${n}`, iso(end), 'succeeded');
      ledger.open(r, start - 60_000);
      ledger.linkJob(r, `job-${n}`, start);
      ledger.setStatus(r, 'running', start);
      ledger.recordVoucher(r, paid, SIGNATURE, end - 1000);
      ledger.setSecondsRun(r, hours * 3600, end);
      ledger.setStatus(r, 'ended', end);
    };
    finished(1, now - 2 * HOUR, 1, 4n * TUSD); // today: 4 tUSD = 2 EUR, 0.4 kWh = 0.10 EUR
    finished(2, now - 3 * DAY, 2, 6n * TUSD); // 3 days ago
    finished(3, now - 20 * DAY, 1, 10n * TUSD); // 20 days ago
  } finally {
    db.close();
  }
}

/**
 * A live rental whose renter stopped paying a minute ago, written while the server runs, as its session
 * would (a start marks live rentals a dead process left as failed).
 */
function seedStalled(dataDir: string, now: number): void {
  const { db } = openDatabase(dataPaths(dataDir).database);
  try {
    const ledger = createLedgerRepository(db);
    const stalled = rental(4, '0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
    ledger.open(stalled, now - 10 * 60_000);
    ledger.setStatus(stalled, 'running', now - 9 * 60_000);
    ledger.recordVoucher(stalled, 1n * TUSD, SIGNATURE, now - 2 * 60_000);
    ledger.setStalled(stalled, now - 60_000, now - 60_000);
    ledger.setStatus(stalled, 'paused', now - 60_000, 'The renter’s vouchers fell behind.');
  } finally {
    db.close();
  }
}

const test = seededTest(seed, seedStalled);
test.use({ serveEnv: { NOCTURNE_DEVNET_PORT: '0' } });

const period = (page: Page, id: string) => page.getByTestId(`earnings-period-${id}`);

test('the Earnings page shows periods, the chart, a stalled renter and the jobs, and exports CSV', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  await page.getByRole('link', { name: 'Earnings', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Earnings' })).toBeVisible();

  // The stalled renter, said in words at the top.
  await expect(page.getByTestId('earnings-alerts')).toContainText('Renter 0x7099…79C8 stopped paying');

  // Today: 4 tUSD (+1 from the stalled one) at 0.50 EUR; 0.4 kWh at 0.25 EUR, plus the live estimate.
  await expect(period(page, 'today')).toContainText('5.0 tUSD on Local devnet');
  await expect(period(page, 'today')).toContainText('€2.50');
  await expect(period(page, 'week')).toContainText('11.0 tUSD');
  await expect(period(page, 'month')).toContainText('21.0 tUSD');
  await expect(period(page, 'all')).toContainText('21.0 tUSD');

  // The chart: today's bar pair and the day three days ago, with their figures.
  const bars = page.getByTestId('earnings-day');
  await expect(bars).toHaveCount(30);
  const today = bars.last();
  expect(Number(await today.getAttribute('data-earned'))).toBeCloseTo(2.5, 6);
  expect(Number(await today.getAttribute('data-cost'))).toBeCloseTo(0.1, 6);
  const earnedByDay = await bars.evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-earned'))));
  expect(earnedByDay.filter((v) => v > 0)).toHaveLength(3);
  await expect(page.getByRole('img', { name: /Earned €10\.50 against/ })).toBeVisible();

  // The rate and the zone the figures use.
  await expect(page.getByTestId('earnings-rate')).toContainText('1 tUSD on Local devnet = €0.50');

  // Per job: the booked electricity (measured nothing here: the owner's 400 W setting) and net.
  const jobs = page.getByTestId('earnings-job');
  await expect(jobs).toHaveCount(4);
  await expect(jobs.filter({ hasText: '2 h 0 min' })).toContainText('€0.20');
  await expect(jobs.filter({ hasText: '2 h 0 min' })).toContainText('Awaiting redemption');
  await expect(page.locator('[data-payment="signed"]')).toContainText('Renter stopped paying');

  // A range that ends before it starts is refused, naming the field.
  await page.getByLabel('From (ended on or after)').fill('2030-01-02');
  await page.getByLabel('To (ended on or before)').fill('2030-01-01');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  await expect(page.getByTestId('earnings-export-status')).toContainText(
    'ends (2030-01-01) before it starts',
  );
  await expect(page.getByLabel('To (ended on or before)')).toHaveAttribute('aria-invalid', 'true');

  // The whole history as CSV: three finished rentals, with the rate used.
  await page.getByLabel('From (ended on or after)').fill('');
  await page.getByLabel('To (ended on or before)').fill('');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^nocturne-earnings-start-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await file.path())!, 'utf8').split('\r\n');
  expect(csv[0]).toContain('rate,rate_source,gross,energy_kwh');
  expect(csv.filter((line) => line.includes(',EUR,0.50000000,owner,'))).toHaveLength(3);
  await expect(page.getByTestId('earnings-export-status')).toContainText('Saved 3 rentals');
});
