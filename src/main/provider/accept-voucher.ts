import type { RentalKey } from '../earnings/ledger-repository';
import type { JobTerms } from '../market/job-terms';
import type { RenterMessage } from '../p2p/job-messages';
import { clip } from './error-text';
import type { SessionWriter } from './session-writer';
import type { VoucherIntake } from './voucher-intake';

/**
 * One `voucher` from the renter: checked and stored by the intake, then answered with a `voucher-ack`. The
 * ack is queued only after the intake returned, so a renter never hears ok for a voucher not yet stored.
 * True when it was stored.
 */
export function acceptVoucher(
  deps: { intake: Pick<VoucherIntake, 'accept'>; enqueue: SessionWriter['enqueue'] },
  rental: { key: RentalKey; terms: JobTerms; billedMs: number },
  message: Extract<RenterMessage, { type: 'voucher' }>,
): boolean {
  const { key } = rental;
  const outcome = deps.intake.accept(
    key,
    rental.terms,
    {
      jobId: key.escrowJobId,
      cumulativeAmount: BigInt(message.cumulativeAmount),
      signature: message.signature,
    },
    rental.billedMs / 1000,
  );
  if (outcome.ok) {
    void deps.enqueue(() => ({
      v: 1,
      type: 'voucher-ack',
      ok: true,
      cumulativeAmount: outcome.cumulativeAmount.toString(),
    }));
    return true;
  }
  void deps.enqueue(() => ({
    v: 1,
    type: 'voucher-ack',
    ok: false,
    code: outcome.code,
    reason: clip(outcome.reason),
  }));
  return false;
}
