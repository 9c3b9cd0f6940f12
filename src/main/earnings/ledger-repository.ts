import type { Database } from 'better-sqlite3';
import type { JobTerms } from '../market/job-terms';
import { quarterOf } from './quarters';

/** Where a rental stands, from the provider's side. */
export type RentalStatus = 'opened' | 'running' | 'paused' | 'ended' | 'settled' | 'refunded' | 'failed';

/** A rental is named by its escrow job on one contract of one chain. */
export interface RentalKey {
  chainId: number;
  escrow: string;
  escrowJobId: string;
}

export interface NewRental extends RentalKey {
  networkId: string;
  token: string;
  renter: string;
  provider: string;
  pricePerSecond: bigint;
  deposit: bigint;
  maxSeconds: number;
  specHash: string;
}

export interface Rental extends NewRental {
  localJobId: string | null;
  status: RentalStatus;
  reason: string | null;
  /** The latest voucher's cumulative amount: what the renter has signed for so far. */
  signed: bigint;
  /** What the escrow has paid out for this job. */
  redeemed: bigint;
  secondsRun: number;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  updatedAt: number;
  /** Since when the renter's vouchers are behind and the job is paused for it; null while they pay. */
  stalledAt: number | null;
  /** The last confirmed transaction that paid this rental out. */
  settleTx: string | null;
  /** The rental's energy and money, booked once it ended (earnings/energy-booking.ts); null before. */
  book: RentalBook | null;
}

export type PowerSource = 'measured' | 'setting' | 'rated' | 'default';
export type RateSource = 'owner' | 'feed';

/** What a rental cost in electricity and what its token was worth, fixed when it ended. */
export interface RentalBook {
  bookedAt: number;
  /** Average power while the job ran, and where that figure came from. */
  powerW: number;
  powerSource: PowerSource;
  energyKWh: number;
  /** In `currency`, at the tariff of the hours it ran. */
  energyCost: number;
  currency: string;
  /** `currency` per whole token when it was booked. */
  fiatRate: number;
  rateSource: RateSource;
}

interface Row {
  escrow_job_id: string;
  network_id: string;
  chain_id: number;
  escrow: string;
  token: string;
  renter: string;
  provider: string;
  price_per_second: string;
  deposit: string;
  max_seconds: number;
  spec_hash: string;
  local_job_id: string | null;
  status: string;
  reason: string | null;
  signed: string;
  redeemed: string;
  seconds_run: number;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  updated_at: number;
  stalled_at: number | null;
  settle_tx: string | null;
  booked_at: number | null;
  power_w: number | null;
  power_source: string | null;
  energy_kwh: number | null;
  energy_cost: number | null;
  currency: string | null;
  fiat_rate: number | null;
  rate_source: string | null;
}

const bookOf = (r: Row): RentalBook | null =>
  r.booked_at === null
    ? null
    : {
        bookedAt: r.booked_at,
        powerW: r.power_w ?? 0,
        powerSource: (r.power_source ?? 'default') as PowerSource,
        energyKWh: r.energy_kwh ?? 0,
        energyCost: r.energy_cost ?? 0,
        currency: r.currency ?? '',
        fiatRate: r.fiat_rate ?? 0,
        rateSource: (r.rate_source ?? 'owner') as RateSource,
      };

const fromRow = (r: Row): Rental => ({
  chainId: r.chain_id,
  escrow: r.escrow,
  escrowJobId: r.escrow_job_id,
  networkId: r.network_id,
  token: r.token,
  renter: r.renter,
  provider: r.provider,
  pricePerSecond: BigInt(r.price_per_second),
  deposit: BigInt(r.deposit),
  maxSeconds: r.max_seconds,
  specHash: r.spec_hash,
  localJobId: r.local_job_id,
  status: r.status as RentalStatus,
  reason: r.reason,
  signed: BigInt(r.signed),
  redeemed: BigInt(r.redeemed),
  secondsRun: r.seconds_run,
  createdAt: r.created_at,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  updatedAt: r.updated_at,
  stalledAt: r.stalled_at,
  settleTx: r.settle_tx,
  book: bookOf(r),
});

export type VoucherOutcome =
  { stored: true; delta: bigint } | { stored: false; reason: 'unknown-job' | 'not-newer' | 'over-deposit' };

const keyParams = (k: RentalKey) => ({
  chainId: k.chainId,
  escrow: k.escrow.toLowerCase(),
  id: k.escrowJobId.toLowerCase(),
});

/**
 * The provider's earnings ledger: every rental, every voucher the renter signed (stored before it is
 * acknowledged), and what the escrow has paid. Amounts are exact (BigInt over decimal TEXT).
 */
export function createLedgerRepository(db: Database) {
  const where = 'chain_id = @chainId AND escrow = @escrow AND escrow_job_id = @id';
  const statements = {
    insert: db.prepare(
      `INSERT OR IGNORE INTO rentals (escrow_job_id, network_id, chain_id, escrow, token, renter, provider,
         price_per_second, deposit, max_seconds, spec_hash, status, created_at, updated_at)
       VALUES (@id, @networkId, @chainId, @escrow, @token, @renter, @provider, @pricePerSecond, @deposit,
         @maxSeconds, @specHash, 'opened', @at, @at)`,
    ),
    get: db.prepare<{ chainId: number; escrow: string; id: string }, Row>(
      `SELECT * FROM rentals WHERE ${where}`,
    ),
    status: db.prepare(
      `UPDATE rentals SET status = @status, reason = @reason, updated_at = @at,
         started_at = CASE WHEN @status = 'running' AND started_at IS NULL THEN @at ELSE started_at END,
         ended_at = CASE WHEN @status IN ('ended', 'settled', 'refunded', 'failed') AND ended_at IS NULL
           THEN @at ELSE ended_at END
       WHERE ${where}`,
    ),
    link: db.prepare(`UPDATE rentals SET local_job_id = @jobId, updated_at = @at WHERE ${where}`),
    seconds: db.prepare(`UPDATE rentals SET seconds_run = @seconds, updated_at = @at WHERE ${where}`),
    signed: db.prepare(`UPDATE rentals SET signed = @signed, updated_at = @at WHERE ${where}`),
    redeemed: db.prepare(
      `UPDATE rentals SET redeemed = @redeemed, settle_tx = coalesce(@tx, settle_tx), updated_at = @at
       WHERE ${where}`,
    ),
    stalled: db.prepare(`UPDATE rentals SET stalled_at = @stalledAt, updated_at = @at WHERE ${where}`),
    quarter: db.prepare<{ chainId: number; escrow: string; id: string; quarter: number }, { earned: string }>(
      `SELECT earned FROM earnings_quarters WHERE ${where} AND quarter = @quarter`,
    ),
    setQuarter: db.prepare(
      `INSERT INTO earnings_quarters (chain_id, escrow, escrow_job_id, quarter, earned)
       VALUES (@chainId, @escrow, @id, @quarter, @earned)
       ON CONFLICT (chain_id, escrow, escrow_job_id, quarter) DO UPDATE SET earned = excluded.earned`,
    ),
    voucher: db.prepare(
      `INSERT INTO vouchers (chain_id, escrow, escrow_job_id, cumulative, delta, signature, received_at)
       VALUES (@chainId, @escrow, @id, @cumulative, @delta, @signature, @at)`,
    ),
    latestVoucher: db.prepare<
      { chainId: number; escrow: string; id: string },
      { cumulative: string; signature: string }
    >(`SELECT cumulative, signature FROM vouchers WHERE ${where} ORDER BY id DESC LIMIT 1`),
    recent: db.prepare<[number], Row>('SELECT * FROM rentals ORDER BY created_at DESC LIMIT ?'),
    withStatus: db.prepare<[string], Row>(
      'SELECT * FROM rentals WHERE status IN (SELECT value FROM json_each(?)) ORDER BY created_at, rowid',
    ),
    endedBetween: db.prepare<[number, number], Row>(
      `SELECT * FROM rentals WHERE ended_at >= ? AND ended_at < ? ORDER BY ended_at, rowid`,
    ),
    saveTerms: db.prepare(`UPDATE rentals SET terms_json = @terms, updated_at = @at WHERE ${where}`),
    terms: db.prepare<{ chainId: number; escrow: string; id: string }, { terms_json: string | null }>(
      `SELECT terms_json FROM rentals WHERE ${where}`,
    ),
    unsettled: db.prepare<[], Row>(
      `SELECT * FROM rentals WHERE status IN ('ended', 'failed', 'paused', 'running')
         AND signed != redeemed ORDER BY updated_at`,
    ),
  };

  const read = (key: RentalKey): Rental | null => {
    const row = statements.get.get(keyParams(key));
    return row ? fromRow(row) : null;
  };

  return {
    open(rental: NewRental, at: number): Rental {
      statements.insert.run({
        ...keyParams(rental),
        networkId: rental.networkId,
        token: rental.token,
        renter: rental.renter,
        provider: rental.provider,
        pricePerSecond: rental.pricePerSecond.toString(),
        deposit: rental.deposit.toString(),
        maxSeconds: rental.maxSeconds,
        specHash: rental.specHash,
        at,
      });
      return read(rental)!;
    },
    get: read,
    setStatus(key: RentalKey, status: RentalStatus, at: number, reason: string | null = null): void {
      statements.status.run({ ...keyParams(key), status, reason, at });
    },
    linkJob(key: RentalKey, jobId: string, at: number): void {
      statements.link.run({ ...keyParams(key), jobId, at });
    },
    setSecondsRun(key: RentalKey, seconds: number, at: number): void {
      statements.seconds.run({ ...keyParams(key), seconds, at });
    },

    /**
     * Keeps a voucher if it raises what the renter signed, within the deposit. One transaction: the
     * voucher row and the rental's total move together, and a crash leaves both or neither.
     */
    recordVoucher: db.transaction(
      (key: RentalKey, cumulative: bigint, signature: string, at: number): VoucherOutcome => {
        const rental = read(key);
        if (!rental) return { stored: false, reason: 'unknown-job' };
        if (cumulative <= rental.signed) return { stored: false, reason: 'not-newer' };
        if (cumulative > rental.deposit) return { stored: false, reason: 'over-deposit' };
        const delta = cumulative - rental.signed;
        statements.voucher.run({
          ...keyParams(key),
          cumulative: cumulative.toString(),
          delta: delta.toString(),
          signature,
          at,
        });
        statements.signed.run({ ...keyParams(key), signed: cumulative.toString(), at });
        const quarter = { ...keyParams(key), quarter: quarterOf(at) };
        const before = BigInt(statements.quarter.get(quarter)?.earned ?? '0');
        statements.setQuarter.run({ ...quarter, earned: (before + delta).toString() });
        return { stored: true, delta };
      },
    ),

    latestVoucher(key: RentalKey): { cumulative: bigint; signature: string } | null {
      const row = statements.latestVoucher.get(keyParams(key));
      return row ? { cumulative: BigInt(row.cumulative), signature: row.signature } : null;
    },

    /**
     * What the escrow has paid for a job in all, and the transaction that paid it when this wallet sent it;
     * never goes down (a stale read cannot undo a payment).
     */
    setRedeemed(key: RentalKey, redeemed: bigint, at: number, tx: string | null = null): void {
      const rental = read(key);
      if (!rental || redeemed <= rental.redeemed) return;
      statements.redeemed.run({ ...keyParams(key), redeemed: redeemed.toString(), tx, at });
    },

    /** The renter's vouchers fell behind at `stalledAt` (the job is paused for it), or caught up (null). */
    setStalled(key: RentalKey, stalledAt: number | null, at: number): void {
      statements.stalled.run({ ...keyParams(key), stalledAt, at });
    },

    /** Keeps the job's full terms (redeem needs them all; the rental row holds only some). */
    saveTerms(key: RentalKey, terms: JobTerms, at: number): void {
      const json = JSON.stringify(terms, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      statements.saveTerms.run({ ...keyParams(key), terms: json, at });
    },

    /** The terms saved with `saveTerms`, or null when there are none (or no such rental). */
    terms(key: RentalKey): JobTerms | null {
      const json = statements.terms.get(keyParams(key))?.terms_json;
      if (!json) return null;
      const raw = JSON.parse(json) as Record<keyof JobTerms, string>;
      return {
        renter: raw.renter,
        provider: raw.provider,
        token: raw.token,
        deposit: BigInt(raw.deposit),
        pricePerSecond: BigInt(raw.pricePerSecond),
        maxSeconds: BigInt(raw.maxSeconds),
        specHash: raw.specHash,
        startDeadline: BigInt(raw.startDeadline),
        nonce: BigInt(raw.nonce),
      };
    },

    /** Rentals with signed vouchers not yet paid out. */
    unsettled: (): Rental[] => statements.unsettled.all().map(fromRow),
    list: (limit = 100): Rental[] => statements.recent.all(limit).map(fromRow),
    /** Rentals that ended in [fromMs, toMs), in the order they ended (the tax export). */
    endedBetween: (fromMs: number, toMs: number): Rental[] =>
      statements.endedBetween.all(fromMs, toMs).map(fromRow),
    /** Rentals in any of `statuses`, oldest first (start-up reconciliation reads only these, not the history). */
    withStatus: (...statuses: RentalStatus[]): Rental[] =>
      statements.withStatus.all(JSON.stringify(statuses)).map(fromRow),
  };
}

export type LedgerRepository = ReturnType<typeof createLedgerRepository>;
