import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEarningsRepository } from '../../../src/main/earnings/earnings-repository';
import { createLedgerRepository } from '../../../src/main/earnings/ledger-repository';
import { migrations } from '../../../src/main/store/migrations';
import { openDatabase } from '../../../src/main/store/open-database';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();
const ESCROW = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';
const JOB = `0x${'ab'.repeat(32)}`;
const Q = 900_000;

describe('migration 8: earnings rollups', () => {
  it('sums the vouchers already stored per quarter-hour and finds each rental’s settlement transaction', () => {
    const file = join(tempDir(), 'db.sqlite');
    // A ledger written by the build before: schema 7, with vouchers and a confirmed redeem.
    const old = openDatabase(file, { migrations: migrations.slice(0, 7) });
    old.db
      .prepare(
        `INSERT INTO rentals (escrow_job_id, network_id, chain_id, escrow, token, renter, provider, price_per_second,
           deposit, max_seconds, spec_hash, status, signed, redeemed, created_at, updated_at)
         VALUES (?, 'devnet', 31337, ?, '0xtoken', '0xrenter', '0xprovider', '1', '10000000000000000000000', 60,
           '0xspec', 'settled', ?, ?, 0, 0)`,
      )
      .run(JOB, ESCROW, (5n * 10n ** 21n).toString(), (5n * 10n ** 21n).toString());
    const voucher = old.db.prepare(
      `INSERT INTO vouchers (chain_id, escrow, escrow_job_id, cumulative, delta, signature, received_at)
       VALUES (31337, ?, ?, ?, ?, '0xsig', ?)`,
    );
    voucher.run(ESCROW, JOB, (10n ** 21n).toString(), (10n ** 21n).toString(), 3 * Q + 1);
    voucher.run(ESCROW, JOB, (4n * 10n ** 21n).toString(), (3n * 10n ** 21n).toString(), 3 * Q + 5);
    voucher.run(ESCROW, JOB, (5n * 10n ** 21n).toString(), (10n ** 21n).toString(), 4 * Q);
    const settlement = old.db.prepare(
      `INSERT INTO settlements (tx_hash, network_id, jobs_json, amount, status, created_at, updated_at)
       VALUES (?, 'devnet', ?, '1', ?, ?, ?)`,
    );
    settlement.run('0xfailed', JSON.stringify([JOB]), 'failed', 1, 1);
    settlement.run('0xfirst', JSON.stringify([JOB, '0xother']), 'confirmed', 2, 2);
    settlement.run('0xlast', JSON.stringify(['0xother', JOB]), 'confirmed', 3, 3);
    old.db.close();

    const { db, migration } = openDatabase(file);
    expect(migration.applied).toContain(8);
    const sums = createEarningsRepository(db)
      .earnedSince(0)
      .map((q) => [q.quarter, q.earned]);
    expect(sums.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [3, 4n * 10n ** 21n],
      [4, 10n ** 21n],
    ]);
    const rental = createLedgerRepository(db).get({ chainId: 31337, escrow: ESCROW, escrowJobId: JOB })!;
    expect(rental).toMatchObject({ settleTx: '0xlast', stalledAt: null, book: null });
    // Ended before the upgrade: booked at the next start.
    expect(createEarningsRepository(db).unbooked()).toHaveLength(1);
    db.close();
  });
});
