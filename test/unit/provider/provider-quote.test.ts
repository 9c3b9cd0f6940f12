// The provider node inside the core, and a renter asking it for a quote from the CLI: two data
// directories, loopback only, the real libp2p stack and signatures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, afterEach } from 'vitest';
import type { ProviderNodeStatus } from '../../../src/shared/schemas/market';
import { runCli } from '../../../src/main/cli/run-cli';
import { createCore, type Core } from '../../../src/main/core/create-core';
import { createFakeProbe } from '../../fakes/fake-gpu-probe';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();
const PASSWORD = 'provider pass 1234';
const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.shutdown();
});

async function call<T>(core: Core, channel: string, payload: unknown = {}): Promise<T> {
  const result = await core.router.call(channel, payload);
  if (!result.ok) throw new Error(result.error.message);
  return result.data as T;
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env: { NOCTURNE_DEVNET_PORT: '0', ...env },
  });
  return { code, out, err };
}

async function provider(): Promise<{ core: Core; address: string }> {
  const gpu = createFakeProbe();
  const core = createCore({
    dataDir: tempDir(),
    mode: 'headless',
    gpuProbes: [gpu.probe],
    monitorGpus: true,
    startDevnet: null,
    p2p: { host: '127.0.0.1', nat: false },
    logger: createMemoryLogger(),
  });
  cores.push(core);
  await gpu.sample({}); // one 24 GiB card, as nvidia-smi would report it
  await call(core, 'settings:update', { p2pPort: 0, offerPricePerHour: '0.72', offerMaxHours: 4 });
  await call(core, 'schedule:set', { timezone: 'UTC', slots: '1'.repeat(672) }); // for rent all week
  await call(core, 'wallet:create', { password: PASSWORD });
  const online = new Promise<ProviderNodeStatus>((resolve) =>
    core.events.subscribe((event, payload) => {
      if (event === 'market:statusChanged' && (payload as ProviderNodeStatus).state !== 'starting')
        resolve(payload as ProviderNodeStatus);
    }),
  );
  await call(core, 'settings:update', { providerOnline: true });
  const status = await online;
  expect(status, status.reason ?? '').toMatchObject({ state: 'online' });
  return { core, address: status.addresses[0]! };
}

describe('provider node and renter quotes', () => {
  it('goes online when the owner says so, and quotes a renter its price, signed for the renter', async () => {
    const { core, address } = await provider();
    expect(address).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3Koo/);
    const renterDir = tempDir();
    expect(
      (
        await cli(['wallet', 'import', '--private-key', '--data-dir', renterDir], {
          NOCTURNE_PASSWORD: PASSWORD,
        })
      ).code,
    ).toBe(2); // nobody to ask for the key: refused as a wrong call, nothing imported
    await createRenterWallet(renterDir);

    const quoted = await cli(['market', 'quote', address, '--hours', '2', '--data-dir', renterDir]);
    expect(quoted.code, quoted.err).toBe(0);
    expect(quoted.out).toContain('price   0.72 tUSD per hour');
    expect(quoted.out).toContain('up to   2.00 hours');
    const asJson = await cli(['market', 'quote', address, '--hours', '9', '--json', '--data-dir', renterDir]);
    const quote = JSON.parse(asJson.out);
    expect(quote).toMatchObject({ chainId: 31337, pricePerSecond: '200', maxSeconds: 4 * 3600 });
    expect(quote.provider).toBe(address.split('/p2p/')[1]);
    const providerWallet = await call<{ address: string }>(core, 'wallet:status');
    expect(quote.providerAddress).toBe(providerWallet.address);
  }, 60_000);

  it('refuses in words when the GPU is not for rent, never saying why, and when the wallet is locked', async () => {
    const { core, address } = await provider();
    const renterDir = tempDir();
    await createRenterWallet(renterDir);
    await call(core, 'app:pause', { for: 'indefinitely' });
    const paused = await cli(['market', 'quote', address, '--data-dir', renterDir]);
    expect(paused.code).toBe(1);
    expect(paused.out).toBe('Refused (unavailable): This provider is not for rent right now.\n');
    await call(core, 'app:resume');
    await call(core, 'wallet:lock');
    const locked = await cli(['market', 'quote', address, '--data-dir', renterDir]);
    expect(locked.out).toContain('Refused (unavailable): This provider cannot sign quotes right now.');
    const tooBig = await cli(['market', 'quote', address, '--vram', '999999', '--data-dir', renterDir]);
    expect(tooBig.out).toContain('Refused (insufficient-gpu)');
  }, 60_000);

  it('refuses as unprofitable a job whose electricity the price does not cover, and learns from it', async () => {
    const { core, address } = await provider();
    const renterDir = tempDir();
    await createRenterWallet(renterDir);
    // The fake card is rated 350 W: at 2.5 a kWh that is 0.875 an hour, above the 0.72 asked.
    await call(core, 'settings:update', { electricityPerKWh: 2.5 });
    const refused = await cli(['market', 'quote', address, '--hours', '2', '--data-dir', renterDir]);
    expect(refused.code).toBe(1);
    expect(refused.out).toBe(
      'Refused (unprofitable): The price does not cover electricity for a job of 2 hours at this time.\n',
    );
    // Worth 2 in the owner's currency, a token covers twice as much electricity: quoted again.
    await call(core, 'settings:update', { tokenValue: 2 });
    const quoted = await cli(['market', 'quote', address, '--hours', '2', '--data-dir', renterDir]);
    expect(quoted.code, quoted.out + quoted.err).toBe(0);
    // Both requests were demand, kept in the data directory when the provider stops.
    await core.shutdown();
    const saved = JSON.parse(readFileSync(join(core.dataDir, 'pricing', 'demand.json'), 'utf8'));
    expect(saved.samples).toHaveLength(2);
  }, 60_000);

  it('goes offline again, and a renter is told plainly that nobody answers', async () => {
    const { core, address } = await provider();
    await call(core, 'settings:update', { providerOnline: false });
    await expect
      .poll(async () => (await call<ProviderNodeStatus>(core, 'market:status')).state)
      .toBe('offline');
    const renterDir = tempDir();
    await createRenterWallet(renterDir);
    const result = await cli(['market', 'quote', address, '--data-dir', renterDir]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('the provider did not answer properly');
  }, 60_000);
});

async function createRenterWallet(dataDir: string) {
  let answered = false;
  const code = await runCli(['wallet', 'import', '--private-key', '--data-dir', dataDir], {
    out: () => {},
    err: () => {},
    env: { NOCTURNE_PASSWORD: PASSWORD, NOCTURNE_DEVNET_PORT: '0' },
    ask: async () => {
      answered = true;
      return `0x${'5a'.repeat(32)}`;
    },
  });
  expect(answered && code).toBe(0);
}
