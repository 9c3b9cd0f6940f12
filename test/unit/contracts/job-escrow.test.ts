// JobEscrow, function by function, against the devnet's engine (EDR): every rule, every custom error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAddress, ZeroAddress, ZeroHash } from 'ethers';
import { buildContracts } from '../../../scripts/build-contracts.js';
import { JobEscrowClient } from '../../../src/main/market/job-escrow';
import {
  computeJobId,
  jobDeadline,
  jobTermsTuple,
  SETTLEMENT_WINDOW_SECONDS,
  type JobTerms,
} from '../../../src/main/market/job-terms';
import { MarketContractError } from '../../../src/main/market/market-errors';
import {
  VOUCHER_DOMAIN_NAME,
  VOUCHER_DOMAIN_VERSION,
  VOUCHER_TYPEHASH,
  voucherDigest,
} from '../../../src/main/market/voucher';
import {
  expectError,
  market,
  PROVIDER,
  PROVIDER_B,
  RENTER,
  RENTER_B,
  SPEC,
  STRANGER,
  tusd,
} from './escrow-helpers';
import { startMarketChain, type MarketChain } from './market-fixture';

let chain: MarketChain;
let m: ReturnType<typeof market>;
const escrowAs = (i: number) => chain.escrowAs(i);

beforeAll(async () => {
  await buildContracts({ log: () => {} });
  chain = await startMarketChain();
  m = market(chain);
}, 60_000);
afterAll(() => chain?.close());

const withTerms = (terms: JobTerms, change: Partial<JobTerms>): JobTerms => ({ ...terms, ...change });

describe('deployment', () => {
  it('is wired to its registry, and refuses a registry that names another escrow', async () => {
    expect(await escrowAs(0).registry()).toBe(chain.registry);
    expect(await chain.registryAs(0).escrow()).toBe(chain.escrow);
    // A registry whose escrow is some other address, and an address with no code at all.
    const registry = await chain.deploy('ProviderRegistry', [chain.accounts[9]]);
    await expectError(chain.deploy('JobEscrow', [await registry.getAddress()]), 'RegistryMismatch');
    await expectError(chain.deploy('JobEscrow', [chain.accounts[9]]), 'RegistryMismatch', [
      chain.accounts[9],
    ]);
    await expectError(chain.deploy('ProviderRegistry', [ZeroAddress]), 'ZeroEscrow');
  });

  it('publishes its EIP-712 domain, type hash and settlement window', async () => {
    const domain = (await escrowAs(0).contract.eip712Domain!()) as unknown[];
    expect(domain.slice(1, 5)).toEqual([VOUCHER_DOMAIN_NAME, VOUCHER_DOMAIN_VERSION, 31337n, chain.escrow]);
    expect(await escrowAs(0).contract.VOUCHER_TYPEHASH!()).toBe(VOUCHER_TYPEHASH);
    expect(await escrowAs(0).contract.SETTLEMENT_WINDOW!()).toBe(SETTLEMENT_WINDOW_SECONDS);
    const jobId = `0x${'ab'.repeat(32)}`;
    expect(await escrowAs(0).contract.voucherDigest!(jobId, 123n)).toBe(
      voucherDigest(await m.voucherDomain(), { jobId, cumulativeAmount: 123n }),
    );
  });
});

describe('openJob', () => {
  it('pulls the deposit, emits the terms, gives the id the contract and the client compute', async () => {
    const escrowBefore = await m.balanceOf(chain.escrow);
    const renterBefore = await m.balanceOf(chain.accounts[RENTER]!);
    const count = await escrowAs(0).jobCount();
    const job = await m.open({ deposit: tusd(25), pricePerSecond: 7n, maxSeconds: 90n });
    expect(job.terms).toMatchObject({
      renter: chain.accounts[RENTER],
      provider: chain.accounts[PROVIDER],
      token: chain.token,
      deposit: tusd(25),
      pricePerSecond: 7n,
      maxSeconds: 90n,
      specHash: SPEC,
      nonce: count,
    });
    expect(await escrowAs(0).jobCount()).toBe(count + 1n);
    expect(job.jobId).toBe(computeJobId(31337n, chain.escrow, job.terms));
    expect(await escrowAs(0).contract.jobIdOf!(jobTermsTuple(job.terms))).toBe(job.jobId);
    expect(await escrowAs(0).jobState(job.jobId)).toEqual({ status: 'Open', paid: 0n });
    expect(await m.balanceOf(chain.escrow)).toBe(escrowBefore + tusd(25));
    expect(await m.balanceOf(chain.accounts[RENTER]!)).toBe(renterBefore - tusd(25));
    expect(await escrowAs(0).termsOf(job.jobId)).toEqual(job.terms);
    const found = await escrowAs(0).findJobs({
      renter: chain.accounts[RENTER],
      provider: chain.accounts[PROVIDER],
    });
    expect(found.map((j) => j.jobId)).toContain(job.jobId);
    expect(escrowAs(0).deadlineOf(job.terms)).toBe(job.terms.startDeadline + 90n + 86_400n);
    expect(await escrowAs(0).contract.deadlineOf!(jobTermsTuple(job.terms))).toBe(jobDeadline(job.terms));
  });

  it('gives identical terms different ids (the nonce)', async () => {
    const a = await m.open();
    const b = await m.open();
    expect(a.jobId).not.toBe(b.jobId);
    expect(b.terms.nonce).toBe(a.terms.nonce + 1n);
  });

  it('refuses bad terms, each with its error', async () => {
    await m.approve(RENTER, chain.token);
    const now = await chain.now();
    const base = {
      provider: chain.accounts[PROVIDER]!,
      token: chain.token,
      deposit: tusd(1),
      pricePerSecond: 1n,
      maxSeconds: 60n,
      specHash: SPEC,
      startDeadline: now + 600n,
    };
    const renter = escrowAs(RENTER);
    await expectError(renter.openJob({ ...base, provider: ZeroAddress }), 'ZeroAddress');
    await expectError(renter.openJob({ ...base, token: ZeroAddress }), 'ZeroAddress');
    await expectError(renter.openJob({ ...base, provider: chain.accounts[RENTER]! }), 'ProviderIsRenter');
    await expectError(renter.openJob({ ...base, deposit: 0n }), 'ZeroDeposit');
    await expectError(renter.openJob({ ...base, pricePerSecond: 0n }), 'ZeroPrice');
    await expectError(renter.openJob({ ...base, maxSeconds: 0n }), 'ZeroDuration');
    const later = await chain.now();
    await expectError(renter.openJob({ ...base, startDeadline: later - 1n }), 'StartDeadlineInPast');
    // The next block is later than the latest, so a deadline at the latest block's time is past.
    await expectError(renter.openJob({ ...base, startDeadline: later }), 'StartDeadlineInPast');
    // Amounts wider than the terms' fields are refused by the ABI before any rule.
    await expect(renter.openJob({ ...base, deposit: 1n << 128n })).rejects.toThrow(
      /value out-of-bounds|overflow/,
    );
  });

  it('needs the allowance and the balance (the token says so)', async () => {
    const poor = STRANGER;
    await expectError(
      escrowAs(poor).openJob({
        provider: chain.accounts[PROVIDER]!,
        token: chain.token,
        deposit: tusd(1),
        pricePerSecond: 1n,
        maxSeconds: 60n,
        specHash: SPEC,
        startDeadline: (await chain.now()) + 600n,
      }),
      'ERC20InsufficientAllowance',
    );
    await m.approve(poor, chain.token);
    await expectError(
      escrowAs(poor).openJob({
        provider: chain.accounts[PROVIDER]!,
        token: chain.token,
        deposit: tusd(2_000_000),
        pricePerSecond: 1n,
        maxSeconds: 60n,
        specHash: SPEC,
        startDeadline: (await chain.now()) + 600n,
      }),
      'ERC20InsufficientBalance',
    );
  });
});

describe('startJob', () => {
  it('lets only the provider start an Open job, before its start deadline', async () => {
    const job = await m.open({ startIn: 100n });
    await expectError(escrowAs(RENTER).startJob(job.terms), 'NotProvider', [chain.accounts[RENTER]]);
    await expectError(escrowAs(PROVIDER).startJob(withTerms(job.terms, { deposit: 1n })), 'UnknownJob');
    const { receipt } = await escrowAs(PROVIDER).startJob(job.terms);
    expect(receipt.status).toBe(1);
    expect(await escrowAs(0).jobState(job.jobId)).toEqual({ status: 'Started', paid: 0n });
    await expectError(escrowAs(PROVIDER).startJob(job.terms), 'JobNotOpen', [job.jobId, 2n]);

    // To the second: mined a second after its start deadline it is too late, at the deadline it starts.
    const late = await m.open({ startIn: 40n });
    const onTime = await m.open({ startIn: 100n });
    const start = (terms: JobTerms) => ({
      to: chain.escrow,
      data: escrowAs(0).contract.interface.encodeFunctionData('startJob', [jobTermsTuple(terms)]),
    });
    expect((await chain.sendAt(late.terms.startDeadline + 1n, PROVIDER, start(late.terms))).status).toBe(0);
    expect((await chain.sendAt(onTime.terms.startDeadline, PROVIDER, start(onTime.terms))).status).toBe(1);
    await expectError(escrowAs(PROVIDER).startJob(late.terms), 'StartDeadlinePassed', [
      late.jobId,
      late.terms.startDeadline,
    ]);
    await escrowAs(RENTER).cancel(late.terms);
    await expectError(escrowAs(PROVIDER).startJob(late.terms), 'JobNotOpen', [late.jobId, 4n]);
  });
});

describe('redeem', () => {
  it('pays the difference to what was paid, to the provider, whoever sends it', async () => {
    const job = await m.open({ deposit: tusd(10) });
    const provider = chain.accounts[PROVIDER]!;
    const before = await m.balanceOf(provider);
    const first = await escrowAs(PROVIDER).redeem(job.terms, await m.sign(job, tusd(1.5)));
    expect(first.redeemed).toEqual([{ jobId: job.jobId, totalPaid: tusd(1.5) }]);
    expect(await escrowAs(0).jobState(job.jobId)).toEqual({ status: 'Started', paid: tusd(1.5) });
    // A stranger (a relayer) may send the next one: the money still goes to the provider.
    await escrowAs(STRANGER).redeem(job.terms, await m.sign(job, tusd(4)));
    expect(await m.balanceOf(provider)).toBe(before + tusd(4));
    expect(await escrowAs(0).jobState(job.jobId)).toEqual({ status: 'Started', paid: tusd(4) });
  });

  it('never pays a job more than its deposit: a larger voucher pays up to it', async () => {
    const job = await m.open({ deposit: tusd(3) });
    await escrowAs(PROVIDER).redeem(job.terms, await m.sign(job, tusd(2)));
    const { redeemed } = await escrowAs(PROVIDER).redeem(job.terms, await m.sign(job, tusd(50)));
    expect(redeemed).toEqual([{ jobId: job.jobId, totalPaid: tusd(3) }]);
    await expectError(escrowAs(PROVIDER).redeem(job.terms, await m.sign(job, tusd(60))), 'NothingToRedeem', [
      job.jobId,
      tusd(60),
      tusd(3),
    ]);
  });

  it('refuses a voucher that is not above what was paid', async () => {
    const job = await m.open();
    await expectError(escrowAs(PROVIDER).redeem(job.terms, await m.sign(job, 0n)), 'NothingToRedeem');
    await escrowAs(PROVIDER).redeem(job.terms, await m.sign(job, tusd(2)));
    const same = await m.sign(job, tusd(2));
    await expectError(escrowAs(PROVIDER).redeem(job.terms, same), 'NothingToRedeem', [
      job.jobId,
      tusd(2),
      tusd(2),
    ]);
    await expectError(escrowAs(PROVIDER).redeem(job.terms, await m.sign(job, tusd(1))), 'NothingToRedeem');
  });

  it('refuses vouchers signed by anyone but the renter', async () => {
    const job = await m.open();
    const byProvider = await m.sign(job, tusd(1), { signer: PROVIDER });
    await expectError(escrowAs(PROVIDER).redeem(job.terms, byProvider), 'SignerNotRenter', [
      job.jobId,
      chain.accounts[PROVIDER],
    ]);
    const byOtherRenter = await m.sign(job, tusd(1), { signer: RENTER_B });
    await expectError(escrowAs(PROVIDER).redeem(job.terms, byOtherRenter), 'SignerNotRenter');
    expect(await escrowAs(0).jobState(job.jobId)).toEqual({ status: 'Open', paid: 0n });
  });

  it('refuses terms that are not a job, and jobs that are over', async () => {
    const job = await m.open();
    const voucher = await m.sign(job, tusd(1));
    for (const change of [
      { deposit: job.terms.deposit + 1n },
      { provider: chain.accounts[STRANGER]! },
      { nonce: job.terms.nonce + 1000n },
      { specHash: ZeroHash },
    ])
      await expectError(escrowAs(PROVIDER).redeem(withTerms(job.terms, change), voucher), 'UnknownJob');
    await escrowAs(RENTER).cancel(job.terms);
    await expectError(escrowAs(PROVIDER).redeem(job.terms, voucher), 'JobNotActive', [job.jobId, 4n]);
  });
});

describe('redeemMany', () => {
  it('settles jobs of several providers and tokens in one transaction, one transfer per run', async () => {
    const other = await (await chain.deploy('TestUSD', [[chain.accounts[RENTER]], tusd(1000)])).getAddress();
    const a1 = await m.open({ deposit: tusd(5) });
    const a2 = await m.open({ deposit: tusd(5), renter: RENTER_B });
    const b1 = await m.open({ deposit: tusd(5), provider: PROVIDER_B });
    const c1 = await m.open({ deposit: tusd(5), token: other });
    const [pa, pb] = [chain.accounts[PROVIDER]!, chain.accounts[PROVIDER_B]!];
    const before = [await m.balanceOf(pa), await m.balanceOf(pb), await m.balanceOf(pa, other)];
    const { receipt, redeemed } = await escrowAs(STRANGER).redeemMany([
      { terms: a1.terms, voucher: await m.sign(a1, tusd(1)) },
      { terms: a2.terms, voucher: await m.sign(a2, tusd(2)) },
      { terms: b1.terms, voucher: await m.sign(b1, tusd(3)) },
      { terms: c1.terms, voucher: await m.sign(c1, tusd(4)) },
    ]);
    expect(redeemed.map((r) => r.totalPaid)).toEqual([tusd(1), tusd(2), tusd(3), tusd(4)]);
    expect([await m.balanceOf(pa), await m.balanceOf(pb), await m.balanceOf(pa, other)]).toEqual([
      before[0]! + tusd(3),
      before[1]! + tusd(3),
      before[2]! + tusd(4),
    ]);
    // One Transfer per run of (provider, token): a1+a2 together, then b1, then c1.
    const transfers = receipt.logs.filter(
      (log) => log.topics[0] === '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef',
    );
    expect(transfers).toHaveLength(3);
  });

  it('is all or nothing, and refuses an empty batch', async () => {
    const a = await m.open();
    const b = await m.open();
    const good = { terms: a.terms, voucher: await m.sign(a, tusd(1)) };
    const forged = { terms: b.terms, voucher: await m.sign(b, tusd(1), { signer: PROVIDER }) };
    await expectError(escrowAs(PROVIDER).redeemMany([good, forged]), 'SignerNotRenter');
    expect(await escrowAs(0).jobState(a.jobId)).toEqual({ status: 'Open', paid: 0n });
    // The same job twice: the second voucher must be above the first.
    await expectError(escrowAs(PROVIDER).redeemMany([good, good]), 'NothingToRedeem');
    await escrowAs(PROVIDER).redeemMany([good, { terms: a.terms, voucher: await m.sign(a, tusd(2)) }]);
    expect(await escrowAs(0).jobState(a.jobId)).toEqual({ status: 'Started', paid: tusd(2) });
    await expectError(escrowAs(PROVIDER).redeemMany([]), 'EmptyBatch');
  });
});

describe('finish', () => {
  it('pays the final voucher, refunds the rest and records the reputation', async () => {
    const job = await m.open({ deposit: tusd(10), pricePerSecond: 1000n });
    const [renter, provider] = [chain.accounts[RENTER]!, chain.accounts[PROVIDER]!];
    const before = { renter: await m.balanceOf(renter), provider: await m.balanceOf(provider) };
    const reputation = await chain.registryAs(0).reputationOf(provider);
    const earned = await chain.registryAs(0).earned(provider, chain.token);
    await escrowAs(PROVIDER).redeem(job.terms, await m.sign(job, tusd(1)));
    const { redeemed, refunds } = await escrowAs(PROVIDER).finish(job.terms, await m.sign(job, tusd(3.6)));
    expect(redeemed).toEqual([{ jobId: job.jobId, totalPaid: tusd(3.6) }]);
    expect(refunds.get(job.jobId)).toBe(tusd(6.4));
    expect(await escrowAs(0).jobState(job.jobId)).toEqual({ status: 'Closed', paid: tusd(3.6) });
    expect(await m.balanceOf(renter)).toBe(before.renter + tusd(6.4));
    expect(await m.balanceOf(provider)).toBe(before.provider + tusd(3.6));
    expect(await chain.registryAs(0).reputationOf(provider)).toEqual({
      ...reputation,
      jobsSettled: reputation.jobsSettled + 1n,
      secondsPaid: reputation.secondsPaid + 3600n,
    });
    expect(await chain.registryAs(0).earned(provider, chain.token)).toBe(earned + tusd(3.6));
    await expectError(escrowAs(PROVIDER).finish(job.terms), 'JobNotActive', [job.jobId, 3n]);
    await expectError(escrowAs(PROVIDER).redeem(job.terms, await m.sign(job, tusd(5))), 'JobNotActive');
  });

  it('without a voucher (or a stale one) only refunds; a started job counts as refunded', async () => {
    const provider = chain.accounts[PROVIDER]!;
    const reputation = await chain.registryAs(0).reputationOf(provider);
    const declined = await m.open({ deposit: tusd(2) });
    expect((await escrowAs(PROVIDER).finish(declined.terms)).refunds.get(declined.jobId)).toBe(tusd(2));
    // Declined before starting: no reputation either way.
    expect(await chain.registryAs(0).reputationOf(provider)).toEqual(reputation);

    const started = await m.open({ deposit: tusd(2) });
    await escrowAs(PROVIDER).startJob(started.terms);
    await escrowAs(PROVIDER).finish(started.terms, await m.sign(started, 0n));
    expect(await chain.registryAs(0).reputationOf(provider)).toEqual({
      ...reputation,
      jobsRefunded: reputation.jobsRefunded + 1n,
    });

    const paid = await m.open({ deposit: tusd(2) });
    const voucher = await m.sign(paid, tusd(1));
    await escrowAs(PROVIDER).redeem(paid.terms, voucher);
    const { redeemed, refunds } = await escrowAs(PROVIDER).finish(paid.terms, voucher);
    expect(redeemed).toEqual([]);
    expect(refunds.get(paid.jobId)).toBe(tusd(1));
  });

  it("is the provider's alone, and checks a voucher it pays", async () => {
    const job = await m.open();
    await expectError(escrowAs(RENTER).finish(job.terms), 'NotProvider', [chain.accounts[RENTER]]);
    await expectError(escrowAs(PROVIDER).finish(withTerms(job.terms, { maxSeconds: 1n })), 'UnknownJob');
    await expectError(
      escrowAs(PROVIDER).finish(job.terms, await m.sign(job, tusd(1), { signer: PROVIDER })),
      'SignerNotRenter',
    );
    await expectError(
      escrowAs(PROVIDER).contract.finish!(jobTermsTuple(job.terms), tusd(1), ZeroHash, ZeroHash),
      'MalformedSignature',
    );
  });
});

describe('cancel', () => {
  it('returns the whole deposit while the job is Open, to the renter only', async () => {
    const job = await m.open({ deposit: tusd(7) });
    const renter = chain.accounts[RENTER]!;
    const before = await m.balanceOf(renter);
    await expectError(escrowAs(PROVIDER).cancel(job.terms), 'NotRenter', [chain.accounts[PROVIDER]]);
    await expectError(escrowAs(RENTER).cancel(withTerms(job.terms, { startDeadline: 1n })), 'UnknownJob');
    const { refunds } = await escrowAs(RENTER).cancel(job.terms);
    expect(refunds.get(job.jobId)).toBe(tusd(7));
    expect(await m.balanceOf(renter)).toBe(before + tusd(7));
    expect(await escrowAs(0).jobState(job.jobId)).toEqual({ status: 'Cancelled', paid: 0n });
    await expectError(escrowAs(RENTER).cancel(job.terms), 'JobNotOpen', [job.jobId, 4n]);
  });

  it('is too late once the provider started or redeemed', async () => {
    const started = await m.open();
    await escrowAs(PROVIDER).startJob(started.terms);
    await expectError(escrowAs(RENTER).cancel(started.terms), 'JobNotOpen', [started.jobId, 2n]);
    const redeemed = await m.open();
    await escrowAs(PROVIDER).redeem(redeemed.terms, await m.sign(redeemed, 1n));
    await expectError(escrowAs(RENTER).cancel(redeemed.terms), 'JobNotOpen', [redeemed.jobId, 2n]);
  });
});

describe('reclaim', () => {
  it('returns the unpaid rest after the deadline, once, and then nothing can be redeemed', async () => {
    const job = await m.open({ deposit: tusd(10), maxSeconds: 100n, startIn: 50n, pricePerSecond: 10_000n });
    const untouched = await m.open({ deposit: tusd(4), maxSeconds: 100n, startIn: 50n });
    const provider = chain.accounts[PROVIDER]!;
    const renter = chain.accounts[RENTER]!;
    await escrowAs(PROVIDER).redeem(job.terms, await m.sign(job, tusd(2.5)));
    const late = await m.sign(job, tusd(6));
    const reputation = await chain.registryAs(0).reputationOf(provider);

    await expectError(escrowAs(PROVIDER).reclaim(job.terms), 'NotRenter');
    const deadline = jobDeadline(job.terms);
    await chain.increaseTime(deadline - (await chain.now()) - 100n);
    await expectError(escrowAs(RENTER).reclaim(job.terms), 'DeadlineNotReached', [job.jobId, deadline]);
    // To the second: mined at deadline - 1 it reverts, at the deadline it pays.
    const reclaim = {
      to: chain.escrow,
      data: escrowAs(0).contract.interface.encodeFunctionData('reclaim', [jobTermsTuple(job.terms)]),
    };
    expect((await chain.sendAt(deadline - 1n, RENTER, reclaim)).status).toBe(0);
    const before = await m.balanceOf(renter);
    const receipt = await chain.sendAt(deadline, RENTER, reclaim);
    expect(receipt.status).toBe(1);
    const refunds = new Map([[job.jobId, (await m.balanceOf(renter)) - before]]);
    expect(refunds.get(job.jobId)).toBe(tusd(7.5));
    expect(await m.balanceOf(renter)).toBe(before + tusd(7.5));
    expect(await escrowAs(0).jobState(job.jobId)).toEqual({ status: 'Closed', paid: tusd(2.5) });
    expect(await chain.registryAs(0).reputationOf(provider)).toEqual({
      ...reputation,
      jobsSettled: reputation.jobsSettled + 1n,
      secondsPaid: reputation.secondsPaid + 250n,
    });
    // Reclaim and redeem cannot both take the same funds.
    await expectError(escrowAs(PROVIDER).redeem(job.terms, late), 'JobNotActive', [job.jobId, 3n]);
    await expectError(escrowAs(RENTER).reclaim(job.terms), 'JobNotActive', [job.jobId, 3n]);
    await expectError(escrowAs(RENTER).reclaim(withTerms(job.terms, { nonce: 9999n })), 'UnknownJob');

    // A job the provider never started: the whole deposit back, no reputation.
    expect((await escrowAs(RENTER).reclaim(untouched.terms)).refunds.get(untouched.jobId)).toBe(tusd(4));
    expect((await chain.registryAs(0).reputationOf(provider)).jobsRefunded).toBe(reputation.jobsRefunded);
  });

  it('a voucher redeemed after the deadline but before the reclaim still pays', async () => {
    const job = await m.open({ deposit: tusd(3), maxSeconds: 10n, startIn: 10n });
    await escrowAs(PROVIDER).startJob(job.terms);
    await chain.increaseTime(jobDeadline(job.terms) - (await chain.now()) + 5n);
    await escrowAs(PROVIDER).redeem(job.terms, await m.sign(job, tusd(3)));
    const { refunds } = await escrowAs(RENTER).reclaim(job.terms);
    expect(refunds.get(job.jobId)).toBe(0n);
  });
});

describe('the TypeScript client', () => {
  it('turns refusals into MarketContractError with the name, arguments and a sentence', async () => {
    const job = await m.open();
    const error = await escrowAs(RENTER)
      .startJob(job.terms)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarketContractError);
    expect((error as MarketContractError).message).toBe(
      `JobEscrow refused the call: NotProvider(${chain.accounts[RENTER]})`,
    );
  });

  it('reads with a provider, and needs a signer to send', async () => {
    const reader = new JobEscrowClient(chain.escrow.toLowerCase(), chain.provider);
    expect(reader.address).toBe(getAddress(chain.escrow));
    expect((await reader.domain()).chainId).toBe(31337n);
    const job = await m.open();
    expect(await reader.jobIdOf(job.terms)).toBe(job.jobId);
    await expect(reader.cancel(job.terms)).rejects.toThrow();
  });
});
