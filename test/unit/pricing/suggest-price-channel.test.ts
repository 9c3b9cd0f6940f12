// `market:suggestPrice` end to end against the real embedded devnet (port 0): another provider's offer in
// ProviderRegistry and a job a renter opened with it on JobEscrow are the market; the owner's tariff and
// the card's rated power are the costs. Also `nocturne market suggest-price --json`.
import { Contract, JsonRpcProvider, Wallet, ZeroHash } from 'ethers';
import { afterEach, describe, expect, it } from 'vitest';
import type { PriceSuggestionView } from '../../../src/shared/schemas/market';
import { runCli } from '../../../src/main/cli/run-cli';
import { createCore, type Core } from '../../../src/main/core/create-core';
import { JobEscrowClient } from '../../../src/main/market/job-escrow';
import { ProviderRegistryClient } from '../../../src/main/market/provider-registry';
import { createFakeProbe } from '../../fakes/fake-gpu-probe';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();
// Hardhat's public test accounts #1 (another provider) and #2 (a renter): never for real funds.
const OTHER_PROVIDER = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const RENTER = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';
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

describe('market:suggestPrice', () => {
  it('reads the market on the selected network, counts the owner’s electricity, and gives its reasons', async () => {
    const gpu = createFakeProbe(); // an RTX 3090 rated at 350 W, not benchmarked
    const dataDir = tempDir();
    const core = createCore({
      dataDir,
      mode: 'headless',
      gpuProbes: [gpu.probe],
      devnetPort: 0,
      logger: createMemoryLogger(),
    });
    cores.push(core);

    // Nothing on the market yet: costs only.
    await call(core, 'settings:update', { electricityPerKWh: 0.368, tokenValue: 0.92 }); // 0.4 tUSD a kWh
    const before = await call<PriceSuggestionView>(core, 'market:suggestPrice');
    expect(before).toMatchObject({ price: '0.175', symbol: 'tUSD', network: 'Local devnet', basis: 'costs' });
    expect(before.reasons).toContain(
      'Electricity at your tariff costs 0.14 tUSD/h under load (350 W, the card’s rated power).',
    );
    expect(before.reasons.join(' ')).toMatch(
      /There are no other offers in tUSD on Local devnet, nor jobs in the last \d+ blocks/,
    );

    // Another provider offers 0.6 tUSD an hour, and a renter opened a job with it at 0.72.
    const { url, network } = await core.networks.connect();
    const rpc = new JsonRpcProvider(url, network.chainId, { staticNetwork: true, cacheTimeout: -1 });
    rpcs.push(rpc);
    const token = network.token!.address;
    const other = new Wallet(OTHER_PROVIDER, rpc);
    await new ProviderRegistryClient(network.contracts.ProviderRegistry!, other).register({
      peerId: '12D3KooWEWwxekJ4PEWyg2LzutWqVA9EsTgSW6nGxLXCbLRxw6LW',
      multiaddrs: ['/ip4/127.0.0.1/tcp/4747'],
      gpuModel: 'NVIDIA GeForce RTX 3090',
      vramMiB: 24_576,
      gflops: 20_000,
      pricePerHour: 600_000n,
      token,
      available: true,
    });
    const renter = new Wallet(RENTER, rpc);
    const escrow = network.contracts.JobEscrow!;
    const erc20 = new Contract(token, ['function approve(address,uint256) returns (bool)'], renter);
    await (await erc20.getFunction('approve')(escrow, 720_000n)).wait();
    const latest = await rpc.getBlock('latest');
    await new JobEscrowClient(escrow, renter).openJob({
      provider: other.address,
      token,
      deposit: 720_000n,
      pricePerSecond: 200n,
      maxSeconds: 3600n,
      specHash: ZeroHash.replace(/0$/, '1'),
      startDeadline: BigInt(latest!.timestamp + 600),
    });

    const after = await call<PriceSuggestionView>(core, 'market:suggestPrice');
    expect(after).toMatchObject({ price: '0.72', units: '720000', basis: 'paid' });
    expect(after.reasons.join('\n')).toMatch(/no benchmark yet/);
    expect(after.reasons.join('\n')).toMatch(/Renters paid 0\.72 tUSD\/h in 1 job in the last \d+ blocks/);

    // Nothing was saved: the price is the owner's to apply.
    expect((await call<{ offerPricePerHour: string }>(core, 'settings:get')).offerPricePerHour).toBe('0.5');

    // The CLI asks the same router (beside the running core, as beside the app).
    let out = '';
    const code = await runCli(['market', 'suggest-price', '--json', '--data-dir', dataDir], {
      out: (t) => (out += t),
      err: () => {},
      env: { NOCTURNE_DEVNET_PORT: String(new URL(url).port) },
    });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ network: 'Local devnet', symbol: 'tUSD' });
  }, 60_000);
});
