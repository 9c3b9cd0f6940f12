import type { ProviderRegistryClient } from '../market/provider-registry';
import { ProtocolError } from '../p2p/framing';
import type { Quote, QuoteRequest } from '../p2p/messages';
import { isQuoteExpired } from '../p2p/quote-protocol';
import { requestQuote } from '../p2p/quote-service';
import { connectToProvider, ProviderUnreachableError } from './dial-provider';
import { perHour, rankOffers, type ExcludedOffer, type RegistryEntry } from './rank-offers';
import { RentError, type SkippedProvider } from './rent-error';
import type { RentDeps, RentEvent, RentRequest, RentToken } from './rent-types';

/** Providers asked for a quote, at most, before giving up. */
export const MAX_QUOTES = 8;

/** JobEscrow keeps the deposit in a uint128. */
const MAX_UINT128 = (1n << 128n) - 1n;

/** The provider and quote a rental goes ahead with. */
export interface Chosen {
  entry: RegistryEntry;
  quote: Quote;
  /** The spec's maxSeconds, or less when the quote takes the job for less. */
  maxSeconds: number;
  /** price x maxSeconds: what JobEscrow locks. */
  deposit: bigint;
}

/** The registry's offers, ranked: the candidates to ask, best first, and the offers left out with why. */
export interface Candidates {
  /** Offers looked at, left out ones included. */
  offers: number;
  candidates: RegistryEntry[];
  /** Grows as quotes are skipped too, so a no-provider error can name every reason. */
  skipped: SkippedProvider[];
}

type Emit = (event: RentEvent) => void;

/** Every registered provider's offer and reputation (retired ones too, so they can be named as skipped). */
export async function readRegistryEntries(registry: ProviderRegistryClient): Promise<RegistryEntry[]> {
  const listed = await registry.listProviders();
  return Promise.all(
    listed.map(async ({ provider, offer, registered }) => ({
      provider,
      offer,
      registered,
      reputation: registered
        ? await registry.reputationOf(provider)
        : { jobsSettled: 0n, jobsRefunded: 0n, secondsPaid: 0n },
    })),
  );
}

/** Step 1 of a rental: the registry's offers, ranked by `rankOffers`. Throws RentError 'no-provider'. */
export async function rankCandidates(
  deps: Pick<RentDeps, 'registry' | 'token'>,
  request: RentRequest,
  emit: Emit,
): Promise<Candidates> {
  const { token } = deps;
  const entries = await readRegistryEntries(deps.registry);
  const ranking = rankOffers(entries, {
    token: token.address,
    vramMiB: request.vramMiB ?? 0,
    maxPricePerHour: request.maxPricePerHour,
    provider: request.provider,
    tokenUnits: token,
  });
  const skipped: SkippedProvider[] = ranking.excluded.map((e: ExcludedOffer) => ({ ...e }));
  emit({ type: 'offers', candidates: ranking.candidates.length, skipped: [...skipped] });
  if (ranking.candidates.length === 0)
    throw new RentError('no-provider', noProviderMessage(entries.length, skipped), { skipped });
  return { offers: entries.length, candidates: ranking.candidates, skipped };
}

/**
 * Step 2 of a rental: quotes, best candidate first (at most `maxQuotes`), until one can be taken
 * (`judgeQuote`). Each one skipped is added to `ranked.skipped` with why. Throws RentError 'no-provider'.
 */
export async function chooseQuote(
  deps: Pick<RentDeps, 'node' | 'chainId' | 'token' | 'clock' | 'logger'>,
  request: RentRequest,
  ranked: Candidates,
  renter: string,
  hooks: { emit: Emit; stopIfCancelled(): void },
): Promise<Chosen> {
  const { job } = request;
  const { skipped } = ranked;
  const quoteRequest: QuoteRequest = {
    v: 1,
    chainId: deps.chainId,
    token: deps.token.address,
    renter,
    requirements: {
      vramMiB: request.vramMiB ?? 0,
      seconds: job.spec.resources.maxSeconds,
      gpuCount: Math.max(1, job.spec.resources.gpus),
      ...(job.spec.image
        ? { runtime: 'image' as const, image: job.spec.image }
        : { runtime: 'host' as const }),
    },
  };
  const skip = (entry: RegistryEntry, code: string, reason: string) => {
    const item = { provider: entry.provider, peerId: entry.offer.peerId, code, reason };
    skipped.push(item);
    hooks.emit({ type: 'quote-skipped', skipped: item });
    deps.logger.info(`Skipped ${entry.offer.peerId} (${code}): ${reason}`);
  };
  for (const entry of ranked.candidates.slice(0, request.maxQuotes ?? MAX_QUOTES)) {
    hooks.stopIfCancelled();
    const quote = await askQuote(deps, entry, quoteRequest, request.quoteTimeoutMs, skip);
    if (!quote) continue;
    const verdict = judgeQuote(quote, entry, {
      now: deps.clock.now(),
      specMaxSeconds: job.spec.resources.maxSeconds,
      maxPricePerHour: request.maxPricePerHour,
      token: deps.token,
    });
    if (!verdict.ok) {
      skip(entry, verdict.code, verdict.reason);
      continue;
    }
    const { maxSeconds } = verdict.chosen;
    if (maxSeconds < job.spec.resources.maxSeconds)
      deps.logger.warn(
        `${entry.offer.peerId} takes the job for at most ${maxSeconds} s (the spec allows ${job.spec.resources.maxSeconds} s).`,
      );
    return verdict.chosen;
  }
  throw new RentError('no-provider', noProviderMessage(ranked.offers, skipped), { skipped });
}

/**
 * Whether a quote can be taken (pure): signed by the registered address, not expired, a price JobEscrow
 * takes and within --max-price, and a deposit JobEscrow can hold. Else the skip's code and reason.
 */
export function judgeQuote(
  quote: Quote,
  entry: RegistryEntry,
  context: { now: Date; specMaxSeconds: number; maxPricePerHour?: bigint; token: RentToken },
): { ok: true; chosen: Chosen } | { ok: false; code: string; reason: string } {
  const pricePerSecond = BigInt(quote.pricePerSecond);
  const skip = (code: string, reason: string) => ({ ok: false as const, code, reason });
  if (quote.providerAddress.toLowerCase() !== entry.provider.toLowerCase())
    return skip(
      'invalid-quote',
      `the quote is signed by ${quote.providerAddress}, not the registered ${entry.provider}`,
    );
  if (isQuoteExpired(quote, context.now))
    return skip('expired', "the quote had expired when it arrived (check this machine's clock)");
  if (pricePerSecond === 0n) return skip('price', 'the quote has a price of 0, which JobEscrow refuses');
  const { maxPricePerHour, token } = context;
  if (maxPricePerHour !== undefined && pricePerSecond * 3600n > maxPricePerHour)
    return skip(
      'price',
      `the quote, ${perHour(pricePerSecond * 3600n, { tokenUnits: token })}, is above the maximum of ${perHour(maxPricePerHour, { tokenUnits: token })}`,
    );
  const maxSeconds = Math.min(context.specMaxSeconds, quote.maxSeconds);
  const deposit = pricePerSecond * BigInt(maxSeconds);
  if (deposit > MAX_UINT128) return skip('price', 'the deposit would be above what JobEscrow can hold');
  return { ok: true, chosen: { entry, quote, maxSeconds, deposit } };
}

/** A quote from one candidate, or null (skipped, with why) when it refused, could not be reached or spoke badly. */
async function askQuote(
  deps: Pick<RentDeps, 'node'>,
  entry: RegistryEntry,
  request: QuoteRequest,
  timeoutMs: number | undefined,
  skip: (entry: RegistryEntry, code: string, reason: string) => void,
): Promise<Quote | null> {
  const signal = AbortSignal.timeout(timeoutMs ?? 15_000);
  try {
    await connectToProvider(deps.node, entry.offer.peerId, entry.offer.multiaddrs, { signal });
    const response = await requestQuote(deps.node, entry.offer.peerId, request, { timeoutMs });
    if (!response.ok) {
      skip(entry, response.code, response.reason);
      return null;
    }
    return response.quote;
  } catch (error) {
    if (error instanceof ProviderUnreachableError) skip(entry, 'unreachable', error.message);
    else if (error instanceof ProtocolError) skip(entry, error.code, error.message);
    else throw error;
    return null;
  }
}

function noProviderMessage(offers: number, skipped: readonly SkippedProvider[]): string {
  if (offers === 0) return 'No provider has an offer in ProviderRegistry on this network.';
  const lines = skipped.map((s) => `  ${s.peerId || s.provider}: ${s.reason}`);
  return [
    `No provider can take this job (${offers} offer${offers === 1 ? '' : 's'} looked at):`,
    ...lines,
  ].join('\n');
}
