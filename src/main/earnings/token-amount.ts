import { formatUnits } from 'ethers';
import type { TokenAmount } from '../../shared/schemas/earnings';
import type { Network } from '../../shared/schemas/network';

/**
 * An amount of `token` named with the symbol and decimals of the first of `networks` whose payment token it
 * is; "?" and 18 decimals for a token no network names (a network removed since, say).
 */
export function tokenAmount(
  units: bigint,
  token: string,
  networks: readonly (Network | undefined)[],
): TokenAmount {
  const known = networks.find((n) => n?.token?.address.toLowerCase() === token.toLowerCase())?.token;
  const decimals = known?.decimals ?? 18;
  return {
    token,
    symbol: known?.symbol ?? '?',
    decimals,
    units: units.toString(),
    formatted: formatUnits(units, decimals),
  };
}
