/**
 * What a payment token is worth in the owner's currency: a price feed's answer where the network has one
 * (a Chainlink-style AggregatorV3 named `PriceFeed` among the network's contracts) and it prices in the
 * owner's currency and is fresh, else the rate the owner set (the `tokenValue` setting). Pure; the feed is
 * read in price-feed.ts.
 */

export interface FeedReading {
  /** "tUSD / USD": the pair, as AggregatorV3's description() names it. */
  description: string;
  decimals: number;
  answer: bigint;
  /** Seconds since the epoch of the round's last update. */
  updatedAt: bigint;
}

export interface FiatRate {
  rate: number;
  currency: string;
  source: 'owner' | 'feed';
  /** In words: the feed and when it last moved, or why the owner's rate is used. */
  note: string;
}

/** A feed that has not moved for this long is stale (Chainlink feeds beat at most every 24 hours). */
export const FEED_STALE_MS = 25 * 3_600_000;

/** The currency a feed prices in: the part after the slash of "ETH / USD". */
export function feedCurrency(description: string): string | null {
  const match = /\/\s*([A-Za-z]{3,5})\s*$/.exec(description);
  return match ? match[1]!.toUpperCase() : null;
}

/** The feed's rate in `currency`, or why it cannot be used. */
export function judgeFeed(
  reading: FeedReading,
  currency: string,
  nowMs: number,
): { rate: number; note: string } | { problem: string } {
  const quoted = feedCurrency(reading.description);
  if (quoted === null) return { problem: `its description "${reading.description}" names no currency` };
  if (quoted !== currency.toUpperCase())
    return { problem: `it prices in ${quoted}, and your currency is ${currency.toUpperCase()}` };
  if (reading.answer <= 0n) return { problem: 'its latest answer is not a price' };
  const updatedMs = Number(reading.updatedAt) * 1000;
  if (!Number.isFinite(updatedMs) || nowMs - updatedMs > FEED_STALE_MS)
    return { problem: `it has not been updated since ${new Date(updatedMs).toISOString()}` };
  const rate = Number(reading.answer) / 10 ** reading.decimals;
  if (!Number.isFinite(rate) || rate <= 0) return { problem: 'its latest answer is not a price' };
  return { rate, note: `price feed ${reading.description}, updated ${new Date(updatedMs).toISOString()}` };
}

/** The owner's own rate, with the reason when a feed was there but could not be used. */
export function ownerRate(tokenValue: number, currency: string, feedProblem: string | null = null): FiatRate {
  return {
    rate: tokenValue,
    currency,
    source: 'owner',
    note: feedProblem
      ? `your rate from Settings (the network's price feed is not used: ${feedProblem})`
      : 'your rate from Settings',
  };
}
