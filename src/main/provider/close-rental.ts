import type { JobSummary } from '../../shared/schemas/job';
import type { Logger } from '../core/logger';
import type { RentalKey } from '../earnings/ledger-repository';
import type { JobTerms } from '../market/job-terms';
import { messageOf } from './error-text';
import type { JobSessionDeps, SessionEscrow } from './job-session-types';
import type { RentalRecord } from './rental-record';

interface CloseRentalDeps {
  escrow: SessionEscrow;
  key: RentalKey;
  terms: JobTerms;
  record: Pick<RentalRecord, 'signed' | 'setStatus'>;
  logger: Logger;
  settlement: JobSessionDeps['settlement'];
}

/**
 * Step 8 of a session, once its job ended and the renter was answered: the rental's last status in the
 * ledger (with why the outputs were withheld, if they were), the refund of a job that ran for nothing,
 * and settlement told there is a voucher to redeem.
 */
export async function closeRental(
  deps: CloseRentalDeps,
  end: { summary: JobSummary; owed: bigint; unpaid: boolean; outputsSent: boolean },
): Promise<void> {
  const { summary, owed } = end;
  const { record } = deps;
  const reason = [
    summary.reason,
    end.unpaid ? `outputs withheld: ${record.signed()} of ${owed} signed` : null,
  ]
    .filter((part) => part !== null)
    .join('; ');
  record.setStatus(
    summary.status === 'failed' || summary.status === 'lost' ? 'failed' : 'ended',
    reason || null,
  );
  await refundIfUnpaid(deps);
  deps.settlement?.poke();
  if (end.outputsSent) deps.logger.info(`Rental ${deps.key.escrowJobId}: outputs sent (${owed} owed, paid)`);
}

/**
 * A started job that ended with nothing signed is closed with finish(terms) at once, so the deposit goes
 * back to the renter now rather than after the reclaim deadline. A failure here is logged only.
 */
async function refundIfUnpaid(deps: CloseRentalDeps): Promise<void> {
  const { key, logger } = deps;
  try {
    if (deps.record.signed() > 0n) return;
    const state = await deps.escrow.jobState(key.escrowJobId);
    if (state.status !== 'Open' && state.status !== 'Started') return;
    const { receipt } = await deps.escrow.finish(deps.terms);
    logger.info(
      `Rental ${key.escrowJobId}: nothing signed; finished it and refunded the deposit (${receipt.hash})`,
    );
    deps.record.setStatus('refunded', 'Nothing was signed: the whole deposit went back to the renter.');
  } catch (error) {
    logger.warn(`Rental ${key.escrowJobId}: could not refund the deposit: ${messageOf(error)}`);
  }
}
