import type { QuoteRequest, RefusalCode } from './messages';

/**
 * Whether this provider can quote a renter's request, and for how long at most. Pure: everything it looks
 * at is an argument, so every refusal is tested with a fixed `now`. Permanent reasons (network, runtime,
 * GPUs) come before passing ones (availability, a running job), so a renter learns first whether it is
 * worth asking again later.
 */

export interface QuoteOffer {
  chainId: number;
  /** The ERC-20 the provider is paid in. */
  token: string;
  /** Token base units per second. */
  pricePerSecond: bigint;
  /** The longest job the owner takes, seconds. */
  maxSeconds: number;
}

/** The part of availability's view a quote needs. */
export interface QuoteAvailability {
  available: boolean;
  /** Availability's sentence ("For rent now, until 08:00."). */
  sentence: string;
  /** ISO time when `available` flips next (with the signals held), or null. */
  nextChange: string | null;
}

export interface QuoteGpu {
  /** Total memory of the card, MiB. */
  vramMiB: number;
}

export interface QuoteDecisionInput {
  request: QuoteRequest;
  offer: QuoteOffer;
  availability: QuoteAvailability;
  gpus: readonly QuoteGpu[];
  runningJobs: number;
  now: Date;
}

export type QuoteDecision =
  { ok: true; maxSeconds: number } | { ok: false; code: RefusalCode; reason: string };

export function decideQuote(input: QuoteDecisionInput): QuoteDecision {
  const { request, offer, availability, gpus, runningJobs, now } = input;
  const { requirements } = request;
  const refuse = (code: RefusalCode, reason: string): QuoteDecision => ({ ok: false, code, reason });

  if (request.chainId !== offer.chainId)
    return refuse(
      'wrong-network',
      `This provider takes jobs on chain ${offer.chainId}, not ${request.chainId}.`,
    );
  if (request.token.toLowerCase() !== offer.token.toLowerCase())
    return refuse(
      'wrong-network',
      `This provider is paid in token ${offer.token} on chain ${offer.chainId}, not ${request.token}.`,
    );

  if (requirements.runtime !== 'host')
    return refuse(
      'unsupported-runtime',
      `This provider runs jobs on the host runtime only; the '${requirements.runtime}' runtime is not supported yet.`,
    );

  const fitting = gpus.filter((gpu) => gpu.vramMiB >= requirements.vramMiB).length;
  if (fitting < requirements.gpuCount) {
    if (gpus.length === 0) return refuse('insufficient-gpu', 'This provider has no GPU it can rent out.');
    if (fitting === 0) {
      const largest = Math.max(...gpus.map((gpu) => gpu.vramMiB));
      return refuse(
        'insufficient-gpu',
        `No GPU here has ${requirements.vramMiB} MiB of memory; the largest has ${largest} MiB.`,
      );
    }
    return refuse(
      'insufficient-gpu',
      `This provider has ${plural(fitting, 'GPU')} with at least ${requirements.vramMiB} MiB of memory; ` +
        `the job asks for ${requirements.gpuCount}.`,
    );
  }

  if (!availability.available) {
    const next = parseTime(availability.nextChange);
    // Renters learn when to come back, never why: the owner's games, idleness or pause stay private.
    const when = next === null ? '' : ` (this may change at ${new Date(next).toISOString()})`;
    return refuse('unavailable', `This provider is not for rent right now${when}.`);
  }

  if (runningJobs > 0)
    return refuse(
      'busy',
      runningJobs === 1
        ? 'This provider is running another job.'
        : `This provider is running ${runningJobs} jobs.`,
    );

  let maxSeconds = Math.min(requirements.seconds, Math.floor(offer.maxSeconds));
  const ends = parseTime(availability.nextChange);
  if (ends !== null) maxSeconds = Math.min(maxSeconds, Math.floor((ends - now.getTime()) / 1000));
  if (maxSeconds < 1) {
    if (ends !== null && ends - now.getTime() < 1000)
      return refuse('unavailable', 'This provider’s rental window is ending now.');
    return refuse('unavailable', 'This provider is not taking jobs at the moment.');
  }
  return { ok: true, maxSeconds };
}

function parseTime(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
