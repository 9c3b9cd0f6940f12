import { describe, expect, it } from 'vitest';
import { rankOffers, type RegistryEntry } from '../../../src/main/renter/rank-offers';

const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const OTHER_TOKEN = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';

let counter = 0;
function entry(
  overrides: Partial<RegistryEntry['offer']> & {
    provider?: string;
    registered?: boolean;
    settled?: number;
    refunded?: number;
  } = {},
): RegistryEntry {
  counter += 1;
  const { provider, registered, settled, refunded, ...offer } = overrides;
  return {
    provider: provider ?? `0x${counter.toString(16).padStart(40, '0')}`,
    registered: registered ?? true,
    reputation: { jobsSettled: BigInt(settled ?? 0), jobsRefunded: BigInt(refunded ?? 0), secondsPaid: 0n },
    offer: {
      peerId: `12D3KooWpeer${counter}`,
      multiaddrs: [`/ip4/127.0.0.1/tcp/${4000 + counter}/p2p/12D3KooWpeer${counter}`],
      gpuModel: 'RTX 4090',
      vramMiB: 24_576,
      gflops: 80_000,
      pricePerHour: 800_000n,
      token: TOKEN,
      available: true,
      ...offer,
    },
  };
}

const names = (list: RegistryEntry[]) => list.map((e) => e.offer.gpuModel);

describe('rankOffers', () => {
  it('orders by price per GFLOP/s, unmeasured cards last', () => {
    const offers = [
      entry({ gpuModel: 'unmeasured-cheap', gflops: 0, pricePerHour: 1n }),
      entry({ gpuModel: 'slow-cheap', gflops: 10_000, pricePerHour: 200_000n }), // 20 per GFLOP/s
      entry({ gpuModel: 'fast-dear', gflops: 80_000, pricePerHour: 800_000n }), // 10 per GFLOP/s
      entry({ gpuModel: 'unmeasured-dear', gflops: 0, pricePerHour: 5n }),
      entry({ gpuModel: 'mid', gflops: 40_000, pricePerHour: 600_000n }), // 15 per GFLOP/s
    ];
    const { candidates, excluded } = rankOffers(offers, { token: TOKEN, vramMiB: 0 });
    expect(excluded).toEqual([]);
    expect(names(candidates)).toEqual([
      'fast-dear',
      'mid',
      'slow-cheap',
      'unmeasured-cheap',
      'unmeasured-dear',
    ]);
  });

  it('compares exactly, with no rounding of large prices', () => {
    const a = entry({ gpuModel: 'a', gflops: 3, pricePerHour: 10n ** 30n + 1n });
    const b = entry({ gpuModel: 'b', gflops: 3, pricePerHour: 10n ** 30n });
    expect(names(rankOffers([a, b], { token: TOKEN, vramMiB: 0 }).candidates)).toEqual(['b', 'a']);
  });

  it('penalises refunds: the price counts up to double, by the share of refunded jobs (plus one good one)', () => {
    // 10 per GFLOP/s with 1 refund out of 1: x (0 + 2 + 1) / (0 + 1 + 1) = 15 per GFLOP/s.
    const refunded = entry({ gpuModel: 'refunded', gflops: 1000, pricePerHour: 10_000n, refunded: 1 });
    const pricier = entry({ gpuModel: 'pricier', gflops: 1000, pricePerHour: 14_000n });
    const dearer = entry({ gpuModel: 'dearer', gflops: 1000, pricePerHour: 16_000n });
    expect(names(rankOffers([dearer, pricier, refunded], { token: TOKEN, vramMiB: 0 }).candidates)).toEqual([
      'pricier',
      'refunded',
      'dearer',
    ]);
    // A long good record dilutes one refund: 10 x (9 + 2 + 1) / (9 + 1 + 1) = 10.9.
    const veteran = entry({
      gpuModel: 'veteran',
      gflops: 1000,
      pricePerHour: 10_000n,
      settled: 9,
      refunded: 1,
    });
    const eleven = entry({ gpuModel: 'eleven', gflops: 1000, pricePerHour: 11_000n });
    expect(names(rankOffers([eleven, veteran], { token: TOKEN, vramMiB: 0 }).candidates)).toEqual([
      'veteran',
      'eleven',
    ]);
  });

  it('breaks ties by jobs settled, then fewer refunds, then price, then the address', () => {
    const tie = { gflops: 1000, pricePerHour: 10_000n };
    const newcomer = entry({
      ...tie,
      gpuModel: 'newcomer',
      provider: '0x00000000000000000000000000000000000000aa',
    });
    const settled = entry({ ...tie, gpuModel: 'settled', settled: 5 });
    const twin = entry({ ...tie, gpuModel: 'twin', provider: '0x00000000000000000000000000000000000000AB' });
    // Same effective price as the newcomer (2000 GFLOP/s at double the price), so the raw price decides.
    const doubled = entry({ gpuModel: 'doubled', gflops: 2000, pricePerHour: 20_000n });
    const ranked = rankOffers([twin, doubled, newcomer, settled], { token: TOKEN, vramMiB: 0 }).candidates;
    expect(names(ranked)).toEqual(['settled', 'newcomer', 'twin', 'doubled']);
    // The order does not depend on the input's order.
    expect(
      names(rankOffers([settled, newcomer, doubled, twin], { token: TOKEN, vramMiB: 0 }).candidates),
    ).toEqual(names(ranked));
  });

  it('leaves out what cannot take the job, saying why', () => {
    const retired = entry({ gpuModel: 'retired', registered: false });
    const otherToken = entry({ gpuModel: 'other-token', token: OTHER_TOKEN });
    const busy = entry({ gpuModel: 'busy', available: false });
    const small = entry({ gpuModel: 'small', vramMiB: 8192 });
    const dear = entry({ gpuModel: 'dear', pricePerHour: 2_000_000n });
    const hidden = entry({ gpuModel: 'hidden', multiaddrs: [] });
    const good = entry({ gpuModel: 'good' });
    const { candidates, excluded } = rankOffers([retired, otherToken, busy, small, dear, hidden, good], {
      token: TOKEN,
      vramMiB: 16_384,
      maxPricePerHour: 1_000_000n,
      tokenUnits: { decimals: 6, symbol: 'tUSD' },
    });
    expect(names(candidates)).toEqual(['good']);
    expect(excluded.map((e) => [e.peerId, e.code, e.reason])).toEqual([
      [retired.offer.peerId, 'retired', 'the provider has retired its offer'],
      [otherToken.offer.peerId, 'token', `paid in token ${OTHER_TOKEN}, not the network's ${TOKEN}`],
      [busy.offer.peerId, 'unavailable', 'not available now'],
      [small.offer.peerId, 'vram', '8192 MiB of GPU memory, the job needs 16384 MiB'],
      [dear.offer.peerId, 'price', '2.0 tUSD per hour is above the maximum of 1.0 tUSD per hour'],
      [hidden.offer.peerId, 'no-address', 'the offer lists no address to reach the provider at'],
    ]);
    expect(excluded[0]!.provider).toBe(retired.provider);
  });

  it('keeps only the provider asked for, by peer id or by address (any case)', () => {
    const a = entry({ gpuModel: 'a' });
    const b = entry({ gpuModel: 'b', available: false });
    const byPeer = rankOffers([a, b], { token: TOKEN, vramMiB: 0, provider: a.offer.peerId });
    expect(names(byPeer.candidates)).toEqual(['a']);
    expect(byPeer.excluded).toEqual([
      {
        provider: b.provider,
        peerId: b.offer.peerId,
        code: 'not-chosen',
        reason: `not the provider asked for (${a.offer.peerId})`,
      },
    ]);
    // The chosen provider's own problem is the reason given, not "not chosen".
    const byAddress = rankOffers([a, b], {
      token: TOKEN,
      vramMiB: 0,
      provider: b.provider.toUpperCase().replace('0X', '0x'),
    });
    expect(byAddress.candidates).toEqual([]);
    expect(byAddress.excluded.map((e) => e.code)).toEqual(['not-chosen', 'unavailable']);
  });

  it('takes an offer priced exactly at the maximum, and token addresses in any case', () => {
    const exact = entry({ pricePerHour: 1_000_000n, token: TOKEN.toLowerCase() });
    const { candidates } = rankOffers([exact], {
      token: TOKEN,
      vramMiB: 24_576,
      maxPricePerHour: 1_000_000n,
    });
    expect(candidates).toEqual([exact]);
  });
});
