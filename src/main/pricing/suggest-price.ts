import { parseUnits } from 'ethers';
import type { Tariff } from './market-stream';
import type { PowerSource } from './owner-setup';

/**
 * Auto-pricing (issue 9, item 4), pure: a price per hour for the offer from what the market pays for
 * similar cards, the owner's benchmark, and the owner's costs, with the reasoning in words.
 *
 * 1. Costs: electricity under load (power x the tariff, on average over the hours the GPU is for rent)
 *    plus MARGIN_PCT, and never below the owner's floor: the least worth asking.
 * 2. The market, in the offer's token (the owner's own offer left out): what renters paid in recent jobs
 *    (JobEscrow's JobOpened) for cards within SIMILAR_PCT of the owner's benchmark, else what such cards
 *    ask (ProviderRegistry); with no similar card, the market's median price per GFLOP/s times the
 *    owner's benchmark; without a benchmark, every offer.
 * 3. The suggestion is the market's median, raised to the least worth asking if it is below; with no
 *    market data, the least worth asking; with nothing at all to go by, the current price.
 */

/** Cards within this much of the owner's benchmark count as similar. */
export const SIMILAR_PCT = 20;
/** Added to electricity for wear, the owner's time and idle hours. */
export const MARGIN_PCT = 25;

export interface OfferPrice {
  provider: string;
  /** Benchmark GFLOP/s the offer publishes; 0 when unmeasured. */
  gflops: number;
  /** Whole tokens per hour. */
  pricePerHour: number;
  available: boolean;
}

export interface PaidPrice {
  provider: string;
  /** Whole tokens per hour (the job's pricePerSecond x 3600). */
  pricePerHour: number;
  /** The provider's published benchmark, when its offer is known; 0 or null when not. */
  gflops: number | null;
}

export interface MarketData {
  /** The network's name, for the reasons. */
  network: string;
  /** Registered offers in the offer's token, the owner's own left out. */
  offers: readonly OfferPrice[];
  /** Jobs opened in the recent blocks, in the token, the owner's own left out. */
  paid: readonly PaidPrice[];
  /** How many recent blocks `paid` covers. */
  blocks: number;
}

export interface SuggestPriceInput {
  symbol: string;
  decimals: number;
  /** The offer's price now, whole tokens per hour. */
  currentPrice: number;
  /** The owner's latest benchmark (validated, not a software adapter), or null. */
  gflops: number | null;
  /** What was read from the chain, or why nothing could be. */
  market: MarketData | { unavailable: string };
  /** Electricity in tokens per kWh (flat, or 24 by local hour). */
  tariff: Tariff;
  power: { watts: number; source: PowerSource };
  /** Quarter-hours for rent per local hour of the day across the week (24 numbers); all 0: every hour. */
  rentalHours: readonly number[];
  /** The owner's floor, whole tokens per hour. */
  floorPerHour: number;
}

export interface PriceSuggestion {
  /** Whole tokens per hour, as the price setting takes it ("0.48"). */
  price: string;
  /** The same in the token's base units per hour. */
  units: bigint;
  symbol: string;
  /** What the suggestion rests on. */
  basis: 'paid' | 'asked' | 'per-gflops' | 'costs' | 'current';
  reasons: string[];
}

export function suggestPrice(input: SuggestPriceInput): PriceSuggestion {
  const { symbol, decimals } = input;
  const money = (x: number) => `${formatMoney(x)} ${symbol}/h`;
  const reasons: string[] = [];

  // 1. Costs.
  const energy = energyPerHour(input.tariff, input.power.watts, input.rentalHours);
  const powerText = `${Math.round(input.power.watts)} W, ${POWER_WORDS[input.power.source]}`;
  if (energy.high === 0)
    reasons.push('No electricity price is set in Settings, so electricity is not counted as a cost.');
  else if (energy.low === energy.high)
    reasons.push(`Electricity at your tariff costs ${money(energy.average)} under load (${powerText}).`);
  else
    reasons.push(
      `Electricity at your tariff costs ${formatMoney(energy.low)}–${money(energy.high)} under load ` +
        `(${powerText}), ${money(energy.average)} on average over the hours you rent out.`,
    );
  const withMargin = energy.average * (1 + MARGIN_PCT / 100);
  const least = Math.max(withMargin, input.floorPerHour);
  // The least worth asking as it would be set: rounded up, so what is said is what is suggested.
  const leastText = `${roundPrice(least, decimals, true).text} ${symbol}/h`;
  if (least > 0) {
    const floorWins = input.floorPerHour >= withMargin;
    reasons.push(
      floorWins
        ? `Your floor is ${money(input.floorPerHour)}${withMargin > 0 ? `, above electricity plus a ${MARGIN_PCT} % margin (${money(withMargin)})` : ''}: the least worth asking.`
        : `With a ${MARGIN_PCT} % margin over electricity, the least worth asking is ${leastText}.`,
    );
  }

  // 2. The market.
  const reference = marketReference(input, reasons, money);

  // 3. The suggestion.
  let price: number;
  let basis: PriceSuggestion['basis'];
  if (reference !== null) {
    basis = reference.basis;
    if (reference.price >= least) {
      price = reference.price;
      reasons.push(
        least > 0
          ? `Asking the market's median covers your costs and keeps your offer mid-table for renters, who rank offers by price per GFLOP/s.`
          : `Asking the market's median keeps your offer mid-table for renters, who rank offers by price per GFLOP/s.`,
      );
    } else {
      price = least;
      reasons.push(
        `The market pays less than the least worth asking, so the suggestion is ${leastText}; expect fewer renters at it.`,
      );
    }
  } else if (least > 0) {
    price = least;
    basis = 'costs';
    reasons.push(`With no market to compare with, the suggestion is the least worth asking.`);
  } else {
    price = input.currentPrice;
    basis = 'current';
    reasons.push('With no market data and no costs set, there is nothing to go by: keep your current price.');
  }

  const rounded = roundPrice(price, decimals, basis !== 'current' && price === least);
  if (rounded.raisedToMinimum)
    reasons.push(
      `A price is at least one base unit of ${symbol} per second: ${money(Number(rounded.text))} is the least an offer can ask.`,
    );
  if (Number(rounded.text) !== input.currentPrice)
    reasons.push(`Your price now is ${money(input.currentPrice)}.`);
  else reasons.push('That is your price now.');
  return { price: rounded.text, units: parseUnits(rounded.text, decimals), symbol, basis, reasons };
}

const POWER_WORDS: Record<PowerSource, string> = {
  measured: 'as measured under load',
  setting: 'as set in Settings',
  rated: 'the card’s rated power',
  default: 'assumed: no measurement, setting or rating',
};

/** Electricity per hour under load, in tokens: cheapest, dearest and average over the rental hours. */
export function energyPerHour(
  tariff: Tariff,
  watts: number,
  rentalHours: readonly number[],
): { low: number; high: number; average: number } {
  const kw = watts / 1000;
  if (typeof tariff === 'number') return { low: kw * tariff, high: kw * tariff, average: kw * tariff };
  const anyHour = rentalHours.some((w) => w > 0);
  const hours = tariff.map((price, hour) => ({ price, weight: anyHour ? (rentalHours[hour] ?? 0) : 1 }));
  const used = hours.filter((h) => h.weight > 0);
  const total = used.reduce((s, h) => s + h.weight, 0);
  const average = used.reduce((s, h) => s + h.price * h.weight, 0) / total;
  return {
    low: kw * Math.min(...used.map((h) => h.price)),
    high: kw * Math.max(...used.map((h) => h.price)),
    average: kw * average,
  };
}

/** Quarter-hours for rent per local hour of the day, from the week's 672 slots ('1': for rent). */
export function rentalHoursOf(slots: string): number[] {
  const weights = Array.from({ length: 24 }, () => 0);
  for (let i = 0; i < slots.length; i++) if (slots[i] === '1') weights[Math.floor((i % 96) / 4)]! += 1;
  return weights;
}

function marketReference(
  input: SuggestPriceInput,
  reasons: string[],
  money: (x: number) => string,
): { price: number; basis: 'paid' | 'asked' | 'per-gflops' } | null {
  const { market, gflops, symbol } = input;
  if ('unavailable' in market) {
    reasons.push(`The market could not be read: ${market.unavailable}`);
    return null;
  }
  const offers = market.offers.filter((o) => o.pricePerHour > 0);
  const paid = market.paid.filter((p) => p.pricePerHour > 0);
  const recent =
    market.blocks > 0 ? `in the last ${market.blocks.toLocaleString('en-US')} blocks` : 'recently';
  if (offers.length === 0 && paid.length === 0) {
    reasons.push(
      `There are no other offers in ${symbol} on ${market.network}, nor jobs ${recent}, to compare with.`,
    );
    return null;
  }
  const range = (prices: number[]) => {
    const low = Math.min(...prices);
    const high = Math.max(...prices);
    return low === high ? money(low) : `${formatMoney(low)}–${money(high)}`;
  };

  if (gflops !== null && gflops > 0) {
    const similar = (g: number | null) =>
      g !== null && g > 0 && Math.abs(g - gflops) <= (gflops * SIMILAR_PCT) / 100;
    const paidSimilar = paid.filter((p) => similar(p.gflops)).map((p) => p.pricePerHour);
    const askedSimilar = offers.filter((o) => similar(o.gflops)).map((o) => o.pricePerHour);
    const cards = (n: number) =>
      `${n} similar card${n === 1 ? '' : 's'} (within ${SIMILAR_PCT} % of your ${formatGflops(gflops)} GFLOP/s)`;
    if (askedSimilar.length > 0)
      reasons.push(
        `${capital(cards(askedSimilar.length))} ask${askedSimilar.length === 1 ? 's' : ''} ${range(askedSimilar)}; the median is ${money(median(askedSimilar))}.`,
      );
    if (paidSimilar.length > 0) {
      const m = median(paidSimilar);
      reasons.push(
        `Renters paid ${range(paidSimilar)} in ${paidSimilar.length} job${paidSimilar.length === 1 ? '' : 's'} on similar cards ${recent}; the median is ${money(m)}.`,
      );
      return { price: m, basis: 'paid' };
    }
    if (askedSimilar.length > 0) return { price: median(askedSimilar), basis: 'asked' };

    // No similar card: price per GFLOP/s across measured cards, asked and paid.
    const perGflops = [
      ...offers.filter((o) => o.gflops > 0).map((o) => o.pricePerHour / o.gflops),
      ...paid.filter((p) => p.gflops !== null && p.gflops > 0).map((p) => p.pricePerHour / p.gflops!),
    ];
    if (perGflops.length > 0) {
      const rate = median(perGflops);
      const price = rate * gflops;
      reasons.push(
        `No card within ${SIMILAR_PCT} % of your ${formatGflops(gflops)} GFLOP/s is on ${market.network}; at the market's median of ` +
          `${formatMoney(rate * 1000)} ${symbol}/h per 1000 GFLOP/s, your card is worth ${money(price)}.`,
      );
      return { price, basis: 'per-gflops' };
    }
  } else {
    reasons.push(
      'Your card has no benchmark yet: run it on the GPUs page for a suggestion from similar cards.',
    );
  }

  // Every card alike: what was paid, else what is asked.
  if (paid.length > 0) {
    const prices = paid.map((p) => p.pricePerHour);
    reasons.push(
      `Renters paid ${range(prices)} in ${prices.length} job${prices.length === 1 ? '' : 's'} ${recent}, on every kind of card; the median is ${money(median(prices))}.`,
    );
    return { price: median(prices), basis: 'paid' };
  }
  const prices = offers.map((o) => o.pricePerHour);
  reasons.push(
    `${prices.length} offer${prices.length === 1 ? '' : 's'} on ${market.network}, on every kind of card, ask ${range(prices)}; the median is ${money(median(prices))}.`,
  );
  return { price: median(prices), basis: 'asked' };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Money for people: 2 decimals from 0.1 up, else 2 significant digits. */
export function formatMoney(x: number): string {
  if (x === 0) return '0';
  if (Math.abs(x) >= 0.1) return x.toFixed(2);
  return x.toPrecision(2).replace(/0+$/, '').replace(/\.$/, '');
}

function formatGflops(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/**
 * A price as the setting takes it: 3 significant digits (rounded up when it is the least worth asking,
 * so it stays at or above it), within the token's decimals, and at least one base unit per second.
 */
export function roundPrice(
  price: number,
  decimals: number,
  roundUp: boolean,
): { text: string; raisedToMinimum: boolean } {
  const unit = 10 ** -Math.min(decimals, 18);
  const minimum = 3600 * unit; // one base unit per second
  let value = Math.max(price, 0);
  let raisedToMinimum = false;
  if (value < minimum) {
    value = minimum;
    raisedToMinimum = true;
  }
  const magnitude = Math.floor(Math.log10(value));
  const places = Math.min(Math.max(0, 2 - magnitude), Math.min(decimals, 18));
  const scale = 10 ** places;
  const scaled = value * scale;
  // A hair of tolerance, so 0.48 stays 0.48 rather than rising to 0.481 from float noise.
  const rounded = roundUp ? Math.ceil(scaled - 1e-9) : Math.round(scaled);
  let text = trimZeros((rounded / scale).toFixed(places));
  if (Number(text) < minimum) text = trimZeros(minimum.toFixed(Math.min(decimals, 18)));
  return { text, raisedToMinimum };
}
