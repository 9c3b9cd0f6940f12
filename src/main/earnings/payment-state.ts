import type { RentalStatus } from './ledger-repository';

/**
 * Where a rental's money stands, from the provider's side: nothing signed; signed by the renter while the
 * job is live (not yet due); pending redemption (ended, not all paid out); settled (all paid out).
 */
export type PaymentState = 'none' | 'signed' | 'pending' | 'settled';

const LIVE = new Set<RentalStatus>(['opened', 'running', 'paused']);

export function paymentState(rental: {
  status: RentalStatus;
  signed: bigint;
  redeemed: bigint;
}): PaymentState {
  if (rental.signed === 0n) return 'none';
  if (rental.redeemed >= rental.signed) return 'settled';
  return LIVE.has(rental.status) ? 'signed' : 'pending';
}

export const isLive = (status: RentalStatus) => LIVE.has(status);
