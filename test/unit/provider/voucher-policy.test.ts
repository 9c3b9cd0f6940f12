// The provider's voucher rules with real EIP-712 signatures: forged, replayed, for another job or escrow
// or chain, malleable, over the deposit, ahead of the running time.
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { computeJobId } from '../../../src/main/market/job-terms';
import {
  canonicalSignature,
  recoverVoucherSigner,
  SECP256K1_HALF_N,
  signVoucher,
  type SignedVoucher,
  type VoucherSigner,
} from '../../../src/main/market/voucher';
import {
  allowedAmount,
  checkVoucher,
  requiredAmount,
  type VoucherCheckInput,
} from '../../../src/main/provider/voucher-policy';
import { DOMAIN, highS, makeTerms, otherWallet, renterWallet } from './fixtures/vouchers';

const terms = makeTerms(); // 125 a second, 7,200 s at most (900,000), deposit 20,000,000
const jobId = computeJobId(DOMAIN.chainId, DOMAIN.verifyingContract, terms);

const sign = (amount: bigint, { wallet = renterWallet as VoucherSigner, id = jobId, domain = DOMAIN } = {}) =>
  signVoucher(wallet, domain, { jobId: id, cumulativeAmount: amount });

function check(voucher: SignedVoucher, overrides: Partial<VoucherCheckInput> = {}) {
  return checkVoucher({
    terms,
    jobId,
    domain: DOMAIN,
    voucher,
    latest: 0n,
    billedSeconds: 100,
    graceSeconds: 30,
    ...overrides,
  });
}

describe('checkVoucher', () => {
  it("accepts the renter's voucher for this job, up to price x (seconds + grace)", async () => {
    expect(check(await sign(125n))).toEqual({ ok: true });
    expect(check(await sign(125n * 130n))).toEqual({ ok: true }); // 100 s run + 30 s ahead
    // Job ids and addresses in any case.
    const v = await sign(1000n);
    expect(
      check({ ...v, jobId: v.jobId.toUpperCase().replace('0X', '0x') }, { jobId: jobId.toUpperCase() }),
    ).toEqual({
      ok: true,
    });
    expect(check(v, { terms: { ...terms, renter: terms.renter.toLowerCase() } })).toEqual({ ok: true });
  });

  it('refuses a voucher signed by anyone but the renter (forged)', async () => {
    const forged = await sign(1000n, { wallet: otherWallet });
    expect(check(forged)).toMatchObject({ ok: false, code: 'wrong-signer' });
    const stranger = await sign(1000n, { wallet: Wallet.createRandom() });
    expect(check(stranger)).toMatchObject({ ok: false, code: 'wrong-signer' });
    // Forged is reported as forged whatever the amount says.
    expect(check(await sign(terms.deposit + 1n, { wallet: otherWallet }))).toMatchObject({
      code: 'wrong-signer',
    });
    // A genuine signature moved onto another amount no longer recovers to the renter.
    const genuine = await sign(1000n);
    expect(check({ ...genuine, cumulativeAmount: 2000n })).toMatchObject({ code: 'wrong-signer' });
  });

  it('refuses a replayed or older voucher', async () => {
    const first = await sign(5_000n);
    expect(check(first)).toEqual({ ok: true });
    expect(check(first, { latest: 5_000n })).toMatchObject({ ok: false, code: 'not-newer' });
    expect(check(await sign(4_999n), { latest: 5_000n })).toMatchObject({ code: 'not-newer' });
    expect(check(await sign(0n))).toMatchObject({ code: 'not-newer' });
    expect(check(await sign(5_001n), { latest: 5_000n })).toEqual({ ok: true });
  });

  it('refuses a voucher for another job, or for terms that are not the expected job', async () => {
    const otherJob = computeJobId(DOMAIN.chainId, DOMAIN.verifyingContract, { ...terms, nonce: 1n });
    const result = check(await sign(1000n, { id: otherJob }));
    expect(result).toMatchObject({ ok: false, code: 'wrong-job' });
    expect(!result.ok && result.reason).toContain(otherJob);
    // The provider's terms do not hash to the job this session is about.
    expect(check(await sign(1000n), { jobId: otherJob })).toMatchObject({ code: 'wrong-job' });
    expect(check({ ...(await sign(1000n)), jobId: '0x1234' })).toMatchObject({ code: 'wrong-job' });
  });

  it('refuses a voucher for the same terms on another escrow or chain', async () => {
    const otherEscrow = { ...DOMAIN, verifyingContract: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' };
    const otherChain = { ...DOMAIN, chainId: 1n };
    for (const domain of [otherEscrow, otherChain]) {
      // Its own job id (the terms hash differently there): not this job.
      const there = computeJobId(domain.chainId, domain.verifyingContract, terms);
      expect(there).not.toBe(jobId);
      expect(check(await sign(1000n, { id: there, domain }))).toMatchObject({ code: 'wrong-job' });
      // This job's id, but signed under the other domain: it recovers to someone else here.
      expect(check(await sign(1000n, { domain }))).toMatchObject({ code: 'wrong-signer' });
    }
  });

  it('refuses the malleable high-s twin of a valid signature', async () => {
    const valid = await sign(1000n);
    const twin = { ...valid, signature: highS(valid.signature) };
    // A genuine twin: the same r, s mirrored to n - s (above n/2), v flipped; folding it back gives the original.
    expect(twin.signature.slice(0, 66)).toBe(valid.signature.slice(0, 66));
    expect(BigInt(`0x${twin.signature.slice(66, 130)}`)).toBeGreaterThan(SECP256K1_HALF_N);
    expect(canonicalSignature(twin.signature)).toBe(valid.signature);
    expect(check(twin)).toMatchObject({ ok: false, code: 'malleable' });
    expect(check(valid)).toEqual({ ok: true });
    expect(() => recoverVoucherSigner(DOMAIN, twin)).toThrow(/malleable/);
  });

  it('refuses signatures JobEscrow would refuse', async () => {
    const valid = await sign(1000n);
    const body = valid.signature.slice(2);
    const bad = [
      'nothex',
      `0x${body.slice(0, 128)}`, // 64 bytes
      `0x${body}00`, // 66 bytes
      `0x${body.slice(0, 128)}${body.endsWith('1b') ? '00' : '01'}`, // v as 0/1: exchanged as 27/28 only
      `0x${body.slice(0, 128)}1d`, // v 29
      `0x${'00'.repeat(32)}${body.slice(64, 130)}`, // r = 0
      `0x${body.slice(0, 64)}${'00'.repeat(32)}1b`, // s = 0
      `0x${body.slice(0, 64)}${'ff'.repeat(32)}1b`, // s above n
      `0x${'ff'.repeat(32)}${body.slice(64)}`, // r above p: recovers nothing
    ];
    for (const signature of bad)
      expect(check({ ...valid, signature }), signature).toMatchObject({ ok: false, code: 'bad-signature' });
  });

  it('refuses a voucher above the deposit, even within the time allowance', async () => {
    const small = makeTerms({ deposit: 10_000n });
    const id = computeJobId(DOMAIN.chainId, DOMAIN.verifyingContract, small);
    const input = { terms: small, jobId: id };
    expect(check(await sign(10_000n, { id }), input)).toEqual({ ok: true });
    expect(check(await sign(10_001n, { id }), input)).toMatchObject({ ok: false, code: 'over-deposit' });
    expect(check(await sign(10n ** 30n, { id }), input)).toMatchObject({ code: 'over-deposit' });
  });

  it('refuses a voucher far ahead of the running time, and caps the allowance at maxSeconds', async () => {
    // 10 s run + 30 s grace at 125 a second: 5,000 at most.
    expect(check(await sign(5_000n), { billedSeconds: 10 })).toEqual({ ok: true });
    const ahead = check(await sign(5_001n), { billedSeconds: 10 });
    expect(ahead).toMatchObject({ ok: false, code: 'over-time' });
    expect(!ahead.ok && ahead.reason).toContain('at most 5000');
    // A fraction of a second counts up: 10.2 s + 30 s allows 41 s.
    expect(check(await sign(125n * 41n), { billedSeconds: 10.2 })).toEqual({ ok: true });
    // No grace: exactly what is owed.
    expect(check(await sign(1_251n), { billedSeconds: 10, graceSeconds: 0 })).toMatchObject({
      code: 'over-time',
    });
    // Near the end the allowance stops at maxSeconds (7,200 s: 900,000), deposit or not.
    expect(check(await sign(900_000n), { billedSeconds: 7_190 })).toEqual({ ok: true });
    expect(check(await sign(900_001n), { billedSeconds: 100_000 })).toMatchObject({ code: 'over-time' });
    // The docs' test vector: a valid signature on-chain, but 1,500,000 is more than 7,200 s of this job.
    const vector: SignedVoucher = {
      jobId: '0xae046fd9e52fccaddaf0653787258624981e0f178605843464fda84f25ae4a74',
      cumulativeAmount: 1_500_000n,
      signature:
        '0x1bf374391ffd4a51a4c978b0dd7f56170077242b41500f3e8d29c0283bd7015c' +
        '60ceff90bd59e4e939ce94a52acbacb4abdc929b2df1f7de28f6962df1ff72461c',
    };
    expect(vector.jobId).toBe(jobId);
    expect(check(vector, { billedSeconds: 7_200 })).toMatchObject({ code: 'over-time' });
  });

  it('rejects nonsense time as a programming error', async () => {
    const v = await sign(1n);
    expect(() => check(v, { billedSeconds: Number.NaN })).toThrow(RangeError);
    expect(() => check(v, { graceSeconds: -1 })).toThrow(RangeError);
  });
});

describe('requiredAmount and allowedAmount', () => {
  it('count whole seconds owed, and seconds plus grace allowed, within maxSeconds and the deposit', () => {
    expect(requiredAmount(terms, 0)).toBe(0n);
    expect(requiredAmount(terms, 10.9)).toBe(1_250n);
    expect(requiredAmount(terms, 10_000)).toBe(900_000n);
    expect(allowedAmount(terms, 10.1, 30)).toBe(125n * 41n);
    expect(allowedAmount(terms, 7_199, 30)).toBe(900_000n);
    expect(allowedAmount(makeTerms({ deposit: 1_000n }), 100, 30)).toBe(1_000n);
  });
});
