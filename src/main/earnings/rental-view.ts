import type { RentalMoney, RentalView } from '../../shared/schemas/earnings';
import type { Network } from '../../shared/schemas/network';
import type { Rental, RentalKey } from './ledger-repository';
import { paymentState } from './payment-state';
import { tokenAmount } from './token-amount';

/** `<chainId>:<escrow>:<job id>`, lower-case: a rental's one name across networks. */
export function rentalKeyString(key: RentalKey): string {
  return `${key.chainId}:${key.escrow.toLowerCase()}:${key.escrowJobId.toLowerCase()}`;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A transaction's page on the network's block explorer; null where the network names none (the devnet). */
export function explorerTxUrl(
  network: Pick<Network, 'explorerUrl'> | undefined,
  txHash: string | null,
): string | null {
  if (!network?.explorerUrl || !txHash || !/^0x[0-9a-fA-F]{64}$/.test(txHash)) return null;
  return `${network.explorerUrl.replace(/\/+$/, '')}/tx/${txHash}`;
}

/** A ledger row as the Jobs and Earnings pages show it, amounts named by the network's token. */
export function rentalView(rental: Rental, networks: readonly Network[], money: RentalMoney): RentalView {
  const network = networks.find((n) => n.id === rental.networkId);
  const amount = (units: bigint) => tokenAmount(units, rental.token, [network]);
  return {
    key: rentalKeyString(rental),
    escrowJobId: rental.escrowJobId,
    networkId: rental.networkId,
    networkName: network?.name ?? rental.networkId,
    renter: rental.renter,
    status: rental.status,
    reason: rental.reason,
    localJobId: rental.localJobId,
    pricePerHour: amount(rental.pricePerSecond * 3600n),
    deposit: amount(rental.deposit),
    earned: amount(rental.signed),
    redeemed: amount(rental.redeemed),
    secondsRun: Math.max(0, Math.floor(rental.secondsRun)),
    createdAt: iso(rental.createdAt)!,
    startedAt: iso(rental.startedAt),
    endedAt: iso(rental.endedAt),
    payment: paymentState(rental),
    stalledSince: iso(rental.stalledAt),
    settleTx: rental.settleTx,
    txUrl: explorerTxUrl(network, rental.settleTx),
    money,
  };
}
