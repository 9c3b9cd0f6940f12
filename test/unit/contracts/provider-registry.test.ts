// ProviderRegistry: offers (register, update, availability, retire, listing) and its reputation, which only
// the escrow writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZeroAddress } from 'ethers';
import { buildContracts } from '../../../scripts/build-contracts.js';
import { offerProblem, type Offer } from '../../../src/main/market/provider-registry';
import { expectError } from './escrow-helpers';
import { startMarketChain, type MarketChain } from './market-fixture';

let chain: MarketChain;

beforeAll(async () => {
  await buildContracts({ log: () => {} });
  chain = await startMarketChain();
}, 60_000);
afterAll(() => chain?.close());

const PEER = '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo';
const offer = (change: Partial<Offer> = {}): Offer => ({
  peerId: PEER,
  multiaddrs: [`/ip4/203.0.113.7/tcp/4001/p2p/${PEER}`, `/dns4/relay.example/tcp/443/wss/p2p-circuit`],
  gpuModel: 'NVIDIA GeForce RTX 4090',
  vramMiB: 24_564,
  gflops: 61_000,
  pricePerHour: 450_000n,
  token: chain.token,
  available: true,
  ...change,
});

describe('offers', () => {
  it('registers, reads back, updates, flips availability and retires; reputation outlives retirement', async () => {
    const registry = chain.registryAs(6);
    const me = chain.accounts[6]!;
    expect(await registry.offerOf(me)).toBeUndefined();
    await registry.register(offer());
    const read = await registry.offerOf(me);
    expect(read).toMatchObject(offer());
    const registeredAt = read!.updatedAt;
    expect(registeredAt).toBeGreaterThan(0n);
    await expectError(registry.register(offer()), 'AlreadyRegistered', [me]);

    await chain.increaseTime(30);
    await registry.update(offer({ multiaddrs: [], pricePerHour: 1n, available: false, gflops: 0 }));
    expect(await registry.offerOf(me)).toMatchObject({ multiaddrs: [], pricePerHour: 1n, available: false });
    await registry.setAvailable(true);
    const flipped = await registry.offerOf(me);
    expect(flipped?.available).toBe(true);
    expect(flipped!.updatedAt).toBeGreaterThan(registeredAt);

    await registry.retire();
    expect(await registry.offerOf(me)).toBeUndefined();
    await expectError(registry.retire(), 'NotRegistered', [me]);
    await expectError(registry.setAvailable(false), 'NotRegistered', [me]);
    await expectError(registry.update(offer()), 'NotRegistered', [me]);
    // Coming back is allowed; it is listed once.
    await registry.register(offer({ gpuModel: 'NVIDIA RTX A6000' }));
    expect((await registry.offerOf(me))?.gpuModel).toBe('NVIDIA RTX A6000');
    const listed = (await registry.listProviders()).filter((l) => l.provider === me);
    expect(listed).toHaveLength(1);
  });

  it('lists every provider in pages, retired ones marked', async () => {
    const before = await chain.registryAs(0).providerCount();
    for (const index of [7, 8]) await chain.registryAs(index).register(offer({ gflops: index }));
    await chain.registryAs(8).retire();
    const all = await chain.registryAs(0).listProviders(1);
    expect(all).toHaveLength(Number(before) + 2);
    expect(all.slice(-2)).toEqual([
      { provider: chain.accounts[7], offer: offer({ gflops: 7 }), registered: true },
      {
        provider: chain.accounts[8],
        offer: {
          peerId: '',
          multiaddrs: [],
          gpuModel: '',
          vramMiB: 0,
          gflops: 0,
          pricePerHour: 0n,
          token: ZeroAddress,
          available: false,
        },
        registered: false,
      },
    ]);
    // A page past the end is empty.
    const [providers] = (await chain.registryAs(0).contract.providersPage!(1000n, 10n)) as [string[]];
    expect(providers).toEqual([]);
  });

  it('refuses an offer with a bad field, naming it (as offerProblem does)', async () => {
    const registry = chain.registryAs(9);
    const cases: [Partial<Offer>, string][] = [
      [{ peerId: '' }, 'peerId'],
      [{ peerId: 'x'.repeat(129) }, 'peerId'],
      [{ multiaddrs: Array.from({ length: 9 }, (_, i) => `/ip4/10.0.0.${i}/tcp/1`) }, 'multiaddrs'],
      [{ multiaddrs: ['/ip4/10.0.0.1/tcp/1', ''] }, 'multiaddr'],
      [{ multiaddrs: [`/dns4/${'a'.repeat(250)}/tcp/1`] }, 'multiaddr'],
      [{ gpuModel: '' }, 'gpuModel'],
      [{ gpuModel: 'g'.repeat(65) }, 'gpuModel'],
      [{ vramMiB: 0 }, 'vramMiB'],
      [{ pricePerHour: 0n }, 'pricePerHour'],
      [{ token: ZeroAddress }, 'token'],
    ];
    for (const [change, field] of cases) {
      expect(offerProblem(offer(change)), field).toBe(field);
      await expectError(registry.register(offer(change)), 'InvalidOffer', [field]);
    }
    // At the limits exactly, it is fine.
    const edge = offer({
      peerId: 'p'.repeat(128),
      multiaddrs: Array.from({ length: 8 }, () => 'm'.repeat(256)),
      gpuModel: 'g'.repeat(64),
    });
    expect(offerProblem(edge)).toBeUndefined();
    await registry.register(edge);
    expect(await registry.offerOf(chain.accounts[9]!)).toMatchObject(edge);
  });
});

describe('reputation', () => {
  it('can be written by the escrow only', async () => {
    const registry = chain.registryAs(1);
    const me = chain.accounts[1]!;
    await expectError(
      registry.contract.recordSettlement!(me, chain.token, 1n, 1n) as Promise<unknown>,
      'NotEscrow',
      [me],
    );
    await expectError(registry.contract.recordRefund!(me) as Promise<unknown>, 'NotEscrow', [me]);
    expect(await registry.reputationOf(me)).toEqual({ jobsSettled: 0n, jobsRefunded: 0n, secondsPaid: 0n });
    expect(await registry.earned(me, chain.token)).toBe(0n);
  });
});
