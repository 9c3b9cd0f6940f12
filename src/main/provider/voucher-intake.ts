import { hexlify, getBytes } from 'ethers';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { LedgerRepository, RentalKey } from '../earnings/ledger-repository';
import type { JobTerms } from '../market/job-terms';
import type { SignedVoucher } from '../market/voucher';
import { checkVoucher, VOUCHER_DEFAULTS, type VoucherRefusalCode } from './voucher-policy';

export type VoucherIntakeCode = VoucherRefusalCode | 'unknown-job';

export type VoucherIntakeOutcome =
  | { ok: true; cumulativeAmount: bigint; delta: bigint }
  | { ok: false; code: VoucherIntakeCode; reason: string };

export interface VoucherIntakeOptions {
  ledger: Pick<LedgerRepository, 'get' | 'recordVoucher'>;
  clock: Clock;
  logger: Logger;
  /** How many seconds ahead of the running time a renter may pay (default 30). */
  graceSeconds?: number;
}

/**
 * Where the provider takes in a renter's vouchers: each is checked (`checkVoucher`) and stored in the
 * earnings ledger before `accept` returns ok, and only then may the caller acknowledge it to the renter.
 * A refused voucher stores nothing.
 *
 * Durability: `recordVoucher` is one SQLite transaction, committed when it returns. The database runs in
 * WAL mode with synchronous=NORMAL (`openDatabase`): the commit is written to the WAL file (into the OS's
 * page cache) before the call returns, so it survives the provider process dying at any moment after that,
 * SIGKILL included, which is the failure this must survive (test/unit/provider/voucher-intake.test.ts kills
 * a child mid-loop). What NORMAL does not promise is survival of an OS crash or power cut before the next
 * checkpoint syncs the WAL; that also ends the job, and vouchers being cumulative, what could be lost is
 * only what was signed since the last synced voucher. synchronous=FULL on the ledger's connection would
 * close that too, at one fsync per voucher.
 *
 * `accept` is synchronous (signature recovery and better-sqlite3 both are), so no other voucher for the
 * same job can slip in between the read of the stored total and the write.
 */
export function createVoucherIntake(options: VoucherIntakeOptions) {
  const graceSeconds = options.graceSeconds ?? VOUCHER_DEFAULTS.graceSeconds;

  const refused = (key: RentalKey, code: VoucherIntakeCode, reason: string): VoucherIntakeOutcome => {
    options.logger.warn(
      `Refused a voucher for job ${key.escrowJobId} on chain ${key.chainId}: ${code}: ${reason}`,
    );
    return { ok: false, code, reason };
  };

  return {
    /**
     * Checks and stores one voucher for the rental `key` (its escrow, chain and job id), whose terms are
     * `terms`, after `billedSeconds` of running time. Returns ok only once the voucher is committed.
     */
    accept(
      key: RentalKey,
      terms: JobTerms,
      voucher: SignedVoucher,
      billedSeconds: number,
    ): VoucherIntakeOutcome {
      const rental = options.ledger.get(key);
      if (!rental) return refused(key, 'unknown-job', 'The ledger has no rental for this job.');
      const check = checkVoucher({
        terms,
        jobId: key.escrowJobId,
        domain: { chainId: BigInt(key.chainId), verifyingContract: key.escrow },
        voucher,
        latest: rental.signed,
        billedSeconds,
        graceSeconds,
      });
      if (!check.ok) return refused(key, check.code, check.reason);
      const signature = hexlify(getBytes(voucher.signature));
      const at = options.clock.now().getTime();
      const stored = options.ledger.recordVoucher(key, voucher.cumulativeAmount, signature, at);
      // The ledger re-checks against its own row (it is the ground truth); with the check above, it
      // can refuse only if the rental's stored deposit differs from the terms'.
      if (!stored.stored)
        return refused(key, stored.reason, `The ledger refused the voucher (${stored.reason}).`);
      return { ok: true, cumulativeAmount: voucher.cumulativeAmount, delta: stored.delta };
    },
  };
}

export type VoucherIntake = ReturnType<typeof createVoucherIntake>;
