// npm run bench:gas: gas used by each market transaction, measured on a fresh embedded devnet (EDR, prague,
// the contracts as the devnet deploys them, paid in TestUSD, an OpenZeppelin ERC-20). Prints one table:
// register, openJob, redeem (to a provider that already holds the token, and a first payment), redeemMany
// at 1, 10 and 50 jobs with the figure per job, reclaim, and the other calls of a job's life.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, HDNodeWallet, JsonRpcProvider, MaxUint256, Wallet, type TransactionReceipt } from 'ethers';
import { loadArtifact } from '../src/main/contracts/artifacts';
import { DEVNET_MNEMONIC, startDevnet } from '../src/main/devnet/start-devnet';
import { JobEscrowClient, type OpenedJob } from '../src/main/market/job-escrow';
import { ProviderRegistryClient, type Offer } from '../src/main/market/provider-registry';
import { signVoucher, type VoucherDomain } from '../src/main/market/voucher';

const TARGETS: Record<string, number> = { openJob: 100_000, redeem: 50_000, redeemMany50: 16_000 };
const tusd = (n: number) => BigInt(Math.round(n * 1e6));

const dir = mkdtempSync(join(tmpdir(), 'nocturne-bench-gas-'));
const devnet = await startDevnet({ dataDir: dir, port: 0 });
const provider = new JsonRpcProvider(devnet.url, devnet.chainId, { staticNetwork: true, cacheTimeout: -1 });
provider.pollingInterval = 20;
const rows: { what: string; gas: bigint; jobs?: number; target?: number }[] = [];
const note = (what: string, receipt: TransactionReceipt, jobs?: number, target?: number) =>
  rows.push({ what, gas: receipt.gasUsed, jobs, target });

try {
  const signers = await Promise.all(devnet.accounts.map((a) => provider.getSigner(a)));
  const keys = devnet.accounts.map((_, i) =>
    HDNodeWallet.fromPhrase(DEVNET_MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`),
  );
  const [renter, providerAccount, other] = [1, 2, 3];
  const escrowAs = (i: number) => new JobEscrowClient(devnet.contracts.JobEscrow, signers[i]!);
  const registryAs = (i: number) =>
    new ProviderRegistryClient(devnet.contracts.ProviderRegistry, signers[i]!);
  const token = new Contract(devnet.contracts.TestUSD, loadArtifact('TestUSD').abi as never, signers[renter]);
  const domain: VoucherDomain = await escrowAs(renter).domain();
  const now = async () => BigInt((await provider.getBlock('latest'))!.timestamp);
  const sign = (job: OpenedJob, amount: bigint) =>
    signVoucher(keys[renter]!, domain, { jobId: job.jobId, cumulativeAmount: amount });

  // Registry.
  const offer: Offer = {
    peerId: '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo',
    multiaddrs: [
      '/ip4/203.0.113.7/tcp/4001/p2p/12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo',
      '/ip4/203.0.113.7/udp/4001/quic-v1/p2p/12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo',
    ],
    gpuModel: 'NVIDIA GeForce RTX 4090',
    vramMiB: 24_564,
    gflops: 61_000,
    pricePerHour: tusd(0.45),
    token: devnet.contracts.TestUSD,
    available: true,
  };
  note('register (offer with 2 multiaddrs)', await registryAs(providerAccount).register(offer));
  note('setAvailable', await registryAs(providerAccount).setAvailable(false));
  note('update (same offer, available)', await registryAs(providerAccount).update(offer));

  // Jobs: 20 tUSD deposit at 0.000125 tUSD/s (0.45 tUSD/h), up to 2 h, start within 10 min.
  const openJob = async (overrides: { provider?: string } = {}) =>
    escrowAs(renter).openJob({
      provider: overrides.provider ?? devnet.accounts[providerAccount]!,
      token: devnet.contracts.TestUSD,
      deposit: tusd(20),
      pricePerSecond: 125n,
      maxSeconds: 7200n,
      specHash: '0x9c1185a5c5e9fc54612808977ee8f548b2258d31d7f0e4b1a6e0f9e6a5b4c3d2',
      startDeadline: (await now()) + 600n,
    });

  note(
    'approve (exact deposit, before openJob)',
    await (await token.approve!(devnet.contracts.JobEscrow, tusd(20))).wait(),
  );
  const first = await openJob();
  note("openJob (the escrow's first job, exact approval)", first.receipt);
  await (await token.approve!(devnet.contracts.JobEscrow, tusd(20))).wait();
  const exact = await openJob();
  note('openJob (exact approval)', exact.receipt, undefined, TARGETS.openJob);
  await (await token.approve!(devnet.contracts.JobEscrow, MaxUint256)).wait();
  const standing = await openJob();
  note('openJob (standing allowance)', standing.receipt, undefined, TARGETS.openJob);

  note('startJob', (await escrowAs(providerAccount).startJob(standing.terms)).receipt);
  await escrowAs(providerAccount).startJob(exact.terms);
  note(
    'redeem (provider holds tUSD)',
    (await escrowAs(providerAccount).redeem(standing.terms, await sign(standing, tusd(1)))).receipt,
    undefined,
    TARGETS.redeem,
  );
  note(
    'redeem (same job, next voucher)',
    (await escrowAs(providerAccount).redeem(standing.terms, await sign(standing, tusd(2)))).receipt,
    undefined,
    TARGETS.redeem,
  );

  // A provider with no tUSD yet: its balance slot goes from zero to non-zero.
  const newcomer = Wallet.createRandom().address;
  const fresh = await openJob({ provider: newcomer });
  note(
    'redeem (first payment to a provider)',
    (await escrowAs(other).redeem(fresh.terms, await sign(fresh, tusd(1)))).receipt,
  );

  for (const count of [1, 10, 50]) {
    const jobs: OpenedJob[] = [];
    for (let i = 0; i < count; i++) jobs.push(await openJob());
    const redemptions = await Promise.all(
      jobs.map(async (job) => ({ terms: job.terms, voucher: await sign(job, tusd(3)) })),
    );
    const { receipt } = await escrowAs(providerAccount).redeemMany(redemptions);
    note(
      `redeemMany (${count} job${count > 1 ? 's' : ''}, one provider)`,
      receipt,
      count,
      count === 50 ? TARGETS.redeemMany50 : undefined,
    );
  }

  note(
    'finish (final voucher paid, rest refunded)',
    (await escrowAs(providerAccount).finish(first.terms, await sign(first, tusd(5)))).receipt,
  );
  const unstarted = await openJob();
  note('cancel (before start)', (await escrowAs(renter).cancel(unstarted.terms)).receipt);
  const neverStarted = await openJob();

  // Past every deadline: the renter takes back the rest.
  await provider.send('evm_increaseTime', [7200 + 600 + 86_400 + 1]);
  await provider.send('evm_mine', []);
  note(
    'reclaim (started, part paid: refund + reputation)',
    (await escrowAs(renter).reclaim(standing.terms)).receipt,
  );
  note('reclaim (never started: refund only)', (await escrowAs(renter).reclaim(neverStarted.terms)).receipt);
  note(
    'reclaim (started, fully unpaid: reputation, refund)',
    (await escrowAs(renter).reclaim(exact.terms)).receipt,
  );

  const cpu = cpus();
  console.log(
    `machine: ${cpu.length} cores (${cpu[0]?.model ?? '?'}), Linux ${release()}, Node ${process.version}; ` +
      `devnet: EDR (hardfork prague), chain ${devnet.chainId}`,
  );
  const compiler = loadArtifact('JobEscrow').compiler;
  console.log(`compiler: solc ${compiler?.version ?? '?'} ${JSON.stringify(compiler?.settings ?? {})}`);
  console.log(`token: TestUSD (OpenZeppelin ERC-20, 6 decimals)\n`);
  const width = Math.max(...rows.map((r) => r.what.length)) + 2;
  console.log(`${'transaction'.padEnd(width)}${'gas'.padStart(10)}${'per job'.padStart(10)}   target`);
  for (const row of rows) {
    const perJob = row.jobs ? row.gas / BigInt(row.jobs) : undefined;
    const measured = perJob ?? row.gas;
    const target = row.target
      ? `${Number(measured) <= row.target ? 'ok ' : 'over'} <= ${row.target.toLocaleString('en-US')}${row.jobs ? ' per job' : ''}`
      : '';
    console.log(
      `${row.what.padEnd(width)}${row.gas.toLocaleString('en-US').padStart(10)}${(perJob === undefined ? '' : perJob.toLocaleString('en-US')).padStart(10)}   ${target}`,
    );
  }
} finally {
  provider.destroy();
  await devnet.stop();
  rmSync(dir, { recursive: true, force: true });
}
