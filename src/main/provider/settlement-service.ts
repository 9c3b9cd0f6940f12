import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { LedgerRepository, Rental, RentalKey } from '../earnings/ledger-repository';
import type { EscrowReceipt, JobEscrowClient } from '../market/job-escrow';
import type { JobTerms } from '../market/job-terms';
import { MarketContractError } from '../market/market-errors';
import type { SignedVoucher } from '../market/voucher';
import type { SettlementRepository } from './settlement-repository';

/**
 * What the service needs of a JobEscrowClient (tests wrap one to count calls or fail on purpose). Without
 * `finish` a single due job is redeemed rather than finished.
 */
export type SettlementEscrow = Pick<JobEscrowClient, 'address' | 'redeem' | 'redeemMany' | 'jobState'> &
  Partial<Pick<JobEscrowClient, 'termsOf' | 'finish'>>;

/** Cancels a scheduled call. */
export type CancelTimer = () => void;
export type SetTimer = (fn: () => void, ms: number) => CancelTimer;

export interface SettlementServiceOptions {
  ledger: Pick<
    LedgerRepository,
    'unsettled' | 'get' | 'latestVoucher' | 'setRedeemed' | 'setStatus' | 'terms' | 'saveTerms'
  >;
  /** Where each transaction is recorded (optional: the ledger alone is enough to settle). */
  settlements?: Pick<SettlementRepository, 'begin' | 'confirm' | 'fail'>;
  /** The escrow client of a network, with a signer that can send (any account may redeem). */
  escrowFor(networkId: string): Promise<SettlementEscrow>;
  clock: Clock;
  logger: Logger;
  /** Default: an unref'd setTimeout. */
  setTimer?: SetTimer;
  /** After an RPC failure: firstMs, then doubling, at most maxMs. */
  backoff: { firstMs: number; maxMs: number };
  /** How often a started service looks for due rentals anyway (default 60 s). */
  intervalMs?: number;
  /** A rental's row changed (redeemed, settled, refused). */
  onRentalChange?(rental: Rental): void;
}

export interface SettlementReport {
  /** redeem / redeemMany transactions mined. */
  transactions: number;
  /** Escrow job ids now settled (redeemed == signed). */
  settled: string[];
  /** Escrow job ids the contract (or the chain's state) refused, with the reason recorded on the rental. */
  refused: string[];
  /** Escrow job ids with nothing signed that were closed with finish (the whole deposit back to the renter). */
  refunded: string[];
  /** Set when an RPC failure left something due: the next attempt comes after this many ms. */
  retryInMs: number | null;
}

interface Item {
  rental: Rental;
  key: RentalKey;
  terms: JobTerms;
  voucher: SignedVoucher;
  paidBefore: bigint;
}

const keyOf = (r: RentalKey): RentalKey => ({
  chainId: r.chainId,
  escrow: r.escrow,
  escrowJobId: r.escrowJobId,
});
const idOf = (r: RentalKey) => `${r.chainId}:${r.escrow.toLowerCase()}:${r.escrowJobId.toLowerCase()}`;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const defaultSetTimer: SetTimer = (fn, ms) => {
  const handle = setTimeout(fn, ms);
  handle.unref?.();
  return () => clearTimeout(handle);
};

/**
 * Collects what renters signed: rentals that ended (or failed) with a voucher above what the escrow paid
 * are redeemed, one `redeemMany` per escrow. A single due job on an escrow is closed with `finish` instead
 * (paid and closed in one call, and the rest of the deposit goes back to its renter at once); should the
 * escrow refuse that because the wallet is not the job's provider (it changed since), it is redeemed. The
 * chain is the truth for what was paid: each job's `jobState` is read first, so a voucher someone else
 * already redeemed is not sent again.
 *
 * - An RPC failure (anything but a contract refusal) leaves the rentals as they are and retries after
 *   `backoff.firstMs`, doubling up to `backoff.maxMs`.
 * - A contract refusal (MarketContractError) is written as the rental's reason; that rental is not tried
 *   again until its signed amount changes (or the app restarts). A refused batch is retried job by job,
 *   so one bad voucher does not hold up the others.
 * - Vouchers are never deleted: the ledger only moves `redeemed` up and the status to 'settled'.
 */
export function createSettlementService(options: SettlementServiceOptions) {
  const { ledger, settlements, clock, logger, backoff } = options;
  const setTimer = options.setTimer ?? defaultSetTimer;
  const intervalMs = options.intervalMs ?? 60_000;
  const now = () => clock.now().getTime();

  /** Rentals refused by the contract, with the signed amount they were refused at. */
  const refusedAt = new Map<string, bigint>();
  /** Rentals that ended with nothing signed whose deposit may still be held on-chain (closeUnpaid). */
  const unpaid = new Map<string, RentalKey>();
  let failures = 0;
  let started = false;
  let stopped = false;
  let cancelTimer: CancelTimer | null = null;
  let current: Promise<SettlementReport> | null = null;
  let next: Promise<SettlementReport> | null = null;

  const schedule = (ms: number) => {
    cancelTimer?.();
    cancelTimer = null;
    if (stopped) return;
    cancelTimer = setTimer(() => {
      cancelTimer = null;
      void settleDue().catch((error: unknown) => logger.error('Settlement failed', error));
    }, ms);
  };

  const changed = (key: RentalKey) => {
    const rental = options.onRentalChange && ledger.get(key);
    if (rental) options.onRentalChange!(rental);
  };

  /** `tx`: the transaction of ours that paid it; null when the chain says someone else's did. */
  function markPaid(report: SettlementReport, key: RentalKey, paid: bigint, tx: string | null = null): void {
    ledger.setRedeemed(key, paid, now(), tx);
    const rental = ledger.get(key);
    if (rental && rental.status !== 'settled' && rental.redeemed >= rental.signed) {
      ledger.setStatus(key, 'settled', now());
      refusedAt.delete(idOf(key));
      report.settled.push(rental.escrowJobId);
    }
    changed(key);
  }

  function refuse(report: SettlementReport, rental: Rental, reason: string): void {
    refusedAt.set(idOf(rental), rental.signed);
    ledger.setStatus(keyOf(rental), rental.status, now(), `settlement refused: ${reason}`);
    report.refused.push(rental.escrowJobId);
    logger.warn(`Settlement of job ${rental.escrowJobId} refused: ${reason}`);
    changed(keyOf(rental));
  }

  /** One due job: finish (pays and refunds the rest), or redeem where finish is not this wallet's to send. */
  async function settleOne(
    escrow: SettlementEscrow,
    item: Item,
  ): Promise<{ result: EscrowReceipt; call: string }> {
    if (escrow.finish) {
      try {
        return { result: await escrow.finish(item.terms, item.voucher), call: 'finish' };
      } catch (error) {
        if (!(error instanceof MarketContractError && error.errorName === 'NotProvider')) throw error;
        logger.warn(`finish of job ${item.rental.escrowJobId} refused (${error.message}); redeeming instead`);
      }
    }
    return { result: await escrow.redeem(item.terms, item.voucher), call: 'redeem' };
  }

  async function send(
    report: SettlementReport,
    escrow: SettlementEscrow,
    networkId: string,
    items: Item[],
  ): Promise<void> {
    const expected = items.reduce((sum, i) => sum + (i.voucher.cumulativeAmount - i.paidBefore), 0n);
    const attempt = settlements?.begin(
      networkId,
      items.map((i) => i.rental.escrowJobId),
      expected,
      now(),
    );
    let result: EscrowReceipt;
    let call = 'redeemMany';
    try {
      if (items.length === 1) ({ result, call } = await settleOne(escrow, items[0]!));
      else result = await escrow.redeemMany(items.map((i) => ({ terms: i.terms, voucher: i.voucher })));
    } catch (error) {
      if (attempt) settlements!.fail(attempt, messageOf(error), now());
      if (!(error instanceof MarketContractError)) throw error;
      if (items.length > 1) {
        logger.warn(`redeemMany of ${items.length} jobs refused (${error.message}); redeeming one by one`);
        for (const item of items) await send(report, escrow, networkId, [item]);
        return;
      }
      // The chain may have moved since it was read (someone redeemed in between): trust it.
      const item = items[0]!;
      const state = await escrow.jobState(item.rental.escrowJobId);
      if (state.paid >= item.voucher.cumulativeAmount) markPaid(report, item.key, state.paid);
      else refuse(report, item.rental, error.message);
      return;
    }
    report.transactions += 1;
    let paid = 0n;
    for (const { jobId, totalPaid } of result.redeemed) {
      const item = items.find((i) => i.rental.escrowJobId.toLowerCase() === jobId.toLowerCase());
      if (!item) continue;
      paid += totalPaid - item.paidBefore;
      markPaid(report, item.key, totalPaid, result.receipt.hash);
    }
    if (attempt) settlements!.confirm(attempt, result.receipt.hash, paid, now());
    const refunded = [...result.refunds.values()].reduce((sum, r) => sum + r, 0n);
    logger.info(
      `${call}: ${items.length} job(s) on ${networkId} paid ${paid}` +
        (call === 'finish' ? `, ${refunded} back to the renter` : '') +
        ` (tx ${result.receipt.hash})`,
    );
  }

  /**
   * One rental that ended with nothing signed: its job, if still Open or Started, is closed with finish and
   * no voucher, which sends the whole deposit back to the renter. Each outcome changes the rental's status
   * or reason, so it is not a candidate again. An RPC failure throws (the caller retries).
   */
  async function closeUnpaidOne(report: SettlementReport, key: RentalKey): Promise<void> {
    const rental = ledger.get(key);
    // A voucher after all: the rental is settled like any other.
    if (!rental || rental.signed > 0n) return;
    const escrow = await options.escrowFor(rental.networkId);
    if (escrow.address.toLowerCase() !== rental.escrow.toLowerCase() || !escrow.finish) {
      logger.warn(`Job ${rental.escrowJobId} cannot be finished from here: its deposit stays on-chain`);
      return;
    }
    const close = (status: 'refunded' | 'failed', reason: string) => {
      ledger.setStatus(key, status, now(), reason);
      if (status === 'refunded') report.refunded.push(rental.escrowJobId);
      changed(key);
    };
    const closedAlready = (status: string, paid: bigint) => {
      if (status === 'Cancelled')
        close(
          'failed',
          'The renter cancelled the job on JobEscrow before it started: the deposit went back.',
        );
      else if (status === 'Closed' && paid === 0n)
        close('refunded', 'Nothing was signed: the job is closed on JobEscrow and its deposit went back.');
      else
        close('failed', `Nothing was signed here, and the job is ${status} on JobEscrow with ${paid} paid.`);
    };
    const state = await escrow.jobState(rental.escrowJobId);
    if (state.status !== 'Open' && state.status !== 'Started') return closedAlready(state.status, state.paid);
    let terms = ledger.terms(key);
    if (!terms && escrow.termsOf) {
      terms = (await escrow.termsOf(rental.escrowJobId)) ?? null;
      if (terms) ledger.saveTerms(key, terms, now());
    }
    if (!terms) return close('failed', 'Nothing was signed, and the job terms to finish it are unknown.');
    try {
      const { receipt } = await escrow.finish(terms);
      logger.info(
        `Rental ${rental.escrowJobId}: nothing signed; finished it and refunded the deposit (${receipt.hash})`,
      );
      close('refunded', 'Nothing was signed: the whole deposit went back to the renter.');
    } catch (error) {
      if (!(error instanceof MarketContractError)) throw error;
      // The chain may have moved since it was read (the renter cancelled in between).
      const after = await escrow.jobState(rental.escrowJobId);
      if (after.status !== 'Open' && after.status !== 'Started')
        return closedAlready(after.status, after.paid);
      logger.warn(`Refund of job ${rental.escrowJobId} refused: ${error.message}`);
      close('failed', `Nothing was signed; finishing the job on JobEscrow was refused: ${error.message}`);
    }
  }

  async function settleGroup(report: SettlementReport, networkId: string, rentals: Rental[]): Promise<void> {
    const escrow = await options.escrowFor(networkId);
    const items: Item[] = [];
    for (const rental of rentals) {
      if (escrow.address.toLowerCase() !== rental.escrow.toLowerCase()) {
        logger.warn(
          `Job ${rental.escrowJobId} is on escrow ${rental.escrow}, not ${networkId}'s current one`,
        );
        continue;
      }
      const key = keyOf(rental);
      const stored = ledger.latestVoucher(key);
      if (!stored) continue;
      const state = await escrow.jobState(rental.escrowJobId);
      if (state.paid >= stored.cumulative) {
        markPaid(report, key, state.paid);
        continue;
      }
      if (state.paid > rental.redeemed) ledger.setRedeemed(key, state.paid, now());
      if (state.status !== 'Open' && state.status !== 'Started') {
        refuse(
          report,
          rental,
          `the job is ${state.status} on chain, ${state.paid} of ${stored.cumulative} paid`,
        );
        continue;
      }
      let terms = ledger.terms(key);
      if (!terms && escrow.termsOf) {
        terms = (await escrow.termsOf(rental.escrowJobId)) ?? null;
        if (terms) ledger.saveTerms(key, terms, now());
      }
      if (!terms) {
        refuse(report, rental, 'the job terms are unknown');
        continue;
      }
      items.push({
        rental,
        key,
        terms,
        voucher: {
          jobId: rental.escrowJobId,
          cumulativeAmount: stored.cumulative,
          signature: stored.signature,
        },
        paidBefore: state.paid,
      });
    }
    if (items.length > 0) await send(report, escrow, networkId, items);
  }

  async function run(): Promise<SettlementReport> {
    const report: SettlementReport = {
      transactions: 0,
      settled: [],
      refused: [],
      refunded: [],
      retryInMs: null,
    };
    const due = ledger
      .unsettled()
      .filter((r) => (r.status === 'ended' || r.status === 'failed') && refusedAt.get(idOf(r)) !== r.signed);
    const groups = new Map<string, Rental[]>();
    for (const rental of due) {
      const group = `${rental.networkId}\n${rental.escrow.toLowerCase()}`;
      groups.set(group, [...(groups.get(group) ?? []), rental]);
    }
    let rpcFailed = false;
    for (const rentals of groups.values()) {
      const networkId = rentals[0]!.networkId;
      try {
        await settleGroup(report, networkId, rentals);
      } catch (error) {
        rpcFailed = true;
        logger.warn(`Settlement on ${networkId} failed, will retry: ${messageOf(error)}`);
      }
    }
    for (const [id, key] of [...unpaid]) {
      try {
        await closeUnpaidOne(report, key);
        unpaid.delete(id);
      } catch (error) {
        rpcFailed = true;
        logger.warn(`Refund of job ${key.escrowJobId} failed, will retry: ${messageOf(error)}`);
      }
    }
    if (rpcFailed) {
      failures += 1;
      report.retryInMs = Math.min(backoff.maxMs, backoff.firstMs * 2 ** (failures - 1));
      schedule(report.retryInMs);
    } else {
      failures = 0;
      if (started) schedule(intervalMs);
    }
    return report;
  }

  /** Redeems what is due now. Calls during a run are folded into one more run after it. */
  function settleDue(): Promise<SettlementReport> {
    if (!current) {
      current = run().finally(() => {
        current = null;
      });
      return current;
    }
    next ??= current
      .catch(() => undefined)
      .then(() => {
        next = null;
        return settleDue();
      });
    return next;
  }

  return {
    settleDue,
    /** Settles now and then every `intervalMs` (sooner after a poke, later under back-off). */
    start(): void {
      if (started) return;
      started = true;
      stopped = false;
      schedule(0);
    },
    /**
     * Rentals that ended with nothing signed and may still hold their renter's deposit on-chain (a session
     * cut off by a crash before any voucher; a refund that did not complete): each is closed with finish at
     * the next run, retried like a redeem after an RPC failure. See `unpaidRentals`.
     */
    closeUnpaid(rentals: readonly RentalKey[]): void {
      for (const rental of rentals) unpaid.set(idOf(rental), keyOf(rental));
      if (rentals.length > 0 && started) schedule(0);
    },
    /** A job ended: settle soon. */
    poke(): void {
      if (started) schedule(0);
    },
    stop(): void {
      started = false;
      stopped = true;
      cancelTimer?.();
      cancelTimer = null;
    },
  };
}

export type SettlementService = ReturnType<typeof createSettlementService>;
