import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLedgerRepository, type NewRental } from '../../../src/main/earnings/ledger-repository';
import { openDatabase } from '../../../src/main/store/open-database';
import { createEarningsRepository } from '../../../src/main/earnings/earnings-repository';
import { QUARTER_MS } from '../../../src/main/earnings/quarters';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

const rental: NewRental = {
  chainId: 31337,
  escrow: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
  escrowJobId: `0x${'ab'.repeat(32)}`,
  networkId: 'devnet',
  token: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  renter: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  provider: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
  pricePerSecond: 1000n,
  deposit: 3_600_000n,
  maxSeconds: 3600,
  specHash: `0x${'cd'.repeat(32)}`,
};

function open(file = join(tempDir(), 'db.sqlite')) {
  const { db } = openDatabase(file);
  return { db, ledger: createLedgerRepository(db), file };
}

describe('earnings ledger', () => {
  it('records a rental once, whatever the case of its addresses', () => {
    const { ledger, db } = open();
    ledger.open(rental, 1000);
    ledger.open(
      {
        ...rental,
        escrow: rental.escrow.toLowerCase(),
        escrowJobId: rental.escrowJobId.toUpperCase().replace('0X', '0x'),
      },
      2000,
    );
    expect(ledger.list()).toHaveLength(1);
    expect(ledger.get(rental)).toMatchObject({ status: 'opened', signed: 0n, redeemed: 0n, createdAt: 1000 });
    db.close();
  });

  it('keeps only vouchers that raise the signed total within the deposit, each with what it added', () => {
    const { ledger, db } = open();
    ledger.open(rental, 0);
    expect(ledger.recordVoucher(rental, 5000n, '0xsig1', 10)).toEqual({ stored: true, delta: 5000n });
    expect(ledger.recordVoucher(rental, 5000n, '0xsig1', 11)).toEqual({ stored: false, reason: 'not-newer' });
    expect(ledger.recordVoucher(rental, 4000n, '0xold', 12)).toEqual({ stored: false, reason: 'not-newer' });
    expect(ledger.recordVoucher(rental, 3_600_001n, '0xbig', 13)).toEqual({
      stored: false,
      reason: 'over-deposit',
    });
    expect(ledger.recordVoucher({ ...rental, escrowJobId: `0x${'00'.repeat(32)}` }, 1n, '0x', 14)).toEqual({
      stored: false,
      reason: 'unknown-job',
    });
    expect(ledger.recordVoucher(rental, 12_000n, '0xsig2', 20)).toEqual({ stored: true, delta: 7000n });
    expect(ledger.get(rental)!.signed).toBe(12_000n);
    expect(ledger.latestVoucher(rental)).toEqual({ cumulative: 12_000n, signature: '0xsig2' });
    db.close();
  });

  it("sums each rental's vouchers per UTC quarter-hour as they are stored, exactly, beyond 2^64", () => {
    const { ledger, db } = open();
    const earnings = createEarningsRepository(db);
    const big = { ...rental, escrowJobId: `0x${'ef'.repeat(32)}`, deposit: 10n ** 30n, token: '0xToken2' };
    ledger.open(rental, 0);
    ledger.open(big, 0);
    ledger.recordVoucher(rental, 100n, 's', 10 * QUARTER_MS - 1); // the quarter before
    ledger.recordVoucher(rental, 350n, 's', 10 * QUARTER_MS);
    ledger.recordVoucher(rental, 400n, 's', 11 * QUARTER_MS - 1);
    ledger.recordVoucher(rental, 400n, 's', 11 * QUARTER_MS); // not newer: not stored, not summed
    ledger.recordVoucher(big, 10n ** 25n, 's', 10 * QUARTER_MS + 5);
    ledger.recordVoucher(big, 3n * 10n ** 25n, 's', 10 * QUARTER_MS + 6);
    const sums = earnings
      .earnedSince(10)
      .map((q) => [q.token, q.quarter, q.earned] as const)
      .sort((a, b) => a[0].localeCompare(b[0]));
    expect(sums).toEqual([
      [rental.token, 10, 300n],
      ['0xToken2', 10, 3n * 10n ** 25n],
    ]);
    expect(
      earnings
        .earnedSince(9)
        .filter((q) => q.quarter === 9)
        .map((q) => q.earned),
    ).toEqual([100n]);
    db.close();
  });

  it('records when vouchers stalled, and which transaction paid a rental out', () => {
    const { ledger, db } = open();
    ledger.open(rental, 0);
    ledger.setStalled(rental, 1234, 5);
    expect(ledger.get(rental)).toMatchObject({ stalledAt: 1234, settleTx: null, book: null });
    ledger.setStalled(rental, null, 6);
    ledger.recordVoucher(rental, 9000n, 's', 7);
    ledger.setRedeemed(rental, 4000n, 8, '0xaaa');
    ledger.setRedeemed(rental, 9000n, 9); // paid by someone else's transaction: the last of ours stays
    expect(ledger.get(rental)).toMatchObject({ stalledAt: null, settleTx: '0xaaa', redeemed: 9000n });
    db.close();
  });

  it('lists what is signed but unpaid, and never lowers what was redeemed', () => {
    const { ledger, db, file } = open();
    ledger.open(rental, 0);
    ledger.setStatus(rental, 'running', 5);
    ledger.recordVoucher(rental, 9000n, 's', 6);
    ledger.setStatus(rental, 'ended', 7, 'the renter stopped sending vouchers');
    expect(ledger.unsettled().map((r) => r.escrowJobId)).toEqual([rental.escrowJobId.toLowerCase()]);
    ledger.setRedeemed(rental, 9000n, 8);
    ledger.setRedeemed(rental, 4000n, 9);
    expect(ledger.get(rental)).toMatchObject({
      redeemed: 9000n,
      startedAt: 5,
      endedAt: 7,
      reason: 'the renter stopped sending vouchers',
    });
    expect(ledger.unsettled()).toEqual([]);
    db.close();
    // Stored, not cached: a restart reads the same.
    const again = open(file);
    expect(again.ledger.get(rental)).toMatchObject({ signed: 9000n, redeemed: 9000n, status: 'ended' });
    again.db.close();
  });
});
