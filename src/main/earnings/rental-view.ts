import { formatUnits } from 'ethers';
import type { RentalView, TokenAmount } from '../../shared/schemas/earnings';
import type { Network } from '../../shared/schemas/network';
import type { Rental, RentalKey } from './ledger-repository';

/** `<chainId>:<escrow>:<job id>`, lower-case: a rental's one name across networks. */
export function rentalKeyString(key: RentalKey): string {
  return `${key.chainId}:${key.escrow.toLowerCase()}:${key.escrowJobId.toLowerCase()}`;
}

function amount(units: bigint, token: string, network: Network | undefined): TokenAmount {
  const known =
    network?.token && network.token.address.toLowerCase() === token.toLowerCase() ? network.token : null;
  const decimals = known?.decimals ?? 18;
  return {
    token,
    symbol: known?.symbol ?? '?',
    decimals,
    units: units.toString(),
    formatted: formatUnits(units, decimals),
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A ledger row as the Jobs page shows it, amounts named by the network's token. */
export function rentalView(rental: Rental, networks: readonly Network[]): RentalView {
  const network = networks.find((n) => n.id === rental.networkId);
  const money = (units: bigint) => amount(units, rental.token, network);
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
