import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFiatRates } from '../../../src/main/earnings/fiat-rates';
import { readPriceFeed } from '../../../src/main/earnings/price-feed';
import type { Network } from '../../../src/shared/schemas/network';
import { startMarketChain, type MarketChain } from '../contracts/market-fixture';
import { createFakeClock } from '../../fakes/fake-clock';
import { createMemoryLogger } from '../../fakes/memory-logger';

// A network's price feed, read from a real contract on the devnet's engine: the AggregatorV3 calls that
// Chainlink's feeds answer, and the owner's rate where the feed cannot be used.
let chain: MarketChain;
beforeAll(async () => {
  chain = await startMarketChain();
}, 60_000);
afterAll(async () => chain?.close());

const network = (feed: string): Network => ({
  id: 'feedchain',
  name: 'Feed chain',
  chainId: 31337,
  rpcUrls: [],
  explorerUrl: null,
  nativeSymbol: 'ETH',
  token: { address: chain.token, symbol: 'tUSD', decimals: 6 },
  contracts: { PriceFeed: feed },
  builtin: false,
  selected: true,
});

describe('price feeds', () => {
  it('reads a feed’s answer on-chain and uses it while it is fresh and in the owner’s currency', async () => {
    const feed = await chain.deploy('TestPriceFeed', [8, 'tUSD / EUR']);
    const address = await feed.getAddress();
    const chainNow = await chain.now();
    await (await feed.getFunction('set')(93_500_000n, chainNow - 60n)).wait();
    expect(await readPriceFeed(chain.provider, address)).toEqual({
      decimals: 8,
      description: 'tUSD / EUR',
      answer: 93_500_000n,
      updatedAt: chainNow - 60n,
    });

    const clock = createFakeClock(new Date(Number(chainNow) * 1000).toISOString());
    let settings = { currency: 'EUR', tokenValue: 0.9 };
    let reads = 0;
    const rates = createFiatRates({
      settings: () => settings,
      readFeed: (_n, at) => {
        reads++;
        return readPriceFeed(chain.provider, at);
      },
      clock,
      logger: createMemoryLogger(),
    });
    const n = network(address);
    expect(await rates.fresh(n)).toMatchObject({ rate: 0.935, currency: 'EUR', source: 'feed' });
    await rates.fresh(n);
    expect(reads).toBe(1); // cached

    // The owner changes currency: the feed no longer fits, and the rate says why.
    settings = { currency: 'USD', tokenValue: 1.05 };
    expect(await rates.fresh(n)).toMatchObject({
      rate: 1.05,
      source: 'owner',
      note: expect.stringContaining('it prices in EUR, and your currency is USD'),
    });
    const [view] = await rates.views([n]);
    expect(view).toMatchObject({ networkName: 'Feed chain', symbol: 'tUSD', rate: 1.05, source: 'owner' });
  });

  it('falls back to the owner’s rate, with the reason, when the feed cannot be read', async () => {
    const logger = createMemoryLogger();
    const rates = createFiatRates({
      settings: () => ({ currency: 'EUR', tokenValue: 0.9 }),
      // An address with no contract: the call returns nothing to decode.
      readFeed: (_n, at) => readPriceFeed(chain.provider, at),
      clock: createFakeClock(),
      logger,
    });
    const rate = await rates.fresh(network('0x000000000000000000000000000000000000dEaD'));
    expect(rate).toMatchObject({
      rate: 0.9,
      source: 'owner',
      note: expect.stringContaining('could not be read'),
    });
    expect(
      logger.lines.some((l) => l.level === 'warn' && l.message.startsWith('Price feed of Feed chain')),
    ).toBe(true);
  });
});
