import type { RentalView, TokenAmount } from '../../shared/schemas/earnings';
import { formatDuration } from './duration';

export { shortAddress } from '../../shared/short-address';

/** "1.25 tUSD": main's exact decimal text and the token's symbol. */
export function formatAmount(amount: Pick<TokenAmount, 'formatted' | 'symbol'>): string {
  return `${amount.formatted} ${amount.symbol}`;
}

/** "41 min 40 s"; "0 s" before the job has run. */
export function formatSeconds(seconds: number): string {
  return formatDuration(seconds * 1000);
}

// Words, not only colour, as for jobs and payments.
const statusWords: Record<RentalView['status'], string> = {
  opened: 'Opened',
  running: 'Running',
  paused: 'Paused',
  ended: 'Ended',
  settled: 'Settled',
  refunded: 'Refunded',
  failed: 'Failed',
};

export function rentalStatusWord(status: RentalView['status']): string {
  return statusWords[status];
}

/** The status in a sentence with its reason: "Paused: the owner is using the GPU." */
export function rentalStatusText(rental: Pick<RentalView, 'status' | 'reason'>): string {
  const word = rentalStatusWord(rental.status);
  const reason = rental.reason?.trim();
  return reason ? `${word}: ${reason}` : word;
}
