import type { Page } from '@playwright/test';
import { dataPaths } from '../../src/main/data-dir/resolve-data-dir';
import { DEVNET_JOB_ESCROW_ADDRESS, DEVNET_TEST_USD_ADDRESS } from '../../src/main/devnet/devnet-addresses';
import {
  createLedgerRepository,
  type NewRental,
  type RentalKey,
} from '../../src/main/earnings/ledger-repository';
import { openDatabase } from '../../src/main/store/open-database';
import { expect, freshDataDir, seededTest, serveDataDir } from './serve-fixture';

/** The ledger's own code on the data directory's database (the ledger does not verify signatures). */
function openLedger(dataDir: string) {
  const { db } = openDatabase(dataPaths(dataDir).database);
  return { db, ledger: createLedgerRepository(db) };
}

const SIGNATURE = `0x${'11'.repeat(65)}`;
const TUSD = 1_000_000n; // tUSD has 6 decimals

const renters = {
  running: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  paused: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  settled: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
  failed: '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65',
} as const;
type Which = keyof typeof renters;

const jobIdOf = (which: Which) => `0x${(Object.keys(renters).indexOf(which) + 1).toString(16).repeat(64)}`;

function rentalOf(which: Which, pricePerSecond: bigint, deposit: bigint): NewRental {
  return {
    chainId: 31337,
    escrow: DEVNET_JOB_ESCROW_ADDRESS,
    escrowJobId: jobIdOf(which),
    networkId: 'devnet',
    token: DEVNET_TEST_USD_ADDRESS,
    renter: renters[which],
    provider: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    pricePerSecond,
    deposit,
    maxSeconds: 36_000,
    specHash: `0x${'cd'.repeat(32)}`,
  };
}

const keyOf = (which: Which): RentalKey => ({
  chainId: 31337,
  escrow: DEVNET_JOB_ESCROW_ADDRESS,
  escrowJobId: jobIdOf(which),
});

/**
 * Past rentals, in the ledger before the server starts: one paid out in full, one that failed before it
 * ran. Today's vouchers among them: 3 tUSD.
 */
function seedPastRentals(dataDir: string, now: number): void {
  const { db, ledger } = openLedger(dataDir);
  try {
    // Settled: ended, its last voucher redeemed in full. The newest rental of all.
    const settled = rentalOf('settled', 1000n, 20n * TUSD);
    ledger.open(settled, now - 30_000);
    ledger.setStatus(settled, 'running', now - 29_000);
    ledger.recordVoucher(settled, 2n * TUSD, SIGNATURE, now - 20_000);
    ledger.recordVoucher(settled, 3n * TUSD, SIGNATURE, now - 10_000);
    ledger.setSecondsRun(settled, 3000, now - 10_000);
    ledger.setStatus(settled, 'ended', now - 9_000);
    ledger.setRedeemed(settled, 3n * TUSD, now - 5_000);
    ledger.setStatus(settled, 'settled', now - 5_000);

    // Failed before it ran: nothing signed, nothing owed.
    const failed = rentalOf('failed', 500n, 10n * TUSD);
    ledger.open(failed, now - 240_000);
    ledger.setStatus(failed, 'failed', now - 230_000, 'The renter never sent the job’s files.');
  } finally {
    db.close();
  }
}

/**
 * Live rentals, written as the provider's sessions write them while the app runs (a live rental cannot
 * outlive a restart: at start-up the provider marks those a dead process left as failed). One running,
 * one paused because the renter's vouchers fell behind. Today's vouchers: 1.25 + 0.5 tUSD, all awaiting
 * payout; with the past ones, today is 4.75 tUSD.
 */
function seedLiveRentals(dataDir: string, now: number): void {
  const { db, ledger } = openLedger(dataDir);
  try {
    // Running: 500 units/s = 1.8 tUSD an hour, 2500 s billed so far.
    const running = rentalOf('running', 500n, 10n * TUSD);
    ledger.open(running, now - 60_000);
    ledger.setStatus(running, 'running', now - 59_000);
    ledger.recordVoucher(running, 1_250_000n, SIGNATURE, now - 2_000);
    ledger.setSecondsRun(running, 2500, now - 2_000);

    const paused = rentalOf('paused', 250n, 5n * TUSD);
    ledger.open(paused, now - 120_000);
    ledger.setStatus(paused, 'running', now - 119_000);
    ledger.recordVoucher(paused, 500_000n, SIGNATURE, now - 3_000);
    ledger.setSecondsRun(paused, 2000, now - 3_000);
    ledger.setStatus(
      paused,
      'paused',
      now - 3_000,
      'The renter’s vouchers fell behind: paused until one covers it.',
    );
  } finally {
    db.close();
  }
}

const test = seededTest(seedPastRentals, seedLiveRentals);

// No chain is needed: nothing seeded is due for settlement, so the devnet never starts; a free port anyway.
test.use({ serveEnv: { NOCTURNE_DEVNET_PORT: '0' } });

const rowOf = (page: Page, which: Which) =>
  page.getByTestId('rental-row').filter({ has: page.locator(`[title="${renters[which]}"]`) });

/** Starts the self-test through the API the page uses and returns its job id. */
async function startSelfTest(page: Page): Promise<string> {
  const envelope = await page.evaluate(async () => {
    const response = await fetch('/api/job:selfTest', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    return (await response.json()) as { ok: boolean; data?: { id: string } };
  });
  expect(envelope.ok).toBe(true);
  return envelope.data!.id;
}

test('the Dashboard shows today’s earnings and active rentals from the seeded ledger', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  const earnings = page.getByTestId('dashboard-earnings');
  await expect(earnings).toContainText('Today4.75 tUSD');
  await expect(earnings).toContainText('Awaiting payout1.75 tUSD');
  await expect(page.getByTestId('dashboard-rentals')).toHaveText('2 active, 4 in all');
  await page.screenshot({ path: 'test-results/screenshots/dashboard-earnings.png', fullPage: true });

  await expect(earnings).toContainText('net $4.75'); // in USD at the default rate, no electricity price set
  await earnings.getByRole('link', { name: 'All rentals' }).click();
  await expect(page).toHaveURL(/#\/jobs\/rentals$/);
  await expect(page.getByRole('heading', { name: 'Rentals', level: 2 })).toBeFocused();
});

test('the Jobs page lists rentals live first with their amounts, and shows a rental’s log', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  // Stand-in for the provider's session: the running rental's job is the self-test, linked in the ledger.
  const localJobId = await startSelfTest(page);
  const { db, ledger } = openLedger(served.dataDir);
  ledger.linkJob(keyOf('running'), localJobId, Date.now());
  db.close();

  await page.getByRole('link', { name: 'Jobs' }).click();
  const rentals = page.getByTestId('rentals');
  await expect(rentals.getByRole('heading', { name: 'Live now' })).toBeVisible();
  await expect(rentals.getByRole('heading', { name: 'Past rentals' })).toBeVisible();
  const live = rentals.getByRole('table', { name: 'Live now' });
  const past = rentals.getByRole('table', { name: 'Past rentals' });
  await expect(live.getByTestId('rental-row')).toHaveCount(2);
  await expect(past.getByTestId('rental-row')).toHaveCount(2);
  // Live first (running was created before the settled one, but is live), each group newest first.
  const statuses = await page
    .getByTestId('rental-row')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')));
  expect(statuses).toEqual(['running', 'paused', 'settled', 'failed']);

  const running = rowOf(page, 'running');
  await expect(running.getByTestId('rental-renter')).toHaveText('0x7099…79C8');
  await expect(running.getByRole('cell', { name: 'Local devnet' })).toBeVisible();
  await expect(running.getByTestId('rental-status')).toHaveText('Running');
  await expect(running.getByTestId('rental-price')).toHaveText('1.8 tUSD');
  await expect(running.getByTestId('rental-earned')).toHaveText('1.25 tUSD');
  await expect(running.getByTestId('rental-redeemed')).toHaveText('0.0 tUSD');
  await expect(running.getByRole('button', { name: 'Copy the address of renter 0x7099…79C8' })).toBeVisible();

  const paused = rowOf(page, 'paused');
  await expect(paused.getByTestId('rental-status')).toHaveText('Paused');
  await expect(paused.getByTestId('rental-reason')).toHaveText(
    'The renter’s vouchers fell behind: paused until one covers it.',
  );
  await expect(paused.getByTestId('rental-price')).toHaveText('0.9 tUSD');
  await expect(paused.getByTestId('rental-earned')).toHaveText('0.5 tUSD');

  const settled = rowOf(page, 'settled');
  await expect(settled.getByTestId('rental-status')).toHaveText('Settled');
  await expect(settled.getByTestId('rental-elapsed')).toHaveText('50 min 0 s');
  await expect(settled.getByTestId('rental-earned')).toHaveText('3.0 tUSD');
  await expect(settled.getByTestId('rental-redeemed')).toHaveText('3.0 tUSD');

  const failed = rowOf(page, 'failed');
  await expect(failed.getByTestId('rental-status')).toHaveText('Failed');
  await expect(failed.getByTestId('rental-reason')).toHaveText('The renter never sent the job’s files.');
  await expect(failed.getByTestId('rental-elapsed')).toHaveText('0 s');

  // The running rental's time ticks on locally; the paused one's holds.
  const elapsed = running.getByTestId('rental-elapsed');
  await expect(elapsed).toHaveText(/^41 min 4\d s$/);
  const before = await elapsed.textContent();
  await expect(elapsed).not.toHaveText(before!, { timeout: 3_000 });
  await expect(paused.getByTestId('rental-elapsed')).toHaveText('33 min 20 s');

  // Selecting it shows its escrow job id and the live log of its local job.
  const show = running.getByRole('button', { name: 'Show log' });
  await show.focus();
  await page.keyboard.press('Enter');
  await expect(show).toHaveAttribute('aria-pressed', 'true');
  const detail = page.getByTestId('rental-detail');
  await expect(detail.getByTestId('rental-escrow-job-id')).toHaveText(jobIdOf('running'));
  await expect(detail.getByRole('heading', { name: 'Log of the rental by 0x7099…79C8' })).toBeVisible();
  await expect(detail.getByTestId('job-log-text')).toContainText('Nocturne self-test, inside the sandbox');
  await expect(detail.getByTestId('job-log-text')).toContainText(/\d+ passed, 0 failed/, { timeout: 30_000 });
  // The terminal view draws it too (xterm's DOM renderer, which draws only while on screen).
  const terminal = detail.getByTestId('job-terminal');
  await terminal.scrollIntoViewIfNeeded();
  await expect(terminal.locator('.xterm-rows')).toContainText('0 failed');
  await page.screenshot({ path: 'test-results/screenshots/rentals.png', fullPage: true });

  // A rental whose job never started says so instead of showing a log.
  await failed.getByRole('button', { name: 'Show log' }).click();
  await expect(detail).toContainText('has not started on this machine yet');
  await expect(detail.getByTestId('rental-escrow-job-id')).toHaveText(jobIdOf('failed'));
});

test('with no rentals the page says how to take renters', async ({ browser }) => {
  const dataDir = freshDataDir();
  await serveDataDir(dataDir, { NOCTURNE_DEVNET_PORT: '0' }, async (served) => {
    const page = await browser.newPage();
    await page.goto(`${served.url}`);
    await page.getByRole('link', { name: 'Jobs' }).click();
    await expect(page.getByTestId('rentals-empty')).toHaveText(
      'No renter has rented this machine yet. Go online in Settings to take renters.',
    );
    await page.close();
  });
});
