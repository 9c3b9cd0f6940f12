import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run-cli';
import { dataPaths } from '../../../src/main/data-dir/resolve-data-dir';
import { createLedgerRepository } from '../../../src/main/earnings/ledger-repository';
import { createSettingsRepository } from '../../../src/main/settings/settings-repository';
import { openDatabase } from '../../../src/main/store/open-database';
import {
  DEVNET_JOB_ESCROW_ADDRESS,
  DEVNET_TEST_USD_ADDRESS,
} from '../../../src/main/devnet/devnet-addresses';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env: { NOCTURNE_DEVNET_PORT: '0' },
  });
  return { code, out, err };
}

/** A data directory whose ledger holds one rental that ended today, booked in EUR at 0.5 a token. */
function seeded(): string {
  const dir = tempDir();
  const { db } = openDatabase(dataPaths(dir).database);
  const now = Date.now();
  createSettingsRepository(db).writeMany(
    [
      ['currency', 'EUR'],
      ['tokenValue', 0.5],
    ],
    new Date(now),
  );
  const ledger = createLedgerRepository(db);
  const rental = {
    chainId: 31337,
    escrow: DEVNET_JOB_ESCROW_ADDRESS,
    escrowJobId: `0x${'0a'.repeat(32)}`,
    networkId: 'devnet',
    token: DEVNET_TEST_USD_ADDRESS,
    renter: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    provider: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    pricePerSecond: 1000n,
    deposit: 10_000_000n,
    maxSeconds: 3600,
    specHash: `0x${'cd'.repeat(32)}`,
  };
  ledger.open(rental, now - 1000);
  ledger.recordVoucher(rental, 3_000_000n, `0x${'11'.repeat(65)}`, now - 500);
  ledger.setStatus(rental, 'ended', now - 100);
  db.close();
  return dir;
}

describe('nocturne earnings', () => {
  it('prints the periods in words and as JSON', async () => {
    const dir = seeded();
    const text = await cli(['earnings', '--data-dir', dir]);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toContain('Today: 3.0 tUSD on Local devnet; worth 1.50 EUR');
    expect(text.out).toContain('Awaiting payout: 3.0 tUSD');
    const json = await cli(['earnings', '--json', '--data-dir', dir]);
    expect(JSON.parse(json.out)).toMatchObject({ currency: 'EUR', rentals: { active: 0, total: 1 } });
  });

  it('exports CSV to standard output or a new file, and never overwrites one', async () => {
    const dir = seeded();
    const stdout = await cli(['earnings', 'export', '--data-dir', dir]);
    expect(stdout.code, stdout.err).toBe(0);
    expect(stdout.out.split('\r\n')[1]).toContain(',3.0,EUR,');
    const file = join(dir, 'taxes.csv');
    const saved = await cli(['earnings', 'export', '--out', file, '--data-dir', dir]);
    expect(saved.code).toBe(0);
    expect(saved.err).toContain('Saved 1 rental to');
    expect(readFileSync(file, 'utf8')).toBe(stdout.out);
    writeFileSync(file, 'mine');
    const again = await cli(['earnings', 'export', '--out', file, '--data-dir', dir]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('exists already');
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('says what is wrong with a bad date or a wrong call', async () => {
    const dir = seeded();
    const bad = await cli(['earnings', 'export', '--from', '2026-02-30', '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('"2026-02-30" is not a date that exists');
    const shape = await cli(['earnings', 'export', '--from', 'yesterday', '--data-dir', dir]);
    expect(shape.code).toBe(1);
    expect(shape.err).toContain('from: must be a date such as 2026-01-31');
    expect((await cli(['earnings', 'sum', '--data-dir', dir])).code).toBe(2);
    expect((await cli(['earnings', '--from', '2026-01-01', '--data-dir', dir])).code).toBe(2);
  });
});
