import { describe, expect, it } from 'vitest';
import { windowsToSlots } from '../../../src/shared/schedule/windows';
import {
  energyPerHour,
  rentalHoursOf,
  roundPrice,
  suggestPrice,
  type MarketData,
  type SuggestPriceInput,
} from '../../../src/main/pricing/suggest-price';

const offer = (gflops: number, pricePerHour: number, provider = `0x${gflops}${pricePerHour}`) => ({
  provider,
  gflops,
  pricePerHour,
  available: true,
});

const market = (over: Partial<MarketData> = {}): MarketData => ({
  network: 'Local devnet',
  offers: [],
  paid: [],
  blocks: 50_000,
  ...over,
});

/** A 20,000 GFLOP/s card at its 250 W rating, electricity 0.28 a kWh (0.07 an hour), no floor. */
function input(over: Partial<SuggestPriceInput> = {}): SuggestPriceInput {
  return {
    symbol: 'tUSD',
    decimals: 6,
    currentPrice: 0.5,
    gflops: 20_000,
    market: market({
      offers: [offer(18_000, 0.4), offer(20_500, 0.48), offer(23_000, 0.55), offer(40_000, 1.2)],
    }),
    tariff: 0.28,
    power: { watts: 250, source: 'rated' },
    rentalHours: Array(24).fill(0),
    floorPerHour: 0,
    ...over,
  };
}

describe('suggestPrice', () => {
  it('asks the median of similar cards, and says why in words', () => {
    const s = suggestPrice(input());
    expect(s).toMatchObject({ price: '0.48', units: 480_000n, symbol: 'tUSD', basis: 'asked' });
    expect(s.reasons).toContain(
      'Electricity at your tariff costs 0.07 tUSD/h under load (250 W, the card’s rated power).',
    );
    expect(s.reasons).toContain(
      'With a 25 % margin over electricity, the least worth asking is 0.0875 tUSD/h.',
    );
    expect(s.reasons).toContain(
      '3 similar cards (within 20 % of your 20,000 GFLOP/s) ask 0.40–0.55 tUSD/h; the median is 0.48 tUSD/h.',
    );
    expect(s.reasons.join(' ')).toMatch(/mid-table/);
    expect(s.reasons.at(-1)).toBe('Your price now is 0.50 tUSD/h.');
  });

  it('prefers what renters paid on similar cards in recent jobs over what is asked', () => {
    const s = suggestPrice(
      input({
        market: market({
          offers: [offer(20_000, 0.4, '0xa')],
          paid: [
            { provider: '0xa', pricePerHour: 0.5, gflops: 20_000 },
            { provider: '0xb', pricePerHour: 0.6, gflops: 21_000 },
            { provider: '0xc', pricePerHour: 3, gflops: 80_000 },
          ],
        }),
      }),
    );
    expect(s).toMatchObject({ price: '0.55', basis: 'paid' });
    expect(s.reasons).toContain(
      'Renters paid 0.50–0.60 tUSD/h in 2 jobs on similar cards in the last 50,000 blocks; the median is 0.55 tUSD/h.',
    );
  });

  it('with no similar card, prices the benchmark at the market’s median per GFLOP/s', () => {
    const s = suggestPrice(input({ market: market({ offers: [offer(10_000, 0.25), offer(40_000, 1)] }) }));
    expect(s).toMatchObject({ price: '0.5', basis: 'per-gflops' });
    expect(s.reasons.join(' ')).toMatch(
      /No card within 20 % of your 20,000 GFLOP\/s .* 0.025 tUSD\/h per 1000 GFLOP\/s/,
    );
  });

  it('without a benchmark, compares with every offer and asks for one', () => {
    const s = suggestPrice(input({ gflops: null }));
    expect(s).toMatchObject({ price: '0.515', basis: 'asked' }); // median of 0.40, 0.48, 0.55, 1.2
    expect(s.reasons.join(' ')).toMatch(/no benchmark yet: run it on the GPUs page/);
  });

  it('never suggests below electricity plus the margin, and says the market pays less', () => {
    // 250 W at 4 a kWh: 1.00 an hour, 1.25 with the margin, above every similar card.
    const s = suggestPrice(input({ tariff: 4 }));
    expect(s).toMatchObject({ price: '1.25', basis: 'asked' });
    expect(s.reasons.join(' ')).toMatch(/The market pays less than the least worth asking/);
  });

  it('never suggests below the owner’s floor', () => {
    const s = suggestPrice(input({ floorPerHour: 0.6 }));
    expect(s.price).toBe('0.6');
    expect(s.reasons).toContain(
      'Your floor is 0.60 tUSD/h, above electricity plus a 25 % margin (0.088 tUSD/h): the least worth asking.',
    );
  });

  it('with no market data, says so and suggests what covers the costs', () => {
    const s = suggestPrice(input({ market: market() }));
    expect(s).toMatchObject({ price: '0.0875', basis: 'costs' });
    expect(s.reasons).toContain(
      'There are no other offers in tUSD on Local devnet, nor jobs in the last 50,000 blocks, to compare with.',
    );
  });

  it('with no market and no costs, keeps the current price', () => {
    const s = suggestPrice(input({ market: market(), tariff: 0 }));
    expect(s).toMatchObject({ price: '0.5', basis: 'current' });
    expect(s.reasons).toContain(
      'No electricity price is set in Settings, so electricity is not counted as a cost.',
    );
    expect(s.reasons.at(-1)).toBe('That is your price now.');
  });

  it('says when the market could not be read', () => {
    const s = suggestPrice(input({ market: { unavailable: 'Local devnet is unreachable.' } }));
    expect(s.basis).toBe('costs');
    expect(s.reasons).toContain('The market could not be read: Local devnet is unreachable.');
  });

  it('weighs a time-of-use tariff over the hours the GPU is for rent', () => {
    // 0.2 a kWh from 01:00 to 08:00, 0.4 otherwise; rented 01:00-08:00 only, at 250 W: 0.05 an hour.
    const tariff = Array.from({ length: 24 }, (_, h) => (h >= 1 && h < 8 ? 0.2 : 0.4));
    const rentalHours = rentalHoursOf(windowsToSlots(['mon-sun 01:00-08:00']));
    expect(energyPerHour(tariff, 250, rentalHours)).toEqual({ low: 0.05, high: 0.05, average: 0.05 });
    const always = energyPerHour(tariff, 250, Array(24).fill(0));
    expect(always.low).toBeCloseTo(0.05, 12);
    expect(always.high).toBeCloseTo(0.1, 12);
    expect(always.average).toBeCloseTo((7 * 0.05 + 17 * 0.1) / 24, 12);
    const s = suggestPrice(
      input({ tariff, rentalHours: Array(24).fill(0), power: { watts: 250, source: 'measured' } }),
    );
    expect(s.reasons[0]).toBe(
      'Electricity at your tariff costs 0.05–0.10 tUSD/h under load (250 W, as measured under load), 0.085 tUSD/h on average over the hours you rent out.',
    );
  });

  it('rounds to 3 significant digits, up when at the least worth asking, never below a base unit a second', () => {
    expect(roundPrice(0.48, 6, false)).toEqual({ text: '0.48', raisedToMinimum: false });
    expect(roundPrice(0.123456, 6, false).text).toBe('0.123');
    expect(roundPrice(0.123456, 6, true).text).toBe('0.124');
    expect(roundPrice(12.3456, 6, false).text).toBe('12.3');
    expect(roundPrice(0.001, 6, false)).toEqual({ text: '0.0036', raisedToMinimum: true });
    expect(roundPrice(0.5, 0, false)).toEqual({ text: '3600', raisedToMinimum: true });
  });
});
