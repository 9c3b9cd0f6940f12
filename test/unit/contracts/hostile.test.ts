// Hostile tokens and callers: a token that re-enters the escrow, one that takes a fee, one that returns
// false, one that returns nothing, and a provider contract that refuses every payment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, id } from 'ethers';
import { buildContracts } from '../../../scripts/build-contracts.js';
import { jobEscrowInterface, type OpenedJob } from '../../../src/main/market/job-escrow';
import { jobDeadline, jobTermsTuple } from '../../../src/main/market/job-terms';
import { compactVoucherSignature, type SignedVoucher } from '../../../src/main/market/voucher';
import {
  deployTestToken,
  expectError,
  market,
  PROVIDER,
  RENTER,
  STRANGER,
  testContractAbi,
  tusd,
} from './escrow-helpers';
import { startMarketChain, type MarketChain } from './market-fixture';

let chain: MarketChain;
let m: ReturnType<typeof market>;

beforeAll(async () => {
  await buildContracts({ log: () => {} });
  chain = await startMarketChain();
  m = market(chain);
}, 60_000);
afterAll(() => chain?.close());

const REENTRANCY = id('ReentrancyGuardReentrantCall()').slice(0, 10);
const redeemCall = (job: OpenedJob, voucher: SignedVoucher) => {
  const { r, vs } = compactVoucherSignature(voucher.signature);
  return jobEscrowInterface.encodeFunctionData('redeem', [
    jobTermsTuple(job.terms),
    voucher.cumulativeAmount,
    r,
    vs,
  ]);
};

describe('a token that re-enters the escrow', () => {
  let token: string;
  let attacker: Contract;
  beforeAll(async () => {
    token = await deployTestToken(chain, 'ReentrantToken', [RENTER]);
    attacker = new Contract(token, testContractAbi('ReentrantToken'), chain.signer(0));
  });

  const lastReentry = async () => ({
    attempts: (await attacker.reentryAttempts!()) as bigint,
    succeeded: (await attacker.reentrySucceeded!()) as boolean,
    selector: ((await attacker.reentryResult!()) as string).slice(0, 10),
  });

  it('cannot redeem twice from inside a redeem', async () => {
    const job = await m.open({ token, deposit: tusd(10) });
    // During the payment of 1 tUSD, the token tries to redeem a 5 tUSD voucher of the same job.
    await (await attacker.arm!(chain.escrow, redeemCall(job, await m.sign(job, tusd(5))))).wait();
    const before = await m.balanceOf(chain.accounts[PROVIDER]!, token);
    await chain.escrowAs(PROVIDER).redeem(job.terms, await m.sign(job, tusd(1)));
    expect(await lastReentry()).toEqual({ attempts: 1n, succeeded: false, selector: REENTRANCY });
    expect(await m.balanceOf(chain.accounts[PROVIDER]!, token)).toBe(before + tusd(1));
    expect(await chain.escrowAs(0).jobState(job.jobId)).toEqual({ status: 'Started', paid: tusd(1) });
  });

  it('cannot open, cancel or reclaim from inside a deposit, a cancel or a reclaim', async () => {
    const victim = await m.open({ token, deposit: tusd(4) });
    const openAgain = jobEscrowInterface.encodeFunctionData('openJob', [
      chain.accounts[PROVIDER],
      token,
      tusd(1),
      1n,
      60n,
      victim.terms.specHash,
      victim.terms.startDeadline,
    ]);
    const cancelVictim = jobEscrowInterface.encodeFunctionData('cancel', [jobTermsTuple(victim.terms)]);
    const reclaimVictim = jobEscrowInterface.encodeFunctionData('reclaim', [jobTermsTuple(victim.terms)]);

    // Inside openJob's transferFrom.
    let attempts = (await lastReentry()).attempts;
    await (await attacker.arm!(chain.escrow, openAgain)).wait();
    const opened = await m.open({ token, deposit: tusd(2), maxSeconds: 10n, startIn: 20n });
    expect(await lastReentry()).toEqual({ attempts: attempts + 1n, succeeded: false, selector: REENTRANCY });

    // Inside cancel's refund.
    attempts += 1n;
    await (await attacker.arm!(chain.escrow, reclaimVictim)).wait();
    await chain.escrowAs(RENTER).cancel(opened.terms);
    expect(await lastReentry()).toEqual({ attempts: attempts + 1n, succeeded: false, selector: REENTRANCY });

    // Inside reclaim's refund.
    const started = await m.open({ token, deposit: tusd(3), maxSeconds: 10n, startIn: 20n });
    await chain.escrowAs(PROVIDER).redeem(started.terms, await m.sign(started, tusd(1)));
    await chain.increaseTime(jobDeadline(started.terms) - (await chain.now()) + 1n);
    attempts += 1n;
    await (await attacker.arm!(chain.escrow, cancelVictim)).wait();
    await chain.escrowAs(RENTER).reclaim(started.terms);
    expect(await lastReentry()).toEqual({ attempts: attempts + 1n, succeeded: false, selector: REENTRANCY });
    expect(await chain.escrowAs(0).jobState(victim.jobId)).toEqual({ status: 'Open', paid: 0n });
    expect(await chain.escrowAs(0).jobState(started.jobId)).toEqual({ status: 'Closed', paid: tusd(1) });
  });
});

describe('tokens that do not move what they say', () => {
  it('refuses a fee-on-transfer token at the deposit', async () => {
    const token = await deployTestToken(chain, 'FeeOnTransferToken', [RENTER]);
    const count = await chain.escrowAs(0).jobCount();
    await expectError(m.open({ token, deposit: tusd(100) }), 'DepositNotReceived', [tusd(100), tusd(99)]);
    expect(await chain.escrowAs(0).jobCount()).toBe(count);
    expect(await m.balanceOf(chain.escrow, token)).toBe(0n);
  });

  it('stops at a token that returns false, and loses nothing once it behaves', async () => {
    const token = await deployTestToken(chain, 'FalseReturningToken', [RENTER]);
    const falsy = new Contract(token, testContractAbi('FalseReturningToken'), chain.signer(0));
    await (await falsy.setFailures!(false, true)).wait();
    await expectError(m.open({ token }), 'SafeERC20FailedOperation', [token]);

    await (await falsy.setFailures!(true, false)).wait();
    const job = await m.open({ token, deposit: tusd(6) });
    await expectError(
      chain.escrowAs(PROVIDER).redeem(job.terms, await m.sign(job, tusd(2))),
      'SafeERC20FailedOperation',
    );
    await expectError(chain.escrowAs(RENTER).cancel(job.terms), 'SafeERC20FailedOperation');
    expect(await chain.escrowAs(0).jobState(job.jobId)).toEqual({ status: 'Open', paid: 0n });
    expect(await m.balanceOf(chain.escrow, token)).toBe(tusd(6));

    await (await falsy.setFailures!(false, false)).wait();
    await chain.escrowAs(PROVIDER).redeem(job.terms, await m.sign(job, tusd(2)));
    expect(await m.balanceOf(chain.accounts[PROVIDER]!, token)).toBe(tusd(2));
  });

  it('works with a token whose transfers return nothing (USDT style)', async () => {
    const token = await deployTestToken(chain, 'NoReturnToken', [RENTER]);
    const job = await m.open({ token, deposit: tusd(5) });
    await chain.escrowAs(PROVIDER).redeem(job.terms, await m.sign(job, tusd(2)));
    const { refunds } = await chain.escrowAs(PROVIDER).finish(job.terms);
    expect(refunds.get(job.jobId)).toBe(tusd(3));
    expect(await m.balanceOf(chain.accounts[PROVIDER]!, token)).toBe(tusd(2));
    expect(await m.balanceOf(chain.escrow, token)).toBe(0n);
  });
});

describe('a provider contract that refuses payments', () => {
  it('only hurts itself: the renter gets the deposit back, and other jobs settle without it', async () => {
    const token = await deployTestToken(chain, 'HookToken', [RENTER]);
    const refuser = await chain.deploy('RevertingReceiver', [], PROVIDER);
    const refuserAddress = await refuser.getAddress();
    const hook = new Contract(token, testContractAbi('HookToken'), chain.signer(0));
    await (await hook.setHooked!(refuserAddress, true)).wait();
    const job = await m.open({
      token,
      provider: refuserAddress,
      deposit: tusd(8),
      maxSeconds: 10n,
      startIn: 30n,
    });
    // It can act as a provider (it forwards its owner's calls)...
    await (
      await refuser.execute!(
        chain.escrow,
        jobEscrowInterface.encodeFunctionData('startJob', [jobTermsTuple(job.terms)]),
      )
    ).wait();
    // ...but a payment to it reverts, leaving the job as it was.
    const voucher = await m.sign(job, tusd(3));
    await expectError(chain.escrowAs(STRANGER).redeem(job.terms, voucher), 'PaymentRefused');
    expect(await chain.escrowAs(0).jobState(job.jobId)).toEqual({ status: 'Started', paid: 0n });

    // In a batch it fails the whole batch; the other job then settles alone.
    const fine = await m.open({ token, deposit: tusd(2) });
    const fineVoucher = await m.sign(fine, tusd(1));
    await expectError(
      chain.escrowAs(STRANGER).redeemMany([
        { terms: fine.terms, voucher: fineVoucher },
        { terms: job.terms, voucher },
      ]),
      'PaymentRefused',
    );
    await chain.escrowAs(STRANGER).redeemMany([{ terms: fine.terms, voucher: fineVoucher }]);

    // The renter is not stuck: after the deadline the whole deposit comes back.
    await chain.increaseTime(jobDeadline(job.terms) - (await chain.now()) + 1n);
    const before = await m.balanceOf(chain.accounts[RENTER]!, token);
    await chain.escrowAs(RENTER).reclaim(job.terms);
    expect(await m.balanceOf(chain.accounts[RENTER]!, token)).toBe(before + tusd(8));
  });

  it('is paid in a plain ERC-20 even though it refuses ETH', async () => {
    const refuser = await chain.deploy('RevertingReceiver', [], PROVIDER);
    const address = await refuser.getAddress();
    await expect(chain.signer(STRANGER).sendTransaction({ to: address, value: 1n })).rejects.toThrow();
    const job = await m.open({ provider: address, deposit: tusd(2) });
    await chain.escrowAs(STRANGER).redeem(job.terms, await m.sign(job, tusd(2)));
    expect(await m.balanceOf(address)).toBe(tusd(2));
  });
});
