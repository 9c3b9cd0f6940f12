import type { Logger } from '../core/logger';
import type { Rental, RentalKey, RentalStatus } from '../earnings/ledger-repository';
import type { JobTerms } from '../market/job-terms';
import { clip, messageOf } from './error-text';
import type { SessionLedger } from './job-session-types';

export interface RentalRecord {
  /** The accepted rental's row and terms; throws what the ledger throws (the session fails with it). */
  open(key: RentalKey, networkId: string, terms: JobTerms): void;
  /** Tells the UI the row changed. */
  changed(): void;
  setStatus(status: RentalStatus, reason?: string | null): void;
  linkJob(localJobId: string): void;
  /** Whole billed seconds. */
  setSecondsRun(billedMs: number): void;
  /** The renter's vouchers fell behind at `stalledAt` (epoch ms), or caught up (null). */
  setStalled(stalledAt: number | null): void;
  /** The highest stored voucher's amount (0 before the first). */
  signed(): bigint;
}

/**
 * A session's rental in the earnings ledger, each change told to the UI. After `open`, a failed write is
 * logged rather than thrown, so bookkeeping never ends a job the renter is paying for. Nothing is written
 * while `key()` is null (before the rental is accepted).
 */
export function createRentalRecord(deps: {
  ledger: SessionLedger;
  logger: Logger;
  now(): number;
  key(): RentalKey | null;
  onRentalChange?(rental: Rental): void;
}): RentalRecord {
  const { ledger, logger, now } = deps;
  const changed = () => {
    const key = deps.key();
    if (!key) return;
    try {
      const rental = ledger.get(key);
      if (rental) deps.onRentalChange?.(rental);
    } catch (error) {
      logger.warn(`Rental ${key.escrowJobId}: could not report its change: ${messageOf(error)}`);
    }
  };
  return {
    open(key, networkId, terms) {
      ledger.open(
        {
          ...key,
          networkId,
          token: terms.token,
          renter: terms.renter,
          provider: terms.provider,
          pricePerSecond: terms.pricePerSecond,
          deposit: terms.deposit,
          maxSeconds: Number(terms.maxSeconds),
          specHash: terms.specHash,
        },
        now(),
      );
      ledger.saveTerms(key, terms, now());
      changed();
    },
    changed,
    setStatus(status, reason = null) {
      const key = deps.key();
      if (!key) return;
      try {
        ledger.setStatus(key, status, now(), reason === null ? null : clip(reason));
      } catch (error) {
        logger.warn(`Rental ${key.escrowJobId}: could not record status ${status}: ${messageOf(error)}`);
        return;
      }
      changed();
    },
    linkJob(localJobId) {
      const key = deps.key();
      if (!key) return;
      try {
        ledger.linkJob(key, localJobId, now());
      } catch (error) {
        logger.warn(`Rental ${key.escrowJobId}: could not link job ${localJobId}: ${messageOf(error)}`);
      }
    },
    setSecondsRun(billedMs) {
      const key = deps.key();
      if (!key) return;
      try {
        ledger.setSecondsRun(key, Math.floor(billedMs / 1000), now());
      } catch (error) {
        logger.warn(`Rental ${key.escrowJobId}: could not record its time: ${messageOf(error)}`);
      }
    },
    setStalled(stalledAt) {
      const key = deps.key();
      if (!key) return;
      try {
        ledger.setStalled(key, stalledAt, now());
      } catch (error) {
        logger.warn(`Rental ${key.escrowJobId}: could not record the renter's payments: ${messageOf(error)}`);
        return;
      }
      changed();
    },
    signed() {
      const key = deps.key();
      return key ? (ledger.get(key)?.signed ?? 0n) : 0n;
    },
  };
}
