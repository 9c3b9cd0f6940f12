import { parseUnits } from 'ethers';
import type { Network } from '../../shared/schemas/network';
import type { Settings } from '../../shared/schemas/settings';
import type { QuoteOffer } from '../p2p/decide-quote';

/**
 * The offer renters are quoted, from the owner's settings and the selected network's payment token: the
 * hourly price in whole tokens becomes a per-second price in base units (rounded down, never to zero).
 */
export function offerFromSettings(settings: Settings, network: Network): QuoteOffer[] {
  if (!network.token) return [];
  const perHour = parseUnits(settings.offerPricePerHour, network.token.decimals);
  const perSecond = perHour / 3600n;
  if (perSecond === 0n) return [];
  return [
    {
      chainId: network.chainId,
      token: network.token.address,
      pricePerSecond: perSecond,
      maxSeconds: settings.offerMaxHours * 3600,
      decimals: network.token.decimals,
    },
  ];
}
