import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { id, Signature, TypedDataEncoder, verifyTypedData, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { encodeMessage, parseMessage, ProtocolError } from '../../../src/main/p2p/framing';
import { QuoteRequestSchema, QuoteResponseSchema, type Quote } from '../../../src/main/p2p/messages';
import {
  createQuoteFor,
  isQuoteExpired,
  pickOffer,
  QUOTE_TYPE,
  QUOTE_TYPES,
  quoteDigest,
  quoteTypedDataDomain,
  signQuote,
  verifyQuote,
} from '../../../src/main/p2p/quote-protocol';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { CHAIN_ID, sampleOffer, sampleRequest, TOKEN } from './p2p-helpers';

// Hardhat's public test keys: never for real funds.
const provider = new Wallet('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
const renter = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const peerId = '12D3KooWEWwxekJ4PEWyg2LzutWqVA9EsTgSW6nGxLXCbLRxw6LW';

const unsigned = {
  provider: peerId,
  providerAddress: provider.address,
  chainId: CHAIN_ID,
  token: TOKEN,
  pricePerSecond: '25',
  maxSeconds: 600,
  expiresAt: 1_772_445_720,
  quoteId: `0x${'ab'.repeat(32)}`,
};

describe('the EIP-712 quote signature', () => {
  it('has the documented type, and its digest is what ethers computes for the typed data', () => {
    expect(TypedDataEncoder.from(QUOTE_TYPES).encodeType('Quote')).toBe(QUOTE_TYPE);
    expect(quoteTypedDataDomain(CHAIN_ID)).toEqual({
      name: 'Nocturne Quote',
      version: '1',
      chainId: CHAIN_ID,
    });
    expect(id(QUOTE_TYPE)).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('signs so that verifyQuote (and any EIP-712 verifier) recovers the provider for that renter only', async () => {
    const quote = await signQuote(provider, unsigned, renter);
    expect(verifyQuote(quote, renter)).toBe(provider.address);
    expect(verifyQuote(quote, renter.toLowerCase())).toBe(provider.address);
    const value = {
      ...unsigned,
      renter,
      pricePerSecond: 25n,
      maxSeconds: 600n,
      expiresAt: BigInt(unsigned.expiresAt),
    };
    expect(verifyTypedData(quoteTypedDataDomain(CHAIN_ID), QUOTE_TYPES, value, quote.signature)).toBe(
      provider.address,
    );
    expect(Signature.from(quote.signature).serialized).toBe(quote.signature);
    expect(quoteDigest(unsigned, renter)).toBe(
      TypedDataEncoder.hash(quoteTypedDataDomain(CHAIN_ID), QUOTE_TYPES, value),
    );
  });

  it('refuses any change to a signed field, another renter, and a malformed signature', async () => {
    const quote = await signQuote(provider, unsigned, renter);
    const tampered: Quote[] = [
      { ...quote, pricePerSecond: '24' },
      { ...quote, maxSeconds: 601 },
      { ...quote, expiresAt: quote.expiresAt + 1 },
      { ...quote, quoteId: `0x${'cd'.repeat(32)}` },
      { ...quote, provider: '12D3KooWFVQY8H53jZ2WBhyo571fPKFXFpFQHt6xe861RkDFzfH1' },
      { ...quote, token: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' },
      { ...quote, chainId: 1 },
      { ...quote, providerAddress: renter },
    ];
    for (const bad of tampered)
      expect(() => verifyQuote(bad, renter), JSON.stringify(bad)).toThrow(/not signed by/);
    expect(() => verifyQuote(quote, '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC')).toThrow(/not signed by/);
    expect(() => verifyQuote({ ...quote, signature: `0x${'00'.repeat(65)}` }, renter)).toThrow(/malformed/);
  });

  it('expires at expiresAt', () => {
    expect(isQuoteExpired({ expiresAt: 100 }, new Date(99_999))).toBe(false);
    expect(isQuoteExpired({ expiresAt: 100 }, new Date(100_000))).toBe(true);
  });
});

const remote = peerIdFromPrivateKey(await generateKeyPair('Ed25519'));

describe('createQuoteFor', () => {
  const now = new Date('2026-03-02T10:00:00.000Z');

  function make(overrides: Partial<Parameters<typeof createQuoteFor>[0]> = {}) {
    const logger = createMemoryLogger();
    const quoteFor = createQuoteFor({
      peerId,
      offers: () => [sampleOffer],
      availability: () => ({
        available: true,
        sentence: 'For rent now.',
        nextChange: '2026-03-02T10:05:00.000Z',
      }),
      gpus: () => [{ vramMiB: 24576 }],
      runningJobs: () => 0,
      signer: () => provider,
      clock: { now: () => now },
      quoteTtlSeconds: 90,
      logger,
      ...overrides,
    });
    return { quoteFor, logger };
  }

  it('signs a quote from the offer and the decision, valid for the TTL', async () => {
    const response = await make().quoteFor(sampleRequest(renter), remote);
    expect(response).toMatchObject({
      v: 1,
      ok: true,
      quote: {
        provider: peerId,
        providerAddress: provider.address,
        chainId: CHAIN_ID,
        token: TOKEN,
        pricePerSecond: '25',
        maxSeconds: 300, // the window ends in 5 minutes
        expiresAt: now.getTime() / 1000 + 90,
      },
    });
    if (!response.ok) return;
    expect(QuoteResponseSchema.parse(response)).toEqual(response);
    expect(verifyQuote(response.quote, renter)).toBe(provider.address);
    const again = await make().quoteFor(sampleRequest(renter), remote);
    expect(again.ok && again.quote.quoteId).not.toBe(response.quote.quoteId);
  });

  it('refuses from the decision, with no offer, and when the wallet cannot sign', async () => {
    expect(await make({ runningJobs: () => 1 }).quoteFor(sampleRequest(renter), remote)).toMatchObject({
      ok: false,
      code: 'busy',
    });
    expect(await make({ offers: () => [] }).quoteFor(sampleRequest(renter), remote)).toEqual({
      v: 1,
      ok: false,
      code: 'unavailable',
      reason: 'This provider has no offer published.',
    });
    const locked = make({
      signer: () => {
        throw new Error('The wallet is locked. Unlock it first.');
      },
    });
    expect(await locked.quoteFor(sampleRequest(renter), remote)).toEqual({
      v: 1,
      ok: false,
      code: 'unavailable',
      reason: 'This provider cannot sign quotes right now.',
    });
    expect(locked.logger.lines).toEqual([
      { level: 'warn', message: expect.stringContaining('The wallet is locked') },
    ]);
  });

  it('picks the offer for the network and token asked about', () => {
    const a = { ...sampleOffer, chainId: 1 };
    const b = { ...sampleOffer, token: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' };
    const c = sampleOffer;
    expect(pickOffer([a, b, c], sampleRequest(renter))).toBe(c);
    expect(pickOffer([a, b], sampleRequest(renter))).toBe(b);
    expect(pickOffer([a], sampleRequest(renter))).toBe(a);
    expect(pickOffer([], sampleRequest(renter))).toBeUndefined();
  });
});

describe('message schemas', () => {
  const valid = sampleRequest(renter);

  it('accept a request and normalise addresses to EIP-55', () => {
    const parsed = QuoteRequestSchema.parse({
      ...valid,
      token: TOKEN.toLowerCase(),
      renter: renter.toLowerCase(),
    });
    expect(parsed.token).toBe(TOKEN);
    expect(parsed.renter).toBe(renter);
  });

  it('ignore unknown fields (a later minor addition does not break old peers)', () => {
    expect(QuoteRequestSchema.parse({ ...valid, extra: 1 })).toEqual(valid);
  });

  it.each([
    ['v: 2', { ...valid, v: 2 }, 'v'],
    ['a bad checksum', { ...valid, token: TOKEN.replace('F', 'f') }, 'token'],
    ['a short address', { ...valid, renter: '0x1234' }, 'renter'],
    ['a fractional chain id', { ...valid, chainId: 1.5 }, 'chainId'],
    [
      'zero seconds',
      { ...valid, requirements: { ...valid.requirements, seconds: 0 } },
      'requirements.seconds',
    ],
    [
      'a runtime unknown',
      { ...valid, requirements: { ...valid.requirements, runtime: 'wasm' } },
      'requirements.runtime',
    ],
    [
      'an image without the image runtime',
      { ...valid, requirements: { ...valid.requirements, image: 'x' } },
      'requirements.image',
    ],
    [
      'the image runtime without an image',
      { ...valid, requirements: { ...valid.requirements, runtime: 'image' } },
      'requirements.image',
    ],
    ['no GPU', { ...valid, requirements: { ...valid.requirements, gpuCount: 0 } }, 'requirements.gpuCount'],
  ])('refuse a request with %s, naming the field', (_, value, field) => {
    const bytes = new TextEncoder().encode(JSON.stringify(value));
    try {
      parseMessage(bytes, QuoteRequestSchema);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error).toMatchObject({ code: 'schema', streamOpen: true });
      expect((error as Error).message).toContain(`${field}:`);
    }
  });

  it('refuse amounts that are not decimal base units', () => {
    const quote = { ...unsigned, signature: `0x${'11'.repeat(65)}` };
    for (const pricePerSecond of ['1.5', '-1', '01', '1e18', '', `${(1n << 256n).toString()}`])
      expect(
        QuoteResponseSchema.safeParse({ v: 1, ok: true, quote: { ...quote, pricePerSecond } }).success,
      ).toBe(false);
    expect(
      QuoteResponseSchema.safeParse({
        v: 1,
        ok: true,
        quote: { ...quote, pricePerSecond: `${(1n << 256n) - 1n}` },
      }).success,
    ).toBe(true);
  });

  it('refuse a refusal with an unknown code', () => {
    expect(QuoteResponseSchema.safeParse({ v: 1, ok: false, code: 'nope', reason: 'x' }).success).toBe(false);
  });

  it('encodeMessage refuses to send more than the limit', () => {
    expect(() => encodeMessage({ big: 'x'.repeat(1024 * 1024) })).toThrow(/above the 1 MiB limit/);
    expect(() => encodeMessage({ small: 1 }, 4)).toThrow(ProtocolError);
    expect(Array.from(encodeMessage({ a: 1 }))).toEqual([7, ...new TextEncoder().encode('{"a":1}')]);
    expect(encodeMessage({ s: 'x'.repeat(200) }).subarray(0, 2)).toEqual(new Uint8Array([0xd0, 0x01])); // varint 208
    expect(parseMessage(new TextEncoder().encode('{"a":1}'), z.object({ a: z.number() }))).toEqual({ a: 1 });
  });
});
