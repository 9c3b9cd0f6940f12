import type { Provider } from 'ethers';
import { getAddress } from 'ethers';
import { JobEscrowClient, parseEscrowEvents } from '../market/job-escrow';
import { ProviderRegistryClient } from '../market/provider-registry';
import type { MarketData, OfferPrice, PaidPrice } from './suggest-price';

/**
 * The market's prices on-chain, for the price suggestion: every registered offer in ProviderRegistry
 * (its price per hour and benchmark), and the jobs opened on JobEscrow over the recent blocks (the price
 * per second renters accepted), both in one token, the owner's own left out. Events are read in spans of
 * SPAN_BLOCKS (RPC nodes cap a log query's range), newest first, up to `blocks` back.
 */

export const RECENT_BLOCKS = 50_000;
const SPAN_BLOCKS = 10_000;

export interface ReadMarketOptions {
  provider: Provider;
  network: string;
  registry: string;
  /** JobEscrow, when the network has one (no recent jobs without it). */
  escrow: string | null;
  token: string;
  decimals: number;
  /** The owner's address, left out of both lists. */
  own: string | null;
  blocks?: number;
}

export async function readMarketPrices(options: ReadMarketOptions): Promise<MarketData> {
  const token = getAddress(options.token);
  const own = options.own === null ? null : getAddress(options.own);
  const scale = 10 ** options.decimals;
  const registry = new ProviderRegistryClient(options.registry, options.provider);

  const listed = (await registry.listProviders()).filter(
    (l) => l.registered && l.provider !== own && getAddress(l.offer.token) === token,
  );
  const gflopsOf = new Map<string, number>();
  const offers: OfferPrice[] = listed.map(({ provider, offer }) => {
    gflopsOf.set(provider, offer.gflops);
    return {
      provider,
      gflops: offer.gflops,
      pricePerHour: Number(offer.pricePerHour) / scale,
      available: offer.available,
    };
  });

  const paid: PaidPrice[] = [];
  let blocks = 0;
  if (options.escrow !== null) {
    const escrow = new JobEscrowClient(options.escrow, options.provider);
    const latest = await options.provider.getBlockNumber();
    const oldest = Math.max(0, latest - (options.blocks ?? RECENT_BLOCKS) + 1);
    for (let to = latest; to >= oldest; to -= SPAN_BLOCKS) {
      const from = Math.max(oldest, to - SPAN_BLOCKS + 1);
      const logs = await escrow.contract.queryFilter(escrow.contract.filters.JobOpened!(), from, to);
      for (const event of parseEscrowEvents(logs, escrow.address)) {
        if (event.name !== 'JobOpened') continue;
        const { terms } = event;
        const provider = getAddress(terms.provider);
        if (provider === own || getAddress(terms.token) !== token) continue;
        paid.push({
          provider,
          pricePerHour: Number(terms.pricePerSecond * 3600n) / scale,
          gflops: gflopsOf.get(provider) ?? null,
        });
      }
      blocks = latest - from + 1;
    }
  }
  return { network: options.network, offers, paid, blocks };
}
