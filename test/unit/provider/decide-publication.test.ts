// The offer publisher's pure decisions: dialable addresses, the offer, the one transaction, the debounce.
import { describe, expect, it } from 'vitest';
import type { Offer } from '../../../src/main/market/provider-registry';
import {
  buildOffer,
  decidePublication,
  dialableAddresses,
  settleAvailability,
  truncateBytes,
  type OfferInputs,
} from '../../../src/main/provider/decide-publication';

const PEER = '12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp';
const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

const inputs = (overrides: Partial<OfferInputs> = {}): OfferInputs => ({
  peerId: PEER,
  addresses: [`/ip4/127.0.0.1/tcp/4747/p2p/${PEER}`, `/ip4/203.0.113.7/tcp/4747/p2p/${PEER}`],
  loopbackDialable: false,
  gpus: [{ model: 'NVIDIA GeForce RTX 3090', vramMiB: 24576, gflops: 31234.7 }],
  pricePerHour: 720_000n,
  token: TOKEN,
  available: true,
  networkName: 'Local devnet',
  ...overrides,
});

const offer = (overrides: Partial<Offer> = {}): Offer => ({
  peerId: PEER,
  multiaddrs: [`/ip4/203.0.113.7/tcp/4747/p2p/${PEER}`],
  gpuModel: 'NVIDIA GeForce RTX 3090',
  vramMiB: 24576,
  gflops: 31234,
  pricePerHour: 720_000n,
  token: TOKEN,
  available: true,
  ...overrides,
});

describe('dialableAddresses', () => {
  it('drops loopback, unspecified and link-local addresses, and puts public ones first', () => {
    const list = [
      '/ip4/127.0.0.1/tcp/1/p2p/x',
      '/ip4/192.168.1.20/tcp/1/p2p/x',
      '/ip4/0.0.0.0/tcp/1',
      '/ip4/169.254.3.4/tcp/1/p2p/x',
      '/ip6/::1/tcp/1/p2p/x',
      '/ip6/fe80::1/tcp/1/p2p/x',
      '/ip4/203.0.113.7/tcp/1/p2p/x',
      '/ip4/198.51.100.1/tcp/4001/p2p/relay/p2p-circuit/p2p/x',
      '/ip6/2001:db8::5/tcp/1/p2p/x',
    ];
    expect(dialableAddresses(list, false)).toEqual([
      '/ip4/203.0.113.7/tcp/1/p2p/x',
      '/ip6/2001:db8::5/tcp/1/p2p/x',
      '/ip4/198.51.100.1/tcp/4001/p2p/relay/p2p-circuit/p2p/x',
      '/ip4/192.168.1.20/tcp/1/p2p/x',
    ]);
  });

  it('keeps loopback on the local devnet, at most 8 addresses, none too long, no duplicates', () => {
    expect(dialableAddresses(['/ip4/127.0.0.1/tcp/1/p2p/x', '/ip6/::1/tcp/1/p2p/x'], true)).toHaveLength(2);
    const many = Array.from({ length: 12 }, (_, i) => `/ip4/203.0.113.${i}/tcp/1`);
    expect(dialableAddresses([...many, many[0]!], false)).toEqual(many.slice(0, 8));
    expect(dialableAddresses([`/dns4/${'a'.repeat(260)}.example/tcp/1`], false)).toEqual([]);
  });
});

describe('buildOffer', () => {
  it('builds the offer from the node, the first GPU, the benchmark and the price', () => {
    expect(buildOffer(inputs())).toEqual({ ok: true, offer: offer() });
  });

  it('publishes 0 GFLOP/s when the card was never benchmarked, and cuts a long model name to 64 bytes', () => {
    const built = buildOffer(
      inputs({ gpus: [{ model: `Ä${'x'.repeat(80)}`, vramMiB: 8192, gflops: null }] }),
    );
    expect(built.ok && built.offer.gflops).toBe(0);
    expect(built.ok && new TextEncoder().encode(built.offer.gpuModel).length).toBeLessThanOrEqual(64);
    expect(truncateBytes('aé', 2)).toBe('a'); // never half a character
  });

  it('says in words why there is nothing to offer', () => {
    expect(buildOffer(inputs({ gpus: [] }))).toEqual({
      ok: false,
      reason: 'No GPU is detected yet, so there is nothing to offer.',
    });
    expect(buildOffer(inputs({ gpus: [{ model: 'Card', vramMiB: null, gflops: null }] }))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('memory size of Card is unknown'),
    });
    expect(buildOffer(inputs({ token: null }))).toMatchObject({
      reason: 'Local devnet has no payment token, so there is no price to publish.',
    });
    expect(buildOffer(inputs({ pricePerHour: null }))).toMatchObject({
      reason: expect.stringContaining('raise it in Settings'),
    });
  });
});

describe('decidePublication', () => {
  it('registers the first time, and does nothing when the chain already agrees', () => {
    expect(decidePublication({ kind: 'offer', offer: offer() }, undefined)).toEqual({
      kind: 'register',
      offer: offer(),
    });
    expect(decidePublication({ kind: 'offer', offer: offer() }, offer())).toEqual({ kind: 'none' });
    // Addresses compare exactly; the token's case does not matter.
    expect(
      decidePublication({ kind: 'offer', offer: offer({ token: TOKEN.toLowerCase() }) }, offer()),
    ).toEqual({ kind: 'none' });
  });

  it('flips only the flag when only availability differs (the cheap call)', () => {
    expect(
      decidePublication({ kind: 'offer', offer: offer({ available: false }) }, offer({ available: true })),
    ).toEqual({ kind: 'setAvailable', available: false });
  });

  it('updates the whole offer when a term differs, the flag with it', () => {
    for (const changed of [
      { pricePerHour: 1_080_000n },
      { peerId: 'other' },
      { multiaddrs: [] },
      { gflops: 1 },
      { vramMiB: 1 },
      { gpuModel: 'x' },
    ]) {
      const wanted = offer({ ...changed, available: false });
      expect(decidePublication({ kind: 'offer', offer: wanted }, offer())).toEqual({
        kind: 'update',
        offer: wanted,
      });
    }
  });

  it('going offline marks a listed offer unavailable, never retires it, and publishes nothing new', () => {
    expect(decidePublication({ kind: 'unavailable' }, offer())).toEqual({
      kind: 'setAvailable',
      available: false,
    });
    expect(decidePublication({ kind: 'unavailable' }, offer({ available: false }))).toEqual({ kind: 'none' });
    expect(decidePublication({ kind: 'unavailable' }, undefined)).toEqual({ kind: 'none' });
  });
});

describe('settleAvailability', () => {
  const DEBOUNCE = 60_000;

  it('settles the first value at once', () => {
    expect(settleAvailability(null, true, 0, DEBOUNCE)).toEqual({
      state: { raw: true, since: 0, settled: true },
      wakeAt: null,
    });
  });

  it('publishes a flip only once it has held for the debounce', () => {
    let { state } = settleAvailability(null, true, 0, DEBOUNCE);
    const flipped = settleAvailability(state, false, 1000, DEBOUNCE);
    expect(flipped).toEqual({ state: { raw: false, since: 1000, settled: true }, wakeAt: 61_000 });
    state = flipped.state;
    expect(settleAvailability(state, false, 60_999, DEBOUNCE).state.settled).toBe(true);
    expect(settleAvailability(state, false, 61_000, DEBOUNCE)).toEqual({
      state: { raw: false, since: 1000, settled: false },
      wakeAt: null,
    });
  });

  it('a game started and stopped inside the debounce publishes nothing; several flips publish one', () => {
    let { state } = settleAvailability(null, true, 0, DEBOUNCE);
    state = settleAvailability(state, false, 1000, DEBOUNCE).state;
    const back = settleAvailability(state, true, 20_000, DEBOUNCE);
    expect(back.state.settled).toBe(true);
    expect(back.wakeAt).toBeNull();

    state = back.state;
    for (const [raw, at] of [
      [false, 30_000],
      [true, 35_000],
      [false, 40_000],
    ] as const)
      state = settleAvailability(state, raw, at, DEBOUNCE).state;
    // The clock restarts at the last flip: still true until 100 s, then false once.
    expect(settleAvailability(state, false, 99_999, DEBOUNCE).state.settled).toBe(true);
    expect(settleAvailability(state, false, 100_000, DEBOUNCE).state.settled).toBe(false);
  });
});
