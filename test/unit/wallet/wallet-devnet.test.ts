// The wallet against the real embedded devnet (Hardhat EDR): create, lock, unlock, pay in the test
// stablecoin, see it confirmed and the balances move; and every refusal changes nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Contract, JsonRpcProvider, parseEther, parseUnits } from 'ethers';
import { afterEach, describe, expect, it } from 'vitest';
import type { Balances, WalletStatus, WalletTransaction } from '../../../src/shared/schemas/wallet';
import { createCore, type Core } from '../../../src/main/core/create-core';
import { erc20Interface } from '../../../src/main/wallet/erc20';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';
import { testWallet } from '../devnet/devnet-helpers';

const tempDir = useTempDirs();
const PASSWORD = 'correct horse battery staple';
const RECIPIENT = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'; // test account 3
const open: Core[] = [];
afterEach(async () => {
  for (const core of open.splice(0)) await core.shutdown();
});

function start(dataDir: string): Core {
  const core = createCore({
    dataDir,
    mode: 'headless',
    gpuProbes: [],
    devnetPort: 0,
    logger: createMemoryLogger(),
  });
  open.push(core);
  return core;
}

async function call<T>(core: Core, channel: string, payload: unknown = {}): Promise<T> {
  const result = await core.router.call(channel, payload);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { field: result.error.field });
  return result.data as T;
}

async function refusal(core: Core, channel: string, payload: unknown) {
  const result = await core.router.call(channel, payload);
  expect(result.ok, `${channel} should refuse ${JSON.stringify(payload)}`).toBe(false);
  return result.ok ? null : result.error;
}

async function fund(core: Core, address: string, tusd: string) {
  const { url, network } = await core.networks.connect();
  const provider = new JsonRpcProvider(url, network.chainId, { staticNetwork: true, cacheTimeout: -1 });
  const funder = testWallet(0).connect(provider);
  const token = new Contract(network.token!.address, erc20Interface, funder);
  const nonce = await provider.getTransactionCount(funder.address, 'pending');
  await (await funder.sendTransaction({ to: address, value: parseEther('1'), nonce })).wait();
  await (await token.getFunction('transfer')(address, parseUnits(tusd, 6), { nonce: nonce + 1 })).wait();
  provider.destroy();
}

const tokenOf = (b: Balances) => b.balances.find((x) => x.asset === 'token')!;

async function settled(core: Core, hash: string): Promise<WalletTransaction> {
  for (let i = 0; i < 100; i += 1) {
    const { transactions } = await call<{ transactions: WalletTransaction[] }>(core, 'wallet:transactions');
    const tx = transactions.find((t) => t.hash === hash);
    if (tx && tx.status !== 'pending') return tx;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${hash} still pending`);
}

describe('wallet on the embedded devnet', () => {
  it('creates, locks, unlocks and pays in tUSD; the payment confirms and the balances move exactly', async () => {
    const dataDir = tempDir();
    const core = start(dataDir);
    const { status } = await call<{ status: WalletStatus }>(core, 'wallet:create', { password: PASSWORD });
    expect(status).toMatchObject({ exists: true, locked: false, kind: 'mnemonic' });
    const address = status.address!;
    await fund(core, address, '100');

    const before = await call<Balances>(core, 'wallet:balances');
    expect(tokenOf(before)).toMatchObject({ symbol: 'tUSD', decimals: 6, formatted: '100.0' });

    await call(core, 'wallet:lock');
    const request = { asset: 'token', to: RECIPIENT, amount: '12.345678' };
    expect(await refusal(core, 'wallet:estimateSend', request)).toMatchObject({
      message: 'The wallet is locked. Unlock it first.',
    });
    expect(await refusal(core, 'wallet:unlock', { password: 'not the password' })).toMatchObject({
      message: 'Wrong password.',
      field: 'password',
    });
    await call(core, 'wallet:unlock', { password: PASSWORD });

    const estimate = await call<{ maxFee: string; amountUnits: string; to: string }>(
      core,
      'wallet:estimateSend',
      request,
    );
    expect(estimate).toMatchObject({ amountUnits: '12345678', to: RECIPIENT });
    expect(Number(estimate.maxFee)).toBeGreaterThan(0);
    const recipientBefore = tokenOf(await balancesOf(core, RECIPIENT)).units;

    const sent = await call<WalletTransaction>(core, 'wallet:send', { ...request, maxFee: estimate.maxFee });
    expect(sent).toMatchObject({ status: 'pending', from: address, to: RECIPIENT, amount: '12.345678' });
    const done = await settled(core, sent.hash);
    expect(done).toMatchObject({ status: 'confirmed', error: null });
    expect(done.blockNumber).toBeGreaterThan(0);
    expect(Number(done.fee)).toBeGreaterThan(0);

    const after = await call<Balances>(core, 'wallet:balances');
    expect(BigInt(tokenOf(before).units) - BigInt(tokenOf(after).units)).toBe(12_345_678n);
    expect(BigInt(tokenOf(await balancesOf(core, RECIPIENT)).units) - BigInt(recipientBefore)).toBe(
      12_345_678n,
    );
    const nativeSpent = BigInt(before.balances[0]!.units) - BigInt(after.balances[0]!.units);
    expect(nativeSpent).toBe(parseEther(done.fee!)); // the fee, and nothing else, in ETH

    // The history survives a restart.
    await core.shutdown();
    open.splice(open.indexOf(core), 1);
    const again = start(dataDir);
    const { transactions } = await call<{ transactions: WalletTransaction[] }>(again, 'wallet:transactions');
    expect(transactions.map((t) => [t.hash, t.status])).toEqual([[sent.hash, 'confirmed']]);
    expect(tokenOf(await call<Balances>(again, 'wallet:balances')).units).toBe(tokenOf(after).units);

    // No key material in the database or the log files.
    const phraseCheck = await call<{ secret: string }>(again, 'wallet:export', { password: PASSWORD });
    assertAbsent(dataDir, [phraseCheck.secret, PASSWORD]);
  }, 60_000);

  it('refuses a bad address, bad amounts and more than the balance with a clear message, sending nothing', async () => {
    const core = start(tempDir());
    const { status } = await call<{ status: WalletStatus }>(core, 'wallet:create', { password: PASSWORD });
    await fund(core, status.address!, '5');
    const wrongChecksum = RECIPIENT.replace('F79bf6EB', 'f79bf6EB');
    const cases: [Record<string, string>, string, string][] = [
      [{ to: wrongChecksum }, 'to', 'wrong checksum'],
      [{ to: '0x1234' }, 'to', 'an address'],
      [{ amount: '-1' }, 'amount', 'positive number'],
      [{ amount: '0' }, 'amount', 'more than 0'],
      [{ amount: '1.0000001' }, 'amount', 'more than 6 decimal places (tUSD has 6)'],
      [{ amount: '5.000001' }, 'amount', 'more than your balance (5.0 tUSD)'],
      [{ amount: '2', asset: 'native' }, 'amount', 'more than your balance'],
    ];
    for (const [change, field, message] of cases) {
      const payload = { asset: 'token', to: RECIPIENT, amount: '1', ...change };
      for (const channel of ['wallet:estimateSend', 'wallet:send']) {
        const error = await refusal(
          core,
          channel,
          channel === 'wallet:send' ? { ...payload, maxFee: '1' } : payload,
        );
        expect(error?.field, `${channel} ${JSON.stringify(change)}`).toBe(field);
        expect(error?.message).toContain(message);
      }
    }
    // A fee above what the owner confirmed is refused too.
    expect(
      await refusal(core, 'wallet:send', {
        asset: 'token',
        to: RECIPIENT,
        amount: '1',
        maxFee: '0.000000000000000001',
      }),
    ).toMatchObject({ field: 'maxFee' });
    expect((await call<{ transactions: unknown[] }>(core, 'wallet:transactions')).transactions).toEqual([]);
    expect(tokenOf(await call<Balances>(core, 'wallet:balances')).formatted).toBe('5.0');
  }, 60_000);

  it('refuses a custom network whose RPC serves another chain id', async () => {
    const core = start(tempDir());
    const { url } = await core.networks.connect();
    expect(await refusal(core, 'network:add', { name: 'Mainnet', chainId: 1, rpcUrls: [url] })).toMatchObject(
      {
        field: 'rpcUrls.0',
        message: `${url} serves chain id 31337, not 1: it is another network.`,
      },
    );
    expect((await call<{ networks: unknown[] }>(core, 'network:list')).networks).toHaveLength(1);
  });
});

async function balancesOf(core: Core, address: string): Promise<Balances> {
  const { url, network } = await core.networks.connect();
  const provider = new JsonRpcProvider(url, network.chainId, { staticNetwork: true, cacheTimeout: -1 });
  const token = new Contract(network.token!.address, erc20Interface, provider);
  const units = (await token.getFunction('balanceOf')(address)) as bigint;
  provider.destroy();
  return {
    networkId: network.id,
    address,
    blockNumber: 0,
    balances: [
      { asset: 'token', symbol: 'tUSD', decimals: 6, units: units.toString(), formatted: '', contract: null },
    ],
  };
}

/** Searches every file of the data directory, the encrypted keystore included, for the secrets in clear. */
function assertAbsent(dataDir: string, secrets: string[]) {
  const files = readdirSync(dataDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
  expect(files.some((f) => f.includes('sqlite'))).toBe(true);
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const secret of secrets)
      expect(bytes.includes(Buffer.from(secret)), `${secret.slice(0, 8)}… found in ${file}`).toBe(false);
  }
}
