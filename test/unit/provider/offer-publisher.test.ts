// The provider's offer in ProviderRegistry, against the real embedded devnet (port 0): published when the
// node goes online, updated when the price changes, availability flips debounced into one transaction,
// marked unavailable (not retired) when renting stops, a plain status without gas money, and listed by
// `nocturne market offers`.
import { JsonRpcProvider } from 'ethers';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderNodeStatus } from '../../../src/shared/schemas/market';
import type { OfferPublication } from '../../../src/shared/schemas/offer';
import type { WalletStatus } from '../../../src/shared/schemas/wallet';
import { runCli } from '../../../src/main/cli/run-cli';
import type { MarketOfferRow } from '../../../src/main/cli/commands/market-command';
import { createCore, type Core } from '../../../src/main/core/create-core';
import { ProviderRegistryClient } from '../../../src/main/market/provider-registry';
import { createFakeProbe } from '../../fakes/fake-gpu-probe';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();
const PASSWORD = 'provider pass 1234';
const DEBOUNCE_MS = 1000;
const cores: Core[] = [];
const rpcs: JsonRpcProvider[] = [];
afterEach(async () => {
  for (const rpc of rpcs.splice(0)) rpc.destroy();
  for (const core of cores.splice(0)) await core.shutdown();
});

async function call<T>(core: Core, channel: string, payload: unknown = {}): Promise<T> {
  const result = await core.router.call(channel, payload);
  if (!result.ok) throw new Error(result.error.message);
  return result.data as T;
}

/** A provider core with one fake 24 GiB card, for rent all week, with a new wallet (unfunded). */
async function providerCore() {
  const gpu = createFakeProbe();
  const core = createCore({
    dataDir: tempDir(),
    mode: 'headless',
    gpuProbes: [gpu.probe],
    monitorGpus: true,
    devnetPort: 0,
    p2p: { host: '127.0.0.1', nat: false },
    logger: createMemoryLogger(),
    walletScryptN: 2 ** 10,
    offerPublisher: { debounceMs: DEBOUNCE_MS, settleMs: 20, retryMs: 100, maxRetryMs: 400 },
  });
  cores.push(core);
  await gpu.sample({});
  await call(core, 'settings:update', { p2pPort: 0, offerPricePerHour: '0.72', offerMaxHours: 4 });
  await call(core, 'schedule:set', { timezone: 'UTC', slots: '1'.repeat(672) });
  const { status } = await call<{ status: WalletStatus }>(core, 'wallet:create', { password: PASSWORD });
  const { url, network } = await core.networks.connect();
  const rpc = new JsonRpcProvider(url, network.chainId, { staticNetwork: true, cacheTimeout: -1 });
  rpcs.push(rpc);
  const registry = new ProviderRegistryClient(network.contracts.ProviderRegistry!, rpc);
  return {
    core,
    address: status.address!,
    url,
    token: network.token!.address,
    onChain: () => registry.offerOf(status.address!),
    nonce: () => rpc.getTransactionCount(status.address!, 'latest'),
  };
}

async function goOnline(core: Core): Promise<ProviderNodeStatus> {
  await call(core, 'settings:update', { providerOnline: true });
  await expect
    .poll(async () => (await call<ProviderNodeStatus>(core, 'market:status')).state, { timeout: 15_000 })
    .toBe('online');
  return call<ProviderNodeStatus>(core, 'market:status');
}

const offerStatus = (core: Core) => call<OfferPublication>(core, 'market:offer');
const POLL = { timeout: 10_000, interval: 25 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the offer in ProviderRegistry', () => {
  it('is published when the node goes online, follows the price, and batches availability flips', async () => {
    const p = await providerCore();
    await call(p.core, 'wallet:faucet');
    const events: OfferPublication[] = [];
    p.core.events.subscribe((event, payload) => {
      if (event === 'market:offerChanged') events.push(payload as OfferPublication);
    });
    const node = await goOnline(p.core);

    await expect.poll(async () => (await offerStatus(p.core)).state, POLL).toBe('published');
    expect(await p.onChain()).toMatchObject({
      peerId: node.peerId,
      multiaddrs: node.addresses, // loopback is dialable on the local devnet
      gpuModel: 'NVIDIA GeForce RTX 3090',
      vramMiB: 24576,
      gflops: 0, // never benchmarked
      pricePerHour: 720_000n, // 0.72 tUSD: 200 base units a second, as quoted
      token: p.token,
      available: true,
    });
    const published = await offerStatus(p.core);
    expect(published).toMatchObject({ network: 'devnet', reason: null, offer: { pricePerHour: '720000' } });
    expect(published.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(events.some((e) => e.state === 'pending')).toBe(true);
    expect(await p.nonce()).toBe(1); // one transaction: register

    await call(p.core, 'settings:update', { offerPricePerHour: '1.08' });
    await expect.poll(async () => (await p.onChain())?.pricePerHour, POLL).toBe(1_080_000n);
    await expect.poll(async () => (await offerStatus(p.core)).state, POLL).toBe('published');
    expect(await p.nonce()).toBe(2); // update

    // A game starts and stops, twice: one setAvailable(false) once the last flip has held.
    await call(p.core, 'app:pause', { for: 'indefinitely' });
    await sleep(100);
    await call(p.core, 'app:resume');
    await sleep(100);
    await call(p.core, 'app:pause', { for: 'indefinitely' });
    const waiting = await offerStatus(p.core);
    expect(waiting.state).toBe('pending');
    expect(waiting.reason).toMatch(
      /^Will be marked unavailable at .* \(changes are batched to save gas\)\.$/,
    );
    expect((await p.onChain())?.available).toBe(true);
    await expect.poll(async () => (await p.onChain())?.available, POLL).toBe(false);
    await expect.poll(async () => (await offerStatus(p.core)).state, POLL).toBe('published');
    await sleep(DEBOUNCE_MS + 200);
    expect(await p.nonce()).toBe(3);

    // Back and forth inside the debounce: nothing sent.
    await call(p.core, 'app:resume');
    await sleep(100);
    await call(p.core, 'app:pause', { for: 'indefinitely' });
    await sleep(DEBOUNCE_MS + 300);
    expect(await p.nonce()).toBe(3);
    expect(await offerStatus(p.core)).toMatchObject({ state: 'published', reason: null });

    // Renting on again, then off: going offline marks the offer unavailable at once, and keeps it listed.
    await call(p.core, 'app:resume');
    await expect.poll(async () => (await p.onChain())?.available, POLL).toBe(true);
    await call(p.core, 'settings:update', { providerOnline: false });
    await expect
      .poll(async () => (await p.onChain())?.available, { ...POLL, timeout: 2 * DEBOUNCE_MS })
      .toBe(false);
    expect(await p.onChain()).toMatchObject({ pricePerHour: 1_080_000n }); // not retired
    expect(await offerStatus(p.core)).toMatchObject({
      state: 'published',
      reason: 'Listed as unavailable: renting is off.',
      offer: { available: false },
    });
    expect(await p.nonce()).toBe(5);

    // Anyone can list it: nocturne market offers on the same devnet.
    const port = new URL(p.url).port;
    let out = '';
    const code = await runCli(['market', 'offers', '--json', '--data-dir', tempDir()], {
      out: (t) => (out += t),
      err: (t) => (out += t),
      env: { NOCTURNE_DEVNET_PORT: port },
    });
    expect(code, out).toBe(0);
    const rows = JSON.parse(out) as MarketOfferRow[];
    expect(rows).toEqual([
      {
        provider: p.address,
        peerId: node.peerId,
        multiaddrs: node.addresses,
        gpuModel: 'NVIDIA GeForce RTX 3090',
        vramMiB: 24576,
        gflops: 0,
        pricePerHour: '1.08',
        pricePerHourUnits: '1080000',
        token: p.token,
        symbol: 'tUSD',
        available: false,
        reputation: { jobsSettled: 0, jobsRefunded: 0, secondsPaid: 0 },
      },
    ]);
    let text = '';
    await runCli(['market', 'offers', '--data-dir', tempDir()], {
      out: (t) => (text += t),
      err: (t) => (text += t),
      env: { NOCTURNE_DEVNET_PORT: port },
    });
    expect(text).toContain('1 offer on Local devnet, cheapest per GFLOP/s first:');
    expect(text).toContain(
      'NVIDIA GeForce RTX 3090, 24576 MiB, not benchmarked: 1.08 tUSD per hour, not available now',
    );
  }, 30_000);

  it('waits for an unlock, says plainly that it needs ETH for gas, and publishes once funded', async () => {
    const p = await providerCore();
    await call(p.core, 'wallet:lock');
    await goOnline(p.core);
    await expect
      .poll(async () => (await offerStatus(p.core)).reason, POLL)
      .toBe('Unlock the wallet to publish your offer on Local devnet.');
    expect(await offerStatus(p.core)).toMatchObject({ state: 'pending', network: 'devnet' });

    await call(p.core, 'wallet:unlock', { password: PASSWORD });
    await expect.poll(async () => (await offerStatus(p.core)).state, POLL).toBe('error');
    const broke = await offerStatus(p.core);
    expect(broke.reason).toMatch(/^Your offer needs ETH for gas on Local devnet: .* the wallet has 0\.0 /);
    expect(await p.onChain()).toBeUndefined();

    await call(p.core, 'wallet:faucet'); // no event for a balance: the back-off retry finds it
    await expect.poll(async () => (await offerStatus(p.core)).state, POLL).toBe('published');
    expect((await p.onChain())?.available).toBe(true);
  }, 30_000);
});
