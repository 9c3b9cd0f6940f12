import { formatUnits, getAddress } from 'ethers';
import type { Offer, Reputation } from '../market/provider-registry';

/**
 * Which registry offers a renter should ask for a quote, best first (pure). An offer is left out, with the
 * reason in words, when it cannot take the job; the rest are ordered by what a unit of work costs.
 */

/** One provider as ProviderRegistry lists it, with its reputation counters. */
export interface RegistryEntry {
  /** The provider's EVM address (paid by the escrow; the quote must be signed by it). */
  provider: string;
  offer: Offer;
  /** False for a retired provider (its offer is empty). */
  registered: boolean;
  reputation: Reputation;
}

export interface RankCriteria {
  /** The network's payment token: offers in another token are left out. */
  token: string;
  /** GPU memory the job needs, MiB (0: any). */
  vramMiB: number;
  /** The most the renter pays, token base units per hour (--max-price). */
  maxPricePerHour?: bigint;
  /** Only this provider (--provider): a peer id, or the provider's EVM address. */
  provider?: string;
  /** The token's decimals and symbol, to give prices in words (else base units). */
  tokenUnits?: { decimals: number; symbol: string };
}

export type ExclusionCode =
  'retired' | 'not-chosen' | 'token' | 'unavailable' | 'vram' | 'price' | 'no-address';

export interface ExcludedOffer {
  provider: string;
  peerId: string;
  code: ExclusionCode;
  /** In words, for people ("24576 MiB of VRAM, the job needs 32768"). */
  reason: string;
}

export interface Ranking {
  /** Offers that can take the job, best first. */
  candidates: RegistryEntry[];
  /** Every other offer, in registry order, with why it was left out. */
  excluded: ExcludedOffer[];
}

/**
 * Filters, in this order (the first that applies is the reason given): retired; not the --provider asked
 * for; paid in another token; not available now; too little VRAM; above --max-price; no address to dial.
 *
 * Order of the rest, first key first:
 * 1. Effective price per GFLOP/s: `pricePerHour / gflops × (1 + refunded / (settled + refunded + 1))`.
 *    The reputation penalty multiplies the price by 1 plus the share of the provider's closed jobs that were
 *    refunded (jobs it started and was paid nothing for), so it costs at most double; the `+ 1` counts one
 *    imaginary good job, so a single refund of a new provider is a penalty of 1.5x, not 2x. Unmeasured
 *    cards (gflops 0) come after every measured one, ordered among themselves by the same formula with
 *    gflops taken as 1. Compared exactly, in integers (cross-multiplied).
 * 2. Tie-breaker: more jobs settled (paid) first, then fewer refunded.
 * 3. The lower price per hour.
 * 4. Stable last key: the provider's address (lower-case), then the peer id.
 */
export function rankOffers(entries: readonly RegistryEntry[], criteria: RankCriteria): Ranking {
  const candidates: RegistryEntry[] = [];
  const excluded: ExcludedOffer[] = [];
  const token = getAddress(criteria.token);
  for (const entry of entries) {
    const reason = exclusion(entry, criteria, token);
    if (reason) excluded.push({ provider: entry.provider, peerId: entry.offer.peerId, ...reason });
    else candidates.push(entry);
  }
  candidates.sort(compareEntries);
  return { candidates, excluded };
}

function exclusion(
  entry: RegistryEntry,
  criteria: RankCriteria,
  token: string,
): { code: ExclusionCode; reason: string } | null {
  const { offer } = entry;
  if (!entry.registered) return { code: 'retired', reason: 'the provider has retired its offer' };
  if (criteria.provider !== undefined && !isChosen(entry, criteria.provider))
    return { code: 'not-chosen', reason: `not the provider asked for (${criteria.provider})` };
  if (getAddress(offer.token) !== token)
    return { code: 'token', reason: `paid in token ${offer.token}, not the network's ${token}` };
  if (!offer.available) return { code: 'unavailable', reason: 'not available now' };
  if (offer.vramMiB < criteria.vramMiB)
    return {
      code: 'vram',
      reason: `${offer.vramMiB} MiB of GPU memory, the job needs ${criteria.vramMiB} MiB`,
    };
  if (criteria.maxPricePerHour !== undefined && offer.pricePerHour > criteria.maxPricePerHour)
    return {
      code: 'price',
      reason: `${perHour(offer.pricePerHour, criteria)} is above the maximum of ${perHour(criteria.maxPricePerHour, criteria)}`,
    };
  if (offer.multiaddrs.length === 0)
    return { code: 'no-address', reason: 'the offer lists no address to reach the provider at' };
  return null;
}

/** "0.9 tUSD per hour", or "900000 base units per hour" when the token is not known. */
export function perHour(units: bigint, criteria: Pick<RankCriteria, 'tokenUnits'>): string {
  const t = criteria.tokenUnits;
  return t ? `${formatUnits(units, t.decimals)} ${t.symbol} per hour` : `${units} base units per hour`;
}

function isChosen(entry: RegistryEntry, wanted: string): boolean {
  if (/^0x[0-9a-fA-F]{40}$/.test(wanted)) return wanted.toLowerCase() === entry.provider.toLowerCase();
  return wanted === entry.offer.peerId;
}

/** The effective price per GFLOP/s as a fraction (numerator, denominator), reputation penalty included. */
function effectiveCost(entry: RegistryEntry): { num: bigint; den: bigint } {
  const settled = entry.reputation.jobsSettled;
  const refunded = entry.reputation.jobsRefunded;
  const gflops = BigInt(entry.offer.gflops > 0 ? entry.offer.gflops : 1);
  // price / gflops × (settled + 2·refunded + 1) / (settled + refunded + 1)
  return {
    num: entry.offer.pricePerHour * (settled + 2n * refunded + 1n),
    den: gflops * (settled + refunded + 1n),
  };
}

function sign(value: bigint): number {
  return value < 0n ? -1 : value > 0n ? 1 : 0;
}

export function compareEntries(a: RegistryEntry, b: RegistryEntry): number {
  const measuredA = a.offer.gflops > 0 ? 0 : 1;
  const measuredB = b.offer.gflops > 0 ? 0 : 1;
  if (measuredA !== measuredB) return measuredA - measuredB;
  const ca = effectiveCost(a);
  const cb = effectiveCost(b);
  const byCost = sign(ca.num * cb.den - cb.num * ca.den);
  if (byCost !== 0) return byCost;
  const bySettled = sign(b.reputation.jobsSettled - a.reputation.jobsSettled);
  if (bySettled !== 0) return bySettled;
  const byRefunded = sign(a.reputation.jobsRefunded - b.reputation.jobsRefunded);
  if (byRefunded !== 0) return byRefunded;
  const byPrice = sign(a.offer.pricePerHour - b.offer.pricePerHour);
  if (byPrice !== 0) return byPrice;
  const pa = a.provider.toLowerCase();
  const pb = b.provider.toLowerCase();
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a.offer.peerId < b.offer.peerId ? -1 : a.offer.peerId > b.offer.peerId ? 1 : 0;
}
