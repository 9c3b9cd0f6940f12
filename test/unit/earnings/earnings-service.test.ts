import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEarnings } from '../../../src/main/earnings/create-earnings';
import { createLedgerRepository, type NewRental } from '../../../src/main/earnings/ledger-repository';
import type { StateChange } from '../../../src/main/earnings/running-intervals';
import { openDatabase } from '../../../src/main/store/open-database';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/schemas/settings';
import type { Network } from '../../../src/shared/schemas/network';
import { createFakeClock } from '../../fakes/fake-clock';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';
import { sampleDevnet } from '../../fakes/rental-view';

const tempDir = useTempDirs();
const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const MIN = 60_000;
const BY_HOUR = Array.from({ length: 24 }, (_, h) => h / 100); // 0.00 .. 0.23 per kWh by local hour

const devnet = sampleDevnet({ token: { address: TOKEN, symbol: 'tUSD', decimals: 6 } });
const sepolia: Network = {
  ...devnet,
  id: 'sepolia',
  name: 'Sepolia',
  chainId: 11155111,
  explorerUrl: 'https://sepolia.example/',
  builtin: false,
  selected: false,
};

function rental(id: string, patch: Partial<NewRental> = {}): NewRental {
  return {
    chainId: 31337,
    escrow: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
    escrowJobId: `0x${id.padStart(64, '0')}`,
    networkId: 'devnet',
    token: TOKEN,
    renter: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    provider: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
    pricePerSecond: 1000n,
    deposit: 100_000_000n,
    maxSeconds: 36_000,
    specHash: `0x${'cd'.repeat(32)}`,
    ...patch,
  };
}

/** The earnings domain over a real SQLite ledger, with the clock, the job history and telemetry faked. */
function setup(options: { settings?: Partial<Settings>; zone?: string; networks?: Network[] } = {}) {
  const { db } = openDatabase(join(tempDir(), 'db.sqlite'));
  const ledger = createLedgerRepository(db);
  const clock = createFakeClock('2026-12-06T12:00:00.000Z');
  const logger = createMemoryLogger();
  const jobs = new Map<string, StateChange[]>();
  const power = new Map<number, number>(); // telemetry: the power read within [from, to) spans, keyed by from
  let settings: Settings = { ...DEFAULT_SETTINGS, currency: 'EUR', tokenValue: 0.9, ...options.settings };
  const booked: string[] = [];
  const earnings = createEarnings({
    db,
    ledger,
    jobEvents: (id) => jobs.get(id) ?? [],
    power: () => ({ gpuId: 'gpu-0', assumed: { watts: 200, source: 'setting' } }),
    readings: (_gpu, from) => (power.has(from) ? [{ powerW: power.get(from)! }, { powerW: null }] : []),
    settings: () => settings,
    zone: () => options.zone ?? 'Europe/Berlin',
    networks: () => options.networks ?? [devnet],
    rpc: () => Promise.reject(new Error('no RPC in this test')),
    clock,
    logger,
    onBooked: (r) => booked.push(r.escrowJobId),
  });
  const at = (iso: string) => Date.parse(iso);
  /** A rental that ran over `spans` (ISO pairs), was paid `signed` at its end, and ended with `status`. */
  function ran(
    id: string,
    spans: [string, string][],
    signed: bigint,
    status: 'ended' | 'settled' | 'running' | 'paused' = 'ended',
    extra: Partial<NewRental> = {},
  ) {
    const r = rental(id, extra);
    ledger.open(r, at(spans[0]![0]) - MIN);
    ledger.linkJob(r, `job-${id}`, at(spans[0]![0]));
    ledger.setStatus(r, 'running', at(spans[0]![0]));
    const events: StateChange[] = [];
    for (const [from, to] of spans)
      events.push({ at: from, status: 'running' }, { at: to, status: 'paused' });
    const last = spans.at(-1)![1];
    if (status === 'running') events.pop();
    else if (status !== 'paused') events.push({ at: last, status: 'succeeded' });
    jobs.set(`job-${id}`, events);
    if (signed > 0n) ledger.recordVoucher(r, signed, '0xsig', at(last) - 1000);
    if (status !== 'running') ledger.setStatus(r, status, at(last));
    return r;
  }
  return {
    db,
    ledger,
    clock,
    logger,
    earnings,
    power,
    booked,
    ran,
    at,
    setSettings: (patch: Partial<Settings>) => (settings = { ...settings, ...patch }),
  };
}

describe('booking a rental’s energy', () => {
  it('prices each running span at its measured power (assumed where none) and local hour, once', async () => {
    const t = setup({ settings: { electricityPerKWh: BY_HOUR } });
    // Berlin is UTC+1: 09:00-09:30 UTC runs in local hour 10, 09:40-10:00 in local hour 10 too,
    // and the measured span draws 300 W; the other, with no readings, the assumed 200 W.
    const r = t.ran(
      '1',
      [
        ['2026-12-06T09:00:00.000Z', '2026-12-06T09:30:00.000Z'],
        ['2026-12-06T09:40:00.000Z', '2026-12-06T10:10:00.000Z'],
      ],
      3_600_000n,
    );
    t.power.set(t.at('2026-12-06T09:00:00.000Z'), 300);
    await t.earnings.money.bookEnded();
    const book = t.ledger.get(r)!.book!;
    const kwh = 0.3 * 0.5 + 0.2 * 0.5;
    expect(book.energyKWh).toBeCloseTo(kwh, 9);
    // 0.15 kWh + 0.2 x 20 min in hour 10 (0.10/kWh), 0.2 x 10 min in hour 11 (0.11/kWh).
    expect(book.energyCost).toBeCloseTo(0.15 * 0.1 + 0.2 * (20 / 60) * 0.1 + 0.2 * (10 / 60) * 0.11, 9);
    expect(book).toMatchObject({
      powerSource: 'setting',
      currency: 'EUR',
      fiatRate: 0.9,
      rateSource: 'owner',
    });
    expect(book.powerW).toBeCloseTo(250, 9);
    expect(t.booked).toEqual([r.escrowJobId.toLowerCase()]);

    // A second booking changes nothing, even after the tariff changed.
    t.setSettings({ electricityPerKWh: 5 });
    await t.earnings.money.bookEnded();
    t.earnings.money.changed(t.ledger.get(r)!);
    expect(t.ledger.get(r)!.book).toEqual(book);
    expect(t.booked).toHaveLength(1);

    // Its view: 3.6 tUSD signed at 0.9 EUR, less the booked electricity.
    const view = t.earnings.view(t.ledger.get(r)!);
    expect(view.money).toMatchObject({ booked: true, currency: 'EUR', energyKWh: book.energyKWh });
    expect(view.money.gross).toBeCloseTo(3.24, 9);
    expect(view.money.net).toBeCloseTo(3.24 - book.energyCost, 9);
    expect(view.payment).toBe('pending');
    t.db.close();
  });

  it('calls a rental measured only when every span was, and books one that never ran as nothing', async () => {
    const t = setup({ settings: { electricityPerKWh: 0.3 } });
    const measured = t.ran('2', [['2026-12-06T08:00:00.000Z', '2026-12-06T09:00:00.000Z']], 1000n);
    t.power.set(t.at('2026-12-06T08:00:00.000Z'), 400);
    const never = rental('3');
    t.ledger.open(never, t.at('2026-12-06T08:00:00.000Z'));
    t.ledger.setStatus(never, 'failed', t.at('2026-12-06T08:01:00.000Z'), 'refused');
    await t.earnings.money.bookEnded();
    expect(t.ledger.get(measured)!.book).toMatchObject({ powerSource: 'measured', powerW: 400 });
    expect(t.ledger.get(measured)!.book!.energyCost).toBeCloseTo(0.4 * 0.3, 9);
    expect(t.ledger.get(never)!.book).toMatchObject({ energyKWh: 0, energyCost: 0, powerW: 0 });
    t.db.close();
  });

  it('estimates a live rental from its running time so far, without booking it', async () => {
    const t = setup({ settings: { electricityPerKWh: 0.3 } });
    const live = t.ran('4', [['2026-12-06T11:00:00.000Z', '2026-12-06T11:30:00.000Z']], 500_000n, 'running');
    await t.earnings.money.bookEnded();
    const view = t.earnings.view(t.ledger.get(live)!);
    expect(t.ledger.get(live)!.book).toBeNull();
    // Running since 11:00 UTC, now 12:00: one hour at the assumed 200 W.
    expect(view.money).toMatchObject({ booked: false, powerW: 200, powerSource: 'setting' });
    expect(view.money.energyKWh).toBeCloseTo(0.2, 9);
    expect(view.payment).toBe('signed');
    t.db.close();
  });
});

describe('the earnings overview', () => {
  it('sums today, 7 and 30 days and all time per network and token, with the chart and net', async () => {
    const t = setup({ settings: { electricityPerKWh: 0.3 }, networks: [devnet, sepolia] });
    t.ran('a', [['2026-12-06T08:00:00.000Z', '2026-12-06T09:00:00.000Z']], 2_000_000n); // today, 2 tUSD
    t.ran('b', [['2026-12-03T08:00:00.000Z', '2026-12-03T09:00:00.000Z']], 1_000_000n); // 3 days ago
    t.ran('c', [['2026-11-20T08:00:00.000Z', '2026-11-20T09:00:00.000Z']], 4_000_000n); // 16 days ago
    t.ran('d', [['2026-09-01T08:00:00.000Z', '2026-09-01T09:00:00.000Z']], 8_000_000n); // months ago
    t.ran('e', [['2026-12-06T10:00:00.000Z', '2026-12-06T10:30:00.000Z']], 500_000n, 'settled', {
      networkId: 'sepolia',
      chainId: 11155111,
    });
    await t.earnings.money.bookEnded();
    const o = await t.earnings.overview();
    expect(o.currency).toBe('EUR');
    expect(o.timezone).toBe('Europe/Berlin');
    const period = (id: string) => o.periods.find((p) => p.id === id)!;
    const tokens = (id: string) =>
      period(id).earned.map((e) => `${e.networkName}: ${e.amount.formatted} ${e.amount.symbol}`);
    expect(tokens('today')).toEqual(['Local devnet: 2.0 tUSD', 'Sepolia: 0.5 tUSD']);
    expect(tokens('week')).toEqual(['Local devnet: 3.0 tUSD', 'Sepolia: 0.5 tUSD']);
    expect(tokens('month')).toEqual(['Local devnet: 7.0 tUSD', 'Sepolia: 0.5 tUSD']);
    expect(tokens('all')).toEqual(['Local devnet: 15.0 tUSD', 'Sepolia: 0.5 tUSD']);
    // 0.9 EUR a token; 200 W for an hour (half an hour for e) at 0.30 EUR per kWh.
    expect(period('today').gross).toBeCloseTo(2.5 * 0.9, 9);
    expect(period('today').energyCost).toBeCloseTo(0.06 + 0.03, 9);
    expect(period('today').net).toBeCloseTo(2.25 - 0.09, 9);
    expect(period('week').energyKWh).toBeCloseTo(0.5, 9);
    expect(period('all').gross).toBeCloseTo(15.5 * 0.9, 9);
    expect(period('all').energyCost).toBeCloseTo(4 * 0.06 + 0.03, 9);
    expect(period('today').from).toBe('2026-12-05T23:00:00.000Z'); // Berlin midnight
    // The chart: 30 local days, today last, with its earnings against its electricity.
    expect(o.days).toHaveLength(30);
    expect(o.days.at(-1)).toMatchObject({ date: '2026-12-06' });
    expect(o.days.at(-1)!.earned).toBeCloseTo(2.25, 9);
    expect(o.days.at(-1)!.energyCost).toBeCloseTo(0.09, 9);
    expect(o.days.find((d) => d.date === '2026-12-03')!.earned).toBeCloseTo(0.9, 9);
    expect(o.days.reduce((s, d) => s + d.earned, 0)).toBeCloseTo(7.5 * 0.9, 9);
    // Everything but e awaits payout (e is settled... with nothing redeemed in this ledger: pending too).
    expect(o.pending.map((p) => p.formatted)).toEqual(['15.5']);
    expect(o.rentals).toEqual({ active: 0, total: 5 });
    expect(o.rates.map((r) => [r.networkName, r.rate, r.source])).toEqual([
      ['Local devnet', 0.9, 'owner'],
      ['Sepolia', 0.9, 'owner'],
    ]);
    expect(o.notes).toEqual([]);
    t.db.close();
  });

  it('alerts on a renter who stopped paying, and says what it leaves out', async () => {
    const t = setup();
    const live = t.ran('f', [['2026-12-06T11:00:00.000Z', '2026-12-06T11:50:00.000Z']], 700_000n, 'paused');
    t.ledger.setStalled(live, t.at('2026-12-06T11:50:00.000Z'), t.at('2026-12-06T11:50:00.000Z'));
    // Booked in USD before the owner switched to EUR.
    t.setSettings({ currency: 'USD' });
    t.ran('g', [['2026-12-06T06:00:00.000Z', '2026-12-06T07:00:00.000Z']], 1_000_000n);
    await t.earnings.money.bookEnded();
    t.setSettings({ currency: 'EUR' });
    const o = await t.earnings.overview();
    expect(o.alerts).toHaveLength(1);
    expect(o.alerts[0]!.message).toBe(
      'Renter 0x7099…79C8 stopped paying at 12:50: the job is paused, and stops at 12:52 unless a voucher ' +
        'comes. What they signed before (0.7 tUSD) is yours either way.',
    );
    expect(o.rentals.active).toBe(1);
    expect(o.notes).toEqual([
      expect.stringContaining('No electricity price is set'),
      expect.stringContaining('1 rental was booked in another currency than EUR'),
    ]);
    // Its tokens count; its money does not.
    const today = o.periods[0]!;
    expect(today.earned.map((e) => e.amount.formatted)).toEqual(['1.7']);
    expect(today.gross).toBeCloseTo(0.7 * 0.9, 9);
    t.db.close();
  });
});

describe('the CSV export', () => {
  it('exports the rentals that ended between two local dates, both included', async () => {
    const t = setup({ settings: { electricityPerKWh: 0.3 } });
    t.ran('h', [['2026-12-01T08:00:00.000Z', '2026-12-01T09:00:00.000Z']], 1_000_000n);
    t.ran('i', [['2026-12-05T22:00:00.000Z', '2026-12-05T23:30:00.000Z']], 2_000_000n); // ends Dec 6 in Berlin
    await t.earnings.money.bookEnded();
    const all = t.earnings.exportCsv({});
    expect(all.rows).toBe(2);
    expect(all.filename).toBe('nocturne-earnings-start-to-2026-12-06.csv');
    const dec6 = t.earnings.exportCsv({ from: '2026-12-06', to: '2026-12-06' });
    expect(dec6.rows).toBe(1);
    expect(dec6.csv).toContain('2026-12-06T00:30:00+01:00');
    expect(dec6.csv.split('\r\n')[1]).toContain(',EUR,0.90000000,owner,1.800000,');
    expect(t.earnings.exportCsv({ to: '2026-11-30' }).rows).toBe(0);
    t.db.close();
  });

  it('refuses a date that does not exist and a range that ends before it starts, naming the field', () => {
    const t = setup();
    expect(() => t.earnings.exportCsv({ from: '2026-02-30' })).toThrow(
      expect.objectContaining({ field: 'from', message: '"2026-02-30" is not a date that exists.' }),
    );
    expect(() => t.earnings.exportCsv({ from: '2026-12-06', to: '2026-12-01' })).toThrow(
      expect.objectContaining({ field: 'to' }),
    );
    t.db.close();
  });
});
