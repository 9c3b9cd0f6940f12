// npm run bench:earnings: what the earnings views cost on a busy provider's ledger. A renter signs a voucher
// every 2 s while a job runs (PROVIDER_STATUS_MS), 43,200 a day of renting. Prints
//  1. the voucher path: vouchers stored per second and µs each (each also adds to its quarter-hour sum);
//  2. the overview (today, 7 and 30 days, all time, the 30-day chart) over 30 days of back-to-back rentals;
//  3. the market:rentals view of the newest 200 rentals.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEarnings } from '../src/main/earnings/create-earnings';
import { createLedgerRepository, type NewRental } from '../src/main/earnings/ledger-repository';
import { openDatabase } from '../src/main/store/open-database';
import { DEFAULT_SETTINGS } from '../src/shared/schemas/settings';
import { sampleDevnet, TEST_TOKEN } from '../test/fakes/rental-view';

const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const JOB_HOURS = 4;
const VOUCHER_MS = 2_000;
const DAY = 86_400_000;

const dir = mkdtempSync(join(tmpdir(), 'nocturne-bench-earnings-'));
const { db } = openDatabase(join(dir, 'nocturne.sqlite'));
const ledger = createLedgerRepository(db);
const token = TEST_TOKEN;
const network = sampleDevnet();
const now = Date.now();
const start = now - DAYS * DAY;
const events = new Map<string, { at: string; status: string }[]>();

let vouchers = 0;
let rentals = 0;
/** The first rental's vouchers are timed one commit each, as the provider stores them; the rest are bulk-loaded. */
let timedMs = 0;
let timed = 0;
for (let jobStart = start; jobStart + JOB_HOURS * 3_600_000 < now; jobStart += JOB_HOURS * 3_600_000) {
  const id = (++rentals).toString(16).padStart(64, '0');
  const rental: NewRental = {
    chainId: 31337,
    escrow: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512',
    escrowJobId: `0x${id}`,
    networkId: 'devnet',
    token,
    renter: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    provider: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
    pricePerSecond: 100n,
    deposit: 10n ** 12n,
    maxSeconds: JOB_HOURS * 3600,
    specHash: `0x${'cd'.repeat(32)}`,
  };
  const end = jobStart + JOB_HOURS * 3_600_000 - 1000;
  ledger.open(rental, jobStart);
  ledger.linkJob(rental, `job-${rentals}`, jobStart);
  ledger.setStatus(rental, 'running', jobStart);
  const sign = (at: number) => {
    ledger.recordVoucher(rental, BigInt(Math.floor((at - jobStart) / 1000)) * 100n, '0xsig', at);
    vouchers++;
  };
  if (rentals === 1) {
    const t0 = process.hrtime.bigint();
    for (let at = jobStart + VOUCHER_MS; at < end; at += VOUCHER_MS, timed++) sign(at);
    timedMs = Number(process.hrtime.bigint() - t0) / 1e6;
  } else {
    db.transaction(() => {
      for (let at = jobStart + VOUCHER_MS; at < end; at += VOUCHER_MS) sign(at);
    })();
  }
  ledger.setStatus(rental, 'settled', end);
  events.set(`job-${rentals}`, [
    { at: new Date(jobStart).toISOString(), status: 'running' },
    { at: new Date(end).toISOString(), status: 'succeeded' },
  ]);
}

const earnings = createEarnings({
  db,
  ledger,
  jobEvents: (id) => events.get(id) ?? [],
  power: () => ({ gpuId: null, assumed: { watts: 300, source: 'setting' } }),
  readings: () => [],
  settings: () => ({ ...DEFAULT_SETTINGS, electricityPerKWh: 0.3 }),
  zone: () => 'Europe/Berlin',
  networks: () => [network],
  rpc: () => Promise.reject(new Error('no RPC')),
  clock: { now: () => new Date(now) },
  logger: { info() {}, warn() {}, error() {} },
  onBooked() {},
});
const b0 = process.hrtime.bigint();
await earnings.money.bookEnded();
const bookMs = Number(process.hrtime.bigint() - b0) / 1e6;

const time = async (fn: () => unknown, runs: number) => {
  await fn(); // warm statements and caches
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
};
const overviewMs = await time(() => earnings.overview(), 20);
const rentalsMs = await time(() => ledger.list(200).map(earnings.view), 20);
const quarters = (db.prepare('SELECT count(*) AS n FROM earnings_quarters').get() as { n: number }).n;

console.log(`bench:earnings — ${DAYS} days of back-to-back ${JOB_HOURS} h rentals, a voucher every 2 s`);
console.table({
  'vouchers stored': { value: vouchers.toLocaleString('en') },
  rentals: { value: rentals.toLocaleString('en') },
  'quarter-hour sums': { value: quarters.toLocaleString('en') },
  'µs per voucher, own commit (ledger + quarter sum)': { value: ((timedMs * 1000) / timed).toFixed(1) },
  'booking every rental (ms)': { value: bookMs.toFixed(1) },
  'earnings:overview, median (ms)': { value: overviewMs.toFixed(1) },
  'market:rentals 200, median (ms)': { value: rentalsMs.toFixed(1) },
});
db.close();
rmSync(dir, { recursive: true, force: true });
