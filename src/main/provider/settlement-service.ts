import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { LedgerRepository, Rental, RentalKey } from '../earnings/ledger-repository';
import type { JobEscrowClient } from '../market/job-escrow';
import type { JobTerms } from '../market/job-terms';
import { MarketContractError } from '../market/market-errors';
import type { SignedVoucher } from '../market/voucher';
import type { SettlementRepository } from './settlement-repository';

/** What the service needs of a JobEscrowClient (tests wrap one to count calls or fail on purpose). */
export type SettlementEscrow = Pick<JobEscrowClient, 'address' | 'redeem' | 'redeemMany' | 'jobState'> &
  Partial<Pick<JobEscrowClient, 'termsOf'>>;

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
}

export interface SettlementReport {
  /** redeem / redeemMany transactions mined. */
  transactions: number;
  /** Escrow job ids now settled (redeemed == signed). */
  settled: string[];
  /** Escrow job ids the contract (or the chain's state) refused, with the reason recorded on the rental. */
  refused: string[];
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
 * are redeemed, one `redeem` or one `redeemMany` per escrow. The chain is the truth for what was paid:
 * each job's `jobState` is read first, so a voucher someone else already redeemed is not sent again.
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

  function markPaid(report: SettlementReport, key: RentalKey, paid: bigint): void {
    ledger.setRedeemed(key, paid, now());
    const rental = ledger.get(key);
    if (rental && rental.status !== 'settled' && rental.redeemed >= rental.signed) {
      ledger.setStatus(key, 'settled', now());
      refusedAt.delete(idOf(key));
      report.settled.push(rental.escrowJobId);
    }
  }

  function refuse(report: SettlementReport, rental: Rental, reason: string): void {
    refusedAt.set(idOf(rental), rental.signed);
    ledger.setStatus(keyOf(rental), rental.status, now(), `settlement refused: ${reason}`);
    report.refused.push(rental.escrowJobId);
    logger.warn(`Settlement of job ${rental.escrowJobId} refused: ${reason}`);
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
    let result;
    try {
      result =
        items.length === 1
          ? await escrow.redeem(items[0]!.terms, items[0]!.voucher)
          : await escrow.redeemMany(items.map((i) => ({ terms: i.terms, voucher: i.voucher })));
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
      markPaid(report, item.key, totalPaid);
    }
    if (attempt) settlements!.confirm(attempt, result.receipt.hash, paid, now());
    logger.info(`Redeemed ${items.length} job(s) on ${networkId} for ${paid} (tx ${result.receipt.hash})`);
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
    const report: SettlementReport = { transactions: 0, settled: [], refused: [], retryInMs: null };
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
