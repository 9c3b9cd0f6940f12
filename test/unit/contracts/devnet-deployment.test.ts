// The embedded devnet deploys the market (ProviderRegistry, JobEscrow) at its first start, at fixed
// addresses, and into a chain made before the market existed; the app's bindings work over its HTTP RPC.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Contract,
  getCreateAddress,
  keccak256,
  MaxUint256,
  NonceManager,
  type JsonRpcProvider,
} from 'ethers';
import { buildContracts } from '../../../scripts/build-contracts.js';
import { loadArtifact } from '../../../src/main/contracts/artifacts';
import {
  DEVNET_DEPLOYER,
  DEVNET_JOB_ESCROW_ADDRESS,
  DEVNET_MARKET_CONTRACTS,
  DEVNET_PROVIDER_REGISTRY_ADDRESS,
  DEVNET_TEST_USD_ADDRESS,
} from '../../../src/main/devnet/devnet-addresses';
import { DEVNET_CHAIN_ID } from '../../../src/main/devnet/start-devnet';
import { JobEscrowClient } from '../../../src/main/market/job-escrow';
import { ProviderRegistryClient } from '../../../src/main/market/provider-registry';
import { signVoucher } from '../../../src/main/market/voucher';
import { useTempDirs } from '../../fakes/temp-dir';
import { testWallet, useDevnets } from '../devnet/devnet-helpers';

const tempDir = useTempDirs();
const devnets = useDevnets();

beforeAll(async () => {
  await buildContracts({ log: () => {} });
});

const journalLines = (stateDir: string) =>
  readFileSync(join(stateDir, 'journal.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Opens a job with account 1 for account 2 and redeems a voucher, over HTTP, with the app's bindings. */
async function rentOnce(provider: JsonRpcProvider, contracts: { TestUSD: string; JobEscrow: string }) {
  const renter = new NonceManager(testWallet(1).connect(provider));
  const token = new Contract(contracts.TestUSD, loadArtifact('TestUSD').abi as never, renter);
  await (await token.approve!(contracts.JobEscrow, MaxUint256)).wait();
  const escrow = new JobEscrowClient(contracts.JobEscrow, renter);
  const latest = await provider.getBlock('latest');
  const job = await escrow.openJob({
    provider: testWallet(2).address,
    token: contracts.TestUSD,
    deposit: 5_000_000n,
    pricePerSecond: 100n,
    maxSeconds: 600n,
    specHash: `0x${'11'.repeat(32)}`,
    startDeadline: BigInt(latest!.timestamp) + 600n,
  });
  const voucher = await signVoucher(testWallet(1), await escrow.domain(), {
    jobId: job.jobId,
    cumulativeAmount: 1_250_000n,
  });
  const paid = await escrow
    .connect(new NonceManager(testWallet(2).connect(provider)))
    .redeem(job.terms, voucher);
  expect(paid.redeemed).toEqual([{ jobId: job.jobId, totalPaid: 1_250_000n }]);
  return job;
}

describe('the devnet market', () => {
  it('is deployed at the first start at the fixed addresses, wired together, kept across restarts', async () => {
    expect(DEVNET_TEST_USD_ADDRESS).toBe('0x5FbDB2315678afecb367f032d93F642f64180aa3');
    expect(DEVNET_MARKET_CONTRACTS).toEqual({
      ProviderRegistry: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
      JobEscrow: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
    });
    const dataDir = tempDir();
    const first = await devnets(dataDir);
    expect(first.devnet.contracts).toEqual({
      TestUSD: DEVNET_TEST_USD_ADDRESS,
      ProviderRegistry: DEVNET_PROVIDER_REGISTRY_ADDRESS,
      JobEscrow: DEVNET_JOB_ESCROW_ADDRESS,
    });
    expect(journalLines(first.devnet.stateDir).map((l) => l.label)).toEqual([
      'deploy:TestUSD',
      'deploy:ProviderRegistry',
      'deploy:JobEscrow',
    ]);
    const provider = first.provider();
    expect(await new ProviderRegistryClient(DEVNET_PROVIDER_REGISTRY_ADDRESS, provider).escrow()).toBe(
      DEVNET_JOB_ESCROW_ADDRESS,
    );
    expect(await new JobEscrowClient(DEVNET_JOB_ESCROW_ADDRESS, provider).registry()).toBe(
      DEVNET_PROVIDER_REGISTRY_ADDRESS,
    );
    const job = await rentOnce(provider, first.devnet.contracts);
    await first.devnet.stop();

    const second = await devnets(dataDir);
    expect(second.devnet.contracts).toEqual(first.devnet.contracts);
    expect(journalLines(second.devnet.stateDir)).toHaveLength(3 + 3); // approve, openJob, redeem
    expect(
      await new JobEscrowClient(DEVNET_JOB_ESCROW_ADDRESS, second.provider()).jobState(job.jobId),
    ).toEqual({
      status: 'Started',
      paid: 1_250_000n,
    });
    expect(second.logger.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it("is added to a chain made before it existed, at the deployer's next nonces", async () => {
    // A journal as the previous version left it: TestUSD, then a payment by account 0 (its nonce 1).
    const dataDir = tempDir();
    const fresh = await devnets(dataDir);
    const [testUsdLine] = readFileSync(join(fresh.devnet.stateDir, 'journal.ndjson'), 'utf8').split('\n');
    await fresh.devnet.stop();
    const payment = await testWallet(0).signTransaction({
      to: testWallet(9).address,
      value: 1n,
      nonce: 1,
      gasLimit: 21_000,
      chainId: DEVNET_CHAIN_ID,
      maxFeePerGas: 10n ** 10n,
      maxPriorityFeePerGas: 1n,
    });
    const time = (JSON.parse(testUsdLine!) as { time: number }).time + 10;
    const old = [
      testUsdLine,
      JSON.stringify({
        method: 'eth_sendRawTransaction',
        params: [payment],
        block: 2,
        time,
        result: keccak256(payment),
      }),
    ];
    writeFileSync(join(fresh.devnet.stateDir, 'journal.ndjson'), `${old.join('\n')}\n`);

    const upgraded = await devnets(dataDir);
    const expected = {
      TestUSD: DEVNET_TEST_USD_ADDRESS,
      ProviderRegistry: getCreateAddress({ from: DEVNET_DEPLOYER, nonce: 2 }),
      JobEscrow: getCreateAddress({ from: DEVNET_DEPLOYER, nonce: 3 }),
    };
    expect(upgraded.devnet.contracts).toEqual(expected);
    expect(journalLines(upgraded.devnet.stateDir).map((l) => l.label)).toEqual([
      'deploy:TestUSD',
      undefined,
      'deploy:ProviderRegistry',
      'deploy:JobEscrow',
    ]);
    const provider = upgraded.provider();
    expect(await new ProviderRegistryClient(expected.ProviderRegistry, provider).escrow()).toBe(
      expected.JobEscrow,
    );
    await rentOnce(provider, upgraded.devnet.contracts);
    await upgraded.devnet.stop();

    const again = await devnets(dataDir);
    expect(again.devnet.contracts).toEqual(expected);
  });
});
