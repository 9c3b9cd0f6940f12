import { OFFER_LIMITS, type Offer } from '../market/provider-registry';

/**
 * Pure decisions behind the offer publisher: which addresses renters can dial, the offer this machine
 * should have in ProviderRegistry, the one transaction that brings the chain there, and the debounce that
 * keeps availability flips from costing gas each time a game starts and stops.
 */

const bytes = (text: string) => new TextEncoder().encode(text).length;

/** How useful an address is to a renter elsewhere: lower first; null when nobody else can dial it. */
function addressRank(address: string, loopbackDialable: boolean): number | null {
  if (bytes(address) === 0 || bytes(address) > OFFER_LIMITS.multiaddrBytes) return null;
  const ip4 = /^\/ip4\/(\d+)\.(\d+)\.\d+\.\d+(\/|$)/.exec(address);
  const ip6 = /^\/ip6\/([0-9a-f:.]+)(\/|$)/i.exec(address);
  const loopback =
    (ip4 !== null && ip4[1] === '127') ||
    (ip6 !== null && /^(0*:)*:?0*1$/.test(ip6[1]!)) ||
    /^\/dns[46]?\/localhost\//.test(address);
  if (loopback) return loopbackDialable ? 3 : null;
  if (ip4) {
    const [a, b] = [Number(ip4[1]), Number(ip4[2])];
    if (a === 0 || (a === 169 && b === 254)) return null; // unspecified, link-local
    if (
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    )
      return 2; // a private network (or CGNAT): only neighbours reach it
  }
  if (ip6) {
    const head = ip6[1]!.toLowerCase();
    if (/^(0*:)*:?0*$/.test(head) || /^fe[89ab]/.test(head)) return null; // unspecified, link-local
    if (/^f[cd]/.test(head)) return 2; // unique local
  }
  return address.includes('/p2p-circuit') ? 1 : 0;
}

/**
 * The addresses worth publishing, best first (public, then relayed, then private networks), at most the
 * registry's 8: loopback only on the local devnet (where renters run on the same machine), never an
 * unspecified or link-local address, never one longer than the registry takes.
 */
export function dialableAddresses(addresses: readonly string[], loopbackDialable: boolean): string[] {
  const ranked = [...new Set(addresses)]
    .map((address) => ({ address, rank: addressRank(address, loopbackDialable) }))
    .filter((a): a is { address: string; rank: number } => a.rank !== null);
  return ranked
    .sort((a, b) => a.rank - b.rank) // stable: the node's own order within a rank
    .slice(0, OFFER_LIMITS.multiaddrs)
    .map((a) => a.address);
}

/** The longest prefix of `text` that fits in `max` UTF-8 bytes (never half a character). */
export function truncateBytes(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (bytes(out + ch) > max) break;
    out += ch;
  }
  return out;
}

export interface OfferGpu {
  model: string;
  vramMiB: number | null;
  /** The latest trustworthy benchmark in GFLOP/s, or null when none. */
  gflops: number | null;
}

export interface OfferInputs {
  peerId: string;
  addresses: readonly string[];
  /** The local devnet: renters dial loopback there. */
  loopbackDialable: boolean;
  gpus: readonly OfferGpu[];
  /** Token base units per hour; null when the network has no payment token or the price rounds to 0. */
  pricePerHour: bigint | null;
  token: string | null;
  available: boolean;
  networkName: string;
}

/** The offer this machine should publish, or why it has none (in the owner's words). */
export function buildOffer(input: OfferInputs): { ok: true; offer: Offer } | { ok: false; reason: string } {
  const gpu = input.gpus[0];
  if (!gpu) return { ok: false, reason: 'No GPU is detected yet, so there is nothing to offer.' };
  if (!gpu.vramMiB || gpu.vramMiB <= 0)
    return { ok: false, reason: `The memory size of ${gpu.model} is unknown, so it cannot be offered.` };
  if (!input.token)
    return {
      ok: false,
      reason: `${input.networkName} has no payment token, so there is no price to publish.`,
    };
  if (input.pricePerHour === null || input.pricePerHour <= 0n)
    return {
      ok: false,
      reason: `The price per hour is below one base unit of the token per second: raise it in Settings.`,
    };
  const model = truncateBytes(gpu.model.trim(), OFFER_LIMITS.gpuModelBytes) || 'Unknown GPU';
  const gflops = gpu.gflops && gpu.gflops > 0 ? Math.min(Math.floor(gpu.gflops), 2 ** 32 - 1) : 0;
  return {
    ok: true,
    offer: {
      peerId: input.peerId,
      multiaddrs: dialableAddresses(input.addresses, input.loopbackDialable),
      gpuModel: model,
      vramMiB: Math.min(Math.floor(gpu.vramMiB), 2 ** 32 - 1),
      gflops,
      pricePerHour: input.pricePerHour,
      token: input.token,
      available: input.available,
    },
  };
}

/** Everything but the available flag: a difference here needs update(), the 2-slot-plus-strings write. */
export function sameTerms(a: Offer, b: Offer): boolean {
  return (
    a.peerId === b.peerId &&
    a.multiaddrs.length === b.multiaddrs.length &&
    a.multiaddrs.every((m, i) => m === b.multiaddrs[i]) &&
    a.gpuModel === b.gpuModel &&
    a.vramMiB === b.vramMiB &&
    a.gflops === b.gflops &&
    a.pricePerHour === b.pricePerHour &&
    a.token.toLowerCase() === b.token.toLowerCase()
  );
}

/** What the chain should say: this offer, or (renting off, nothing to offer) at most an unavailable flag. */
export type WantedOffer = { kind: 'offer'; offer: Offer } | { kind: 'unavailable' };

export type PublicationStep =
  | { kind: 'none' }
  | { kind: 'register'; offer: Offer }
  | { kind: 'update'; offer: Offer }
  | { kind: 'setAvailable'; available: boolean };

/**
 * The one transaction that brings the chain to what is wanted, the cheapest that does: nothing when it
 * already matches, setAvailable when only the flag differs, update when a term differs (it writes the
 * flag too), register the first time. Going offline never retires: the offer and its place stay, marked
 * unavailable, and an unregistered provider publishes nothing.
 */
export function decidePublication(wanted: WantedOffer, onChain: Offer | undefined): PublicationStep {
  if (wanted.kind === 'unavailable')
    return onChain?.available ? { kind: 'setAvailable', available: false } : { kind: 'none' };
  if (!onChain) return { kind: 'register', offer: wanted.offer };
  if (!sameTerms(wanted.offer, onChain)) return { kind: 'update', offer: wanted.offer };
  if (wanted.offer.available !== onChain.available)
    return { kind: 'setAvailable', available: wanted.offer.available };
  return { kind: 'none' };
}

/** The debounce of the available flag: `raw` as availability says it now, `settled` as it may be published. */
export interface AvailabilityDebounce {
  raw: boolean;
  /** When `raw` last changed (ms). */
  since: number;
  settled: boolean;
}

/**
 * Availability reaches the chain only once it has held for `debounceMs`: a flip and a flip back inside
 * that time publish nothing, and several flips publish one transaction at most. The first value seen is
 * settled at once (there is nothing to batch it with). `wakeAt` says when to look again, null when settled.
 */
export function settleAvailability(
  previous: AvailabilityDebounce | null,
  raw: boolean,
  now: number,
  debounceMs: number,
): { state: AvailabilityDebounce; wakeAt: number | null } {
  if (!previous) return { state: { raw, since: now, settled: raw }, wakeAt: null };
  const since = raw === previous.raw ? previous.since : now;
  const settled = raw !== previous.settled && now - since >= debounceMs ? raw : previous.settled;
  return { state: { raw, since, settled }, wakeAt: settled === raw ? null : since + debounceMs };
}
