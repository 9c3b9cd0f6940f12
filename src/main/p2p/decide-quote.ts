import { quoteVerdict, type QuoteEconomics } from '../pricing/quote-verdict';
import type { QuoteRequest, RefusalCode } from './messages';

/**
 * Whether this provider can quote a renter's request, and for how long at most. Pure: everything it looks
 * at is an argument, so every refusal is tested with a fixed `now`. Permanent reasons (network, runtime,
 * GPUs) come before passing ones (availability, a running job, then the price's worth now), so a renter
 * learns first whether it is worth asking again later.
 *
 * With `economics` (the owner's tariff, power and floor, in the offer's token, and the demand the engine
 * has learnt), a request that passes every other check is also weighed by the admission engine
 * (src/main/pricing/quote-verdict.ts) for the time the quote would allow, and refused as `unprofitable`
 * when it does not pay: below the owner's floor, not covering its electricity, or not worth holding the
 * GPU for when better-paid work is expected. Like every refusal, the reason says nothing of the owner's
 * activity, nor their costs.
 */

export interface QuoteOffer {
  chainId: number;
  /** The ERC-20 the provider is paid in. */
  token: string;
  /** Token base units per second. */
  pricePerSecond: bigint;
  /** The longest job the owner takes, seconds. */
  maxSeconds: number;
  /** The token's decimals: needed to weigh the price against costs (without it, `economics` is ignored). */
  decimals?: number;
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
  /** The owner's costs and the learnt demand; without it, no price check (the behaviour before pricing). */
  economics?: QuoteEconomics | null;
}

export type QuoteDecision =
  | { ok: true; maxSeconds: number; detail?: string }
  | { ok: false; code: RefusalCode; reason: string; detail?: string };

/** Refusals for reasons that do not pass with time: the request is not demand this provider could serve. */
export function isPermanentRefusal(decision: QuoteDecision): boolean {
  return (
    !decision.ok &&
    (decision.code === 'wrong-network' ||
      decision.code === 'unsupported-runtime' ||
      decision.code === 'insufficient-gpu' ||
      decision.code === 'bad-request')
  );
}

/** Token base units per second as whole tokens per hour (a float: for weighing, never for paying). */
export function pricePerHourOf(offer: QuoteOffer): number | null {
  if (offer.decimals === undefined) return null;
  return Number(offer.pricePerSecond * 3600n) / 10 ** offer.decimals;
}

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

  const pricePerHour = pricePerHourOf(offer);
  if (input.economics && pricePerHour !== null) {
    const verdict = quoteVerdict({
      economics: input.economics,
      pricePerHour,
      seconds: maxSeconds,
      vramMiB: requirements.vramMiB,
      gpuCount: requirements.gpuCount,
      nowMs: now.getTime(),
      windowEndMs: ends,
    });
    if (!verdict.ok) {
      const hours = plural(Math.round((maxSeconds / 3600) * 100) / 100, 'hour');
      const reason =
        verdict.why === 'floor'
          ? 'This provider is not taking jobs at its listed price for now.'
          : verdict.why === 'electricity'
            ? `The price does not cover electricity for a job of ${hours} at this time.`
            : 'This provider is holding its GPU for better-paid work; a shorter job may be quoted.';
      return { ok: false, code: 'unprofitable', reason, detail: verdict.detail };
    }
    return { ok: true, maxSeconds, detail: verdict.detail };
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
