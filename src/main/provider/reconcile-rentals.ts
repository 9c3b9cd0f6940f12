import type { LedgerRepository, Rental, RentalStatus } from '../earnings/ledger-repository';

/** Statuses that mean a session was live: after a restart no session is, so these rentals were cut off. */
const LIVE: readonly RentalStatus[] = ['opened', 'running', 'paused'];

export const LOST_RENTAL_REASON =
  'Nocturne stopped during the rental and the job was lost; what the renter signed is redeemed.';

/**
 * At start-up, before the provider node takes renters: every rental the ledger still shows live belonged
 * to a session of the process that died (crash, SIGKILL, power cut), whose job the job runner reconciles as
 * lost. Each is marked 'failed', which makes settlement redeem its last stored voucher (the vouchers
 * themselves are untouched: every acknowledged one is still there). Returns the rentals it marked.
 */
export function reconcileRentals(
  ledger: Pick<LedgerRepository, 'withStatus' | 'setStatus' | 'get'>,
  at: number,
): Rental[] {
  const cut = ledger.withStatus(...LIVE);
  for (const rental of cut) ledger.setStatus(rental, 'failed', at, LOST_RENTAL_REASON);
  return cut.map((rental) => ledger.get(rental)!);
}

/**
 * At start-up, after reconcileRentals: rentals that ended with nothing signed whose job may still hold the
 * renter's deposit on-chain, for settlement to close with finish (the whole deposit back to the renter at
 * once, rather than after the escrow's deadline): those cut off by a stop before any voucher (the job may
 * have been started on-chain), and 'ended' ones whose session stopped before its own refund completed.
 * Closing one changes its status or reason, so it is found here only until it is dealt with.
 */
export function unpaidRentals(ledger: Pick<LedgerRepository, 'withStatus'>): Rental[] {
  return ledger
    .withStatus('ended', 'failed')
    .filter(
      (rental) =>
        rental.signed === 0n &&
        (rental.status === 'ended' || (rental.status === 'failed' && rental.reason === LOST_RENTAL_REASON)),
    );
}
