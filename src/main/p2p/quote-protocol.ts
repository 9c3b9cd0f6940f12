import { randomBytes } from 'node:crypto';
import type { PeerId } from '@libp2p/interface';
import {
  getAddress,
  hexlify,
  recoverAddress,
  TypedDataEncoder,
  type TypedDataDomain,
  type TypedDataField,
} from 'ethers';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { DemandTracker } from '../pricing/demand-tracker';
import type { MarketSetup } from '../pricing/market-stream';
import {
  decideQuote,
  isPermanentRefusal,
  pricePerHourOf,
  type QuoteAvailability,
  type QuoteDecision,
  type QuoteGpu,
  type QuoteOffer,
} from './decide-quote';
import { refusal, type Quote, type QuoteRequest, type QuoteResponse } from './messages';

/**
 * `/nocturne/quote/1`: a renter asks a provider what a job would cost; the provider answers a quote signed
 * with its EVM key (EIP-712), or a refusal with a code and a reason. See docs/protocol.md, section 2.
 */

export const QUOTE_PROTOCOL = '/nocturne/quote/1';

export const QUOTE_DOMAIN_NAME = 'Nocturne Quote';
export const QUOTE_DOMAIN_VERSION = '1';
export const QUOTE_TYPE =
  'Quote(bytes32 quoteId,string provider,address token,uint256 pricePerSecond,uint64 maxSeconds,uint64 expiresAt,address renter)';
export const QUOTE_TYPES: Record<string, TypedDataField[]> = {
  Quote: [
    { name: 'quoteId', type: 'bytes32' },
    { name: 'provider', type: 'string' },
    { name: 'token', type: 'address' },
    { name: 'pricePerSecond', type: 'uint256' },
    { name: 'maxSeconds', type: 'uint64' },
    { name: 'expiresAt', type: 'uint64' },
    { name: 'renter', type: 'address' },
  ],
};

/** How long a quote stays valid by default, seconds. */
export const DEFAULT_QUOTE_TTL_SECONDS = 120;

/** What signs quotes: an ethers Wallet (the key vault's signer) fits. */
export interface QuoteSigner {
  getAddress(): Promise<string>;
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

export class QuoteVerificationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QuoteVerificationError';
  }
}

export function quoteTypedDataDomain(chainId: number | bigint): TypedDataDomain {
  return { name: QUOTE_DOMAIN_NAME, version: QUOTE_DOMAIN_VERSION, chainId };
}

type UnsignedQuote = Omit<Quote, 'signature'>;

function quoteTypedValue(quote: UnsignedQuote, renter: string): Record<string, unknown> {
  return {
    quoteId: quote.quoteId,
    provider: quote.provider,
    token: getAddress(quote.token),
    pricePerSecond: BigInt(quote.pricePerSecond),
    maxSeconds: BigInt(quote.maxSeconds),
    expiresAt: BigInt(quote.expiresAt),
    renter: getAddress(renter),
  };
}

/** The EIP-712 digest a provider signs for `renter`. */
export function quoteDigest(quote: UnsignedQuote, renter: string): string {
  return TypedDataEncoder.hash(
    quoteTypedDataDomain(quote.chainId),
    QUOTE_TYPES,
    quoteTypedValue(quote, renter),
  );
}

export async function signQuote(signer: QuoteSigner, quote: UnsignedQuote, renter: string): Promise<Quote> {
  const signature = await signer.signTypedData(
    quoteTypedDataDomain(quote.chainId),
    QUOTE_TYPES,
    quoteTypedValue(quote, renter),
  );
  return { ...quote, signature };
}

/**
 * Checks that `quote` was signed by its providerAddress for `renter`, and returns that address (EIP-55).
 * It does not check expiry (see isQuoteExpired) nor that the address is the one the registry lists for
 * the peer: the caller compares. Throws QuoteVerificationError.
 */
export function verifyQuote(quote: Quote, renter: string): string {
  let recovered: string;
  try {
    recovered = recoverAddress(quoteDigest(quote, renter), quote.signature);
  } catch (error) {
    throw new QuoteVerificationError(`The quote's signature is malformed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const claimed = getAddress(quote.providerAddress);
  if (recovered !== claimed)
    throw new QuoteVerificationError(
      `The quote is not signed by ${claimed} for renter ${getAddress(renter)} (it recovers to ${recovered}).`,
    );
  return claimed;
}

export function isQuoteExpired(quote: Pick<Quote, 'expiresAt'>, now: Date): boolean {
  return Math.floor(now.getTime() / 1000) >= quote.expiresAt;
}

export function newQuoteId(): string {
  return hexlify(randomBytes(32));
}

/** Answers a request: `(request, remotePeer) -> response`; the quote service calls it for each stream. */
export type QuoteFor = (request: QuoteRequest, remotePeer: PeerId) => Promise<QuoteResponse>;

/** Where createQuoteFor reads the provider's state at the moment of each request. */
export interface QuoteSources {
  /** Our peer id (the quote names it, so it cannot be replayed as another node's). */
  peerId: PeerId | string;
  /** The offers the provider publishes, one per network and token. */
  offers(): readonly QuoteOffer[];
  availability(): QuoteAvailability;
  gpus(): readonly QuoteGpu[];
  runningJobs(): number;
  /** The provider's EVM signer; may throw (a locked wallet), which refuses with 'unavailable'. */
  signer(): QuoteSigner;
  clock: Clock;
  /** Default DEFAULT_QUOTE_TTL_SECONDS. */
  quoteTtlSeconds?: number;
  logger: Logger;
  /** The admission engine's inputs; without them quotes weigh no costs (see decideQuote). */
  pricing?: QuotePricingSources;
}

export interface QuotePricingSources {
  /** The owner's setup in the offer's token (windows, the GPU and its power, tariff, floor), or null. */
  setup(offer: QuoteOffer): MarketSetup | null;
  /** Observes every request that passes the permanent checks, and holds what was learnt. */
  demand: Pick<DemandTracker, 'observe' | 'state'>;
}

/** Picks the offer a request is about: same network and token, else same network, else any. */
export function pickOffer(offers: readonly QuoteOffer[], request: QuoteRequest): QuoteOffer | undefined {
  const token = request.token.toLowerCase();
  return (
    offers.find((o) => o.chainId === request.chainId && o.token.toLowerCase() === token) ??
    offers.find((o) => o.chainId === request.chainId) ??
    offers[0]
  );
}

/** Wires decideQuote and the signature into the function the quote service needs. */
export function createQuoteFor(sources: QuoteSources): QuoteFor {
  const ttl = sources.quoteTtlSeconds ?? DEFAULT_QUOTE_TTL_SECONDS;
  const peerId = sources.peerId.toString();
  return async (request, remotePeer) => {
    const offer = pickOffer(sources.offers(), request);
    if (offer === undefined) return refusal('unavailable', 'This provider has no offer published.');
    const now = sources.clock.now();
    const base = {
      request,
      offer,
      availability: sources.availability(),
      gpus: sources.gpus(),
      runningJobs: sources.runningJobs(),
      now,
    };
    let decision: QuoteDecision = decideQuote(base);
    const pricePerHour = pricePerHourOf(offer);
    const setup = sources.pricing && pricePerHour !== null ? sources.pricing.setup(offer) : null;
    if (sources.pricing && setup && pricePerHour !== null && !isPermanentRefusal(decision)) {
      // Demand this provider could serve, whatever it is answered now: the engine learns from all of it.
      const { requirements } = request;
      sources.pricing.demand.observe(
        {
          id: `${remotePeer.toString()}@${now.toISOString()}`,
          arrivalMs: now.getTime(),
          durationSeconds: Math.min(requirements.seconds, offer.maxSeconds),
          pricePerHour: pricePerHour / requirements.gpuCount,
          vramMiB: requirements.vramMiB,
        },
        setup,
      );
      if (decision.ok)
        decision = decideQuote({ ...base, economics: { setup, demand: sources.pricing.demand.state() } });
    }
    if (decision.detail)
      sources.logger.info(
        `Quote for ${remotePeer.toString()} weighed: ${decision.detail} (${decision.ok ? 'quoted' : 'refused'})`,
      );
    if (!decision.ok) return refusal(decision.code, decision.reason);

    let signer: QuoteSigner;
    let providerAddress: string;
    try {
      signer = sources.signer();
      providerAddress = getAddress(await signer.getAddress());
    } catch (error) {
      sources.logger.warn(
        `Quote for ${remotePeer.toString()} refused: cannot sign (${(error as Error).message})`,
      );
      return refusal('unavailable', 'This provider cannot sign quotes right now.');
    }
    const quote = await signQuote(
      signer,
      {
        provider: peerId,
        providerAddress,
        chainId: offer.chainId,
        token: getAddress(offer.token),
        pricePerSecond: offer.pricePerSecond.toString(),
        maxSeconds: decision.maxSeconds,
        expiresAt: Math.floor(now.getTime() / 1000) + ttl,
        quoteId: newQuoteId(),
      },
      request.renter,
    );
    return { v: 1, ok: true, quote };
  };
}
