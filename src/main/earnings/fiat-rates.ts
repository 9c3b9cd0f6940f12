import type { FiatRateView } from '../../shared/schemas/earnings';
import type { Network } from '../../shared/schemas/network';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { judgeFeed, ownerRate, type FeedReading, type FiatRate } from './fiat-rate';

/** A feed's reading is reused this long; a failed read is tried again after it too. */
export const FEED_CACHE_MS = 10 * 60_000;
/** A feed that does not answer in this long is skipped for this read (the owner's rate is used). */
const FEED_TIMEOUT_MS = 5_000;

export interface FiatRatesDeps {
  settings(): { currency: string; tokenValue: number };
  readFeed(network: Network, address: string): Promise<FeedReading>;
  clock: Clock;
  logger: Logger;
}

/**
 * Today's rate of each network's payment token in the owner's currency: the network's `PriceFeed` when it
 * has one that prices in that currency and is fresh, else the owner's `tokenValue`. Feeds are read in the
 * background and cached, so `rate()` answers at once (the owner's rate until a feed's first answer).
 */
export function createFiatRates(deps: FiatRatesDeps) {
  const readings = new Map<string, { at: number; reading: FeedReading | null; error: string | null }>();
  const inFlight = new Map<string, Promise<void>>();
  const now = () => deps.clock.now().getTime();

  function refresh(network: Network): Promise<void> {
    const address = network.contracts.PriceFeed;
    if (!address) return Promise.resolve();
    const cached = readings.get(network.id);
    if (cached && now() - cached.at < FEED_CACHE_MS) return Promise.resolve();
    const running = inFlight.get(network.id);
    if (running) return running;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the feed did not answer in 5 s')), FEED_TIMEOUT_MS);
      timer.unref?.();
    });
    const read = Promise.race([deps.readFeed(network, address), timeout])
      .then(
        (reading) => void readings.set(network.id, { at: now(), reading, error: null }),
        (error: unknown) => {
          const message = (error as { shortMessage?: string }).shortMessage ?? (error as Error).message;
          deps.logger.warn(`Price feed of ${network.name}: ${message}`);
          readings.set(network.id, { at: now(), reading: null, error: `it could not be read (${message})` });
        },
      )
      .finally(() => {
        clearTimeout(timer);
        inFlight.delete(network.id);
      });
    inFlight.set(network.id, read);
    return read;
  }

  /** The rate as known now; starts a read of a feed whose answer is missing or old. */
  function rate(network: Network | undefined): FiatRate {
    const { currency, tokenValue } = deps.settings();
    if (!network?.contracts.PriceFeed) return ownerRate(tokenValue, currency);
    void refresh(network);
    const cached = readings.get(network.id);
    if (!cached) return ownerRate(tokenValue, currency, 'its first reading is under way');
    if (!cached.reading) return ownerRate(tokenValue, currency, cached.error);
    const judged = judgeFeed(cached.reading, currency, now());
    if ('problem' in judged) return ownerRate(tokenValue, currency, judged.problem);
    return { rate: judged.rate, currency: currency.toUpperCase(), source: 'feed', note: judged.note };
  }

  return {
    rate,
    /** The rate after reading the network's feed if it is due (booking and the overview wait for it). */
    async fresh(network: Network | undefined): Promise<FiatRate> {
      if (network) await refresh(network);
      return rate(network);
    },
    /** Every network's token at today's rate, feeds read first. */
    async views(networks: readonly Network[]): Promise<FiatRateView[]> {
      await Promise.all(networks.map(refresh));
      return networks.flatMap((n) => {
        if (!n.token) return [];
        const r = rate(n);
        return [
          {
            networkId: n.id,
            networkName: n.name,
            token: n.token.address,
            symbol: n.token.symbol,
            rate: r.rate,
            currency: r.currency,
            source: r.source,
            note: r.note,
          },
        ];
      });
    },
  };
}

export type FiatRates = ReturnType<typeof createFiatRates>;
