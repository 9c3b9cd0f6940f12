import { Contract, type Provider } from 'ethers';
import type { FeedReading } from './fiat-rate';

const AGGREGATOR_V3_ABI = [
  'function decimals() view returns (uint8)',
  'function description() view returns (string)',
  'function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)',
] as const;

/** One reading of an AggregatorV3 price feed (Chainlink's interface). */
export async function readPriceFeed(provider: Provider, address: string): Promise<FeedReading> {
  const feed = new Contract(address, AGGREGATOR_V3_ABI, provider);
  const [decimals, description, round] = await Promise.all([
    feed.getFunction('decimals')() as Promise<bigint>,
    feed.getFunction('description')() as Promise<string>,
    feed.getFunction('latestRoundData')() as Promise<[bigint, bigint, bigint, bigint, bigint]>,
  ]);
  return { decimals: Number(decimals), description, answer: round[1], updatedAt: round[3] };
}
