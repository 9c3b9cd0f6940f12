import { describe, expect, it } from 'vitest';
import { feedCurrency, judgeFeed, ownerRate, FEED_STALE_MS } from '../../../src/main/earnings/fiat-rate';

const now = Date.UTC(2026, 11, 6, 12);
const reading = (patch: Partial<Parameters<typeof judgeFeed>[0]> = {}) => ({
  description: 'tUSD / EUR',
  decimals: 8,
  answer: 92_000_000n,
  updatedAt: BigInt(Math.floor((now - 3_600_000) / 1000)),
  ...patch,
});

describe('fiat rates', () => {
  it('reads the currency a feed prices in from its description', () => {
    expect(feedCurrency('ETH / USD')).toBe('USD');
    expect(feedCurrency('USDC/eur ')).toBe('EUR');
    expect(feedCurrency('Total supply')).toBeNull();
  });

  it('takes a fresh feed in the owner’s currency at its decimals', () => {
    const judged = judgeFeed(reading(), 'eur', now);
    expect(judged).toMatchObject({ rate: 0.92 });
    expect('note' in judged && judged.note).toContain('tUSD / EUR');
  });

  it('refuses a feed in another currency, a stale one and a non-price, each with the reason', () => {
    expect(judgeFeed(reading(), 'USD', now)).toEqual({
      problem: 'it prices in EUR, and your currency is USD',
    });
    const stale = BigInt(Math.floor((now - FEED_STALE_MS - 1000) / 1000));
    expect(judgeFeed(reading({ updatedAt: stale }), 'EUR', now)).toMatchObject({
      problem: expect.stringContaining('has not been updated since'),
    });
    expect(judgeFeed(reading({ answer: 0n }), 'EUR', now)).toEqual({
      problem: 'its latest answer is not a price',
    });
    expect(judgeFeed(reading({ answer: -5n }), 'EUR', now)).toEqual({
      problem: 'its latest answer is not a price',
    });
    expect(judgeFeed(reading({ description: 'mystery' }), 'EUR', now)).toMatchObject({
      problem: expect.stringContaining('names no currency'),
    });
  });

  it('says why the owner’s rate is used when a feed was there', () => {
    expect(ownerRate(0.9, 'EUR')).toEqual({
      rate: 0.9,
      currency: 'EUR',
      source: 'owner',
      note: 'your rate from Settings',
    });
    expect(ownerRate(0.9, 'EUR', 'it is stale').note).toContain('it is stale');
  });
});
