import type { Database } from 'better-sqlite3';
import type { EnergyQuarter } from './energy-booking';
import type { RentalBook, RentalKey } from './ledger-repository';

/** Earned in one rental's quarter-hour, with what the rental's money is named and valued by. */
export interface EarnedQuarter {
  key: string;
  networkId: string;
  token: string;
  quarter: number;
  earned: bigint;
  /** The rental's booked rate and currency; null while it is not booked. */
  fiatRate: number | null;
  currency: string | null;
}

export interface EnergyRow {
  quarter: number;
  kwh: number;
  cost: number;
  currency: string;
}

/** One rental's money in all: what its renter signed and the escrow paid, and its book if it has one. */
export interface RentalTotal {
  key: string;
  networkId: string;
  token: string;
  status: string;
  signed: bigint;
  redeemed: bigint;
  fiatRate: number | null;
  currency: string | null;
  energyKWh: number | null;
  energyCost: number | null;
}

const keyOf = (r: { chain_id: number; escrow: string; escrow_job_id: string }) =>
  `${r.chain_id}:${r.escrow}:${r.escrow_job_id}`;

const keyParams = (k: RentalKey) => ({
  chainId: k.chainId,
  escrow: k.escrow.toLowerCase(),
  id: k.escrowJobId.toLowerCase(),
});

/**
 * The earnings side of the ledger: the quarter-hour sums the overview reads (earnings_quarters, written
 * with each voucher; energy_quarters, written when a rental is booked), and the booking itself.
 */
export function createEarningsRepository(db: Database) {
  const where = 'chain_id = @chainId AND escrow = @escrow AND escrow_job_id = @id';
  const statements = {
    earned: db.prepare<
      [number],
      {
        chain_id: number;
        escrow: string;
        escrow_job_id: string;
        network_id: string;
        token: string;
        quarter: number;
        earned: string;
        fiat_rate: number | null;
        currency: string | null;
      }
    >(
      `SELECT q.chain_id, q.escrow, q.escrow_job_id, r.network_id, r.token, q.quarter, q.earned, r.fiat_rate,
              r.currency
       FROM earnings_quarters q
       JOIN rentals r ON r.chain_id = q.chain_id AND r.escrow = q.escrow AND r.escrow_job_id = q.escrow_job_id
       WHERE q.quarter >= ?`,
    ),
    energy: db.prepare<[number], EnergyRow>(
      `SELECT e.quarter, e.kwh, e.cost, r.currency
       FROM energy_quarters e
       JOIN rentals r ON r.chain_id = e.chain_id AND r.escrow = e.escrow AND r.escrow_job_id = e.escrow_job_id
       WHERE e.quarter >= ?`,
    ),
    totals: db.prepare<
      [],
      {
        chain_id: number;
        escrow: string;
        escrow_job_id: string;
        network_id: string;
        token: string;
        status: string;
        signed: string;
        redeemed: string;
        fiat_rate: number | null;
        currency: string | null;
        energy_kwh: number | null;
        energy_cost: number | null;
      }
    >(
      `SELECT chain_id, escrow, escrow_job_id, network_id, token, status, signed, redeemed, fiat_rate, currency,
              energy_kwh, energy_cost
       FROM rentals`,
    ),
    book: db.prepare(
      `UPDATE rentals SET booked_at = @bookedAt, power_w = @powerW, power_source = @powerSource,
         energy_kwh = @energyKWh, energy_cost = @energyCost, currency = @currency, fiat_rate = @fiatRate,
         rate_source = @rateSource
       WHERE ${where} AND booked_at IS NULL`,
    ),
    unbooked: db.prepare<[], { chain_id: number; escrow: string; escrow_job_id: string }>(
      `SELECT chain_id, escrow, escrow_job_id FROM rentals
       WHERE booked_at IS NULL AND status IN ('ended', 'settled', 'refunded', 'failed')`,
    ),
    energyQuarter: db.prepare(
      `INSERT INTO energy_quarters (chain_id, escrow, escrow_job_id, quarter, kwh, cost)
       VALUES (@chainId, @escrow, @id, @quarter, @kwh, @cost)`,
    ),
  };

  return {
    /** Earnings per rental and quarter-hour from `fromQuarter` on. */
    earnedSince: (fromQuarter: number): EarnedQuarter[] =>
      statements.earned.all(fromQuarter).map((r) => ({
        key: keyOf(r),
        networkId: r.network_id,
        token: r.token,
        quarter: r.quarter,
        earned: BigInt(r.earned),
        fiatRate: r.fiat_rate,
        currency: r.currency,
      })),

    /** Booked electricity per quarter-hour from `fromQuarter` on (live rentals are not booked yet). */
    energySince: (fromQuarter: number): EnergyRow[] => statements.energy.all(fromQuarter),

    /** Every rental's totals (the all-time figures and what awaits payout). */
    totals: (): RentalTotal[] =>
      statements.totals.all().map((r) => ({
        key: keyOf(r),
        networkId: r.network_id,
        token: r.token,
        status: r.status,
        signed: BigInt(r.signed),
        redeemed: BigInt(r.redeemed),
        fiatRate: r.fiat_rate,
        currency: r.currency,
        energyKWh: r.energy_kwh,
        energyCost: r.energy_cost,
      })),

    /** Rentals that ended but have no book yet (the process stopped before it booked them). */
    unbooked: (): RentalKey[] =>
      statements.unbooked
        .all()
        .map((r) => ({ chainId: r.chain_id, escrow: r.escrow, escrowJobId: r.escrow_job_id })),

    /**
     * Books a rental's energy and rate once: the row and its quarters in one transaction. False when it
     * was booked already (a second booking changes nothing).
     */
    book: db.transaction((key: RentalKey, book: RentalBook, quarters: readonly EnergyQuarter[]): boolean => {
      const params = keyParams(key);
      if (statements.book.run({ ...params, ...book }).changes === 0) return false;
      for (const q of quarters) statements.energyQuarter.run({ ...params, ...q });
      return true;
    }),
  };
}

export type EarningsRepository = ReturnType<typeof createEarningsRepository>;
