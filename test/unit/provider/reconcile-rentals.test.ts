import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLedgerRepository, type NewRental } from '../../../src/main/earnings/ledger-repository';
import {
  LOST_RENTAL_REASON,
  reconcileRentals,
  unpaidRentals,
} from '../../../src/main/provider/reconcile-rentals';
import { openDatabase } from '../../../src/main/store/open-database';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

const base: NewRental = {
  chainId: 31337,
  escrow: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
  escrowJobId: `0x${'00'.repeat(32)}`,
  networkId: 'devnet',
  token: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  renter: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  provider: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
  pricePerSecond: 10n,
  deposit: 10_000n,
  maxSeconds: 600,
  specHash: `0x${'cd'.repeat(32)}`,
};
const rental = (n: number): NewRental => ({ ...base, escrowJobId: `0x${n.toString(16).padStart(64, '0')}` });

describe('reconcileRentals', () => {
  it('marks the rentals a dead process left live as failed, and leaves the others and every voucher alone', () => {
    const { db } = openDatabase(join(tempDir(), 'db.sqlite'));
    const ledger = createLedgerRepository(db);
    const statuses = ['opened', 'running', 'paused', 'ended', 'settled', 'failed'] as const;
    statuses.forEach((status, i) => {
      ledger.open(rental(i + 1), 1);
      ledger.recordVoucher(rental(i + 1), 100n * BigInt(i + 1), `0x${'11'.repeat(65)}`, 2);
      if (status !== 'opened')
        ledger.setStatus(rental(i + 1), status, 3, status === 'failed' ? 'earlier' : null);
    });

    const cut = reconcileRentals(ledger, 50);

    expect(cut.map((r) => r.escrowJobId)).toEqual(
      [rental(1), rental(2), rental(3)].map((r) => r.escrowJobId),
    );
    for (const r of cut)
      expect(r).toMatchObject({ status: 'failed', reason: LOST_RENTAL_REASON, endedAt: 50 });
    expect(ledger.get(rental(4))!.status).toBe('ended');
    expect(ledger.get(rental(5))!.status).toBe('settled');
    expect(ledger.get(rental(6))!.reason).toBe('earlier');
    statuses.forEach((_, i) => expect(ledger.get(rental(i + 1))!.signed).toBe(100n * BigInt(i + 1)));
    // Failed rentals with a voucher above what was paid are what settlement redeems.
    expect(ledger.unsettled().map((r) => r.escrowJobId)).toEqual(
      expect.arrayContaining(cut.map((r) => r.escrowJobId)),
    );
    expect(reconcileRentals(ledger, 60)).toEqual([]);
    db.close();
  });
  it('finds the rentals that ended with nothing signed and may still hold a deposit: cut off, or ended', () => {
    const { db } = openDatabase(join(tempDir(), 'db.sqlite'));
    const ledger = createLedgerRepository(db);
    ledger.open(rental(1), 1); // cut off before any voucher
    ledger.open(rental(2), 1); // cut off after one
    ledger.recordVoucher(rental(2), 100n, `0x${'11'.repeat(65)}`, 2);
    ledger.open(rental(3), 1); // ended with nothing signed, its refund not done
    ledger.setStatus(rental(3), 'ended', 3);
    ledger.open(rental(4), 1); // failed for another reason (a bad bundle: never started on-chain)
    ledger.setStatus(rental(4), 'failed', 3, 'The bundle does not match its sha256');
    ledger.open(rental(5), 1); // already refunded
    ledger.setStatus(rental(5), 'refunded', 3);
    reconcileRentals(ledger, 50);

    expect(
      unpaidRentals(ledger)
        .map((r) => r.escrowJobId)
        .sort(),
    ).toEqual([rental(1), rental(3)].map((r) => r.escrowJobId).sort());
    db.close();
  });
});
