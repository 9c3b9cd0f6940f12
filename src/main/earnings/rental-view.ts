import type { RentalView } from '../../shared/schemas/earnings';
import type { Network } from '../../shared/schemas/network';
import type { Rental, RentalKey } from './ledger-repository';
import { tokenAmount } from './token-amount';

/** `<chainId>:<escrow>:<job id>`, lower-case: a rental's one name across networks. */
export function rentalKeyString(key: RentalKey): string {
  return `${key.chainId}:${key.escrow.toLowerCase()}:${key.escrowJobId.toLowerCase()}`;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A ledger row as the Jobs page shows it, amounts named by the network's token. */
export function rentalView(rental: Rental, networks: readonly Network[]): RentalView {
  const network = networks.find((n) => n.id === rental.networkId);
  const money = (units: bigint) => tokenAmount(units, rental.token, [network]);
  return {
    key: rentalKeyString(rental),
    escrowJobId: rental.escrowJobId,
    networkId: rental.networkId,
    networkName: network?.name ?? rental.networkId,
    renter: rental.renter,
    status: rental.status,
    reason: rental.reason,
    localJobId: rental.localJobId,
    pricePerHour: money(rental.pricePerSecond * 3600n),
    deposit: money(rental.deposit),
    earned: money(rental.signed),
    redeemed: money(rental.redeemed),
    secondsRun: Math.max(0, Math.floor(rental.secondsRun)),
    createdAt: iso(rental.createdAt)!,
    startedAt: iso(rental.startedAt),
    endedAt: iso(rental.endedAt),
  };
}
