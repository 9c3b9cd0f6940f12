// Vouchers: malformed and malleable signatures, and vouchers replayed on another job, escrow or chain. The
// client-side checks (voucher.ts) must refuse exactly what the contract refuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getBytes, hexlify, Signature, toBeHex, Wallet, ZeroHash } from 'ethers';
import { buildContracts } from '../../../scripts/build-contracts.js';
import { deployMarketContracts } from '../../../src/main/market/deploy';
import { JobEscrowClient, type OpenedJob } from '../../../src/main/market/job-escrow';
import { jobTermsTuple } from '../../../src/main/market/job-terms';
import {
  canonicalSignature,
  compactVoucherSignature,
  isVoucherSignedBy,
  parseVoucherSignature,
  recoverVoucherSigner,
  SECP256K1_N,
  signVoucher,
  VoucherSignatureError,
  voucherDigest,
  type SignedVoucher,
  type VoucherDomain,
} from '../../../src/main/market/voucher';
import { expectError, market, PROVIDER, RENTER, tusd } from './escrow-helpers';
import { startMarketChain, type MarketChain } from './market-fixture';

const RUNS = Number(process.env.CONTRACT_PROPERTY_RUNS ?? 100);

let chain: MarketChain;
let m: ReturnType<typeof market>;

beforeAll(async () => {
  await buildContracts({ log: () => {} });
  chain = await startMarketChain();
  m = market(chain);
}, 60_000);
afterAll(() => chain?.close());

/** Sends redeem with a raw (r, vs), bypassing the client's checks. */
const redeemRaw = (job: OpenedJob, amount: bigint, r: string, vs: string, escrow = chain.escrow) =>
  new JobEscrowClient(escrow, chain.signer(PROVIDER)).contract.redeem!(
    jobTermsTuple(job.terms),
    amount,
    r,
    vs,
  );

const split = (signature: string) => {
  const bytes = getBytes(signature);
  return { r: hexlify(bytes.slice(0, 32)), s: BigInt(hexlify(bytes.slice(32, 64))), v: bytes[64]! };
};
const compact = (r: string, s: bigint, v: number) => ({ r, vs: toBeHex(s | (BigInt(v - 27) << 255n), 32) });

describe('malformed and malleable signatures', () => {
  it('refuses the mirrored (high-s) twin of a valid signature, on-chain and off', async () => {
    const job = await m.open();
    const voucher = await m.sign(job, tusd(1));
    const { r, s, v } = split(voucher.signature);
    // Same r, s' = n - s and the other parity: ecrecover would accept it. In the compact form (r, vs) that
    // the escrow takes, s' (above 2^255) cannot even be written: its top bit reads as the parity, and
    // what is left recovers somebody else.
    const twin = compact(r, SECP256K1_N - s, v === 27 ? 28 : 27);
    await expectError(redeemRaw(job, tusd(1), twin.r, twin.vs), 'SignerNotRenter');
    // An s above n/2 that fits in 255 bits is refused by OpenZeppelin's ECDSA as such.
    const high = compact(r, SECP256K1_N / 2n + 1n, v);
    await expectError(redeemRaw(job, tusd(1), high.r, high.vs), 'MalformedSignature');
    const twinBytes = hexlify(
      new Uint8Array([...getBytes(r), ...getBytes(toBeHex(SECP256K1_N - s, 32)), v === 27 ? 28 : 27]),
    );
    expect(() => parseVoucherSignature(twinBytes)).toThrow(/malleable/);
    expect(
      isVoucherSignedBy(await m.voucherDomain(), { ...voucher, signature: twinBytes }, job.terms.renter),
    ).toBe(false);
    // canonicalSignature turns the twin back into the original.
    expect(canonicalSignature(twinBytes)).toBe(voucher.signature);
    // The original still works.
    await redeemRaw(
      job,
      tusd(1),
      ...(Object.values(compactVoucherSignature(voucher.signature)) as [string, string]),
    );
    expect((await chain.escrowAs(0).jobState(job.jobId)).paid).toBe(tusd(1));
  });

  it('refuses signatures that recover nobody, and a flipped parity (somebody else)', async () => {
    const job = await m.open();
    const { r, s, v } = split((await m.sign(job, tusd(1))).signature);
    await expectError(redeemRaw(job, tusd(1), ZeroHash, ZeroHash), 'MalformedSignature');
    await expectError(redeemRaw(job, tusd(1), `0x${'ff'.repeat(32)}`, toBeHex(s, 32)), 'MalformedSignature');
    const flipped = compact(r, s, v === 27 ? 28 : 27);
    await expectError(redeemRaw(job, tusd(1), flipped.r, flipped.vs), 'SignerNotRenter');
    expect((await chain.escrowAs(0).jobState(job.jobId)).status).toBe('Open');
  });

  it('checks length, v, r and s in the client, with the reason', async () => {
    const job = await m.open();
    const good = (await m.sign(job, 5n)).signature;
    const bytes = getBytes(good);
    const variants: [string, RegExp][] = [
      ['0x1234', /2 bytes; a voucher needs 65/],
      [hexlify(bytes.slice(0, 64)), /64 bytes/],
      [hexlify(new Uint8Array([...bytes, 0])), /66 bytes/],
      [hexlify(new Uint8Array([...bytes.slice(0, 64), 29])), /v is 29/],
      [hexlify(new Uint8Array([...new Uint8Array(32), ...bytes.slice(32)])), /r or s zero/],
      ['not hex', /not hex/],
    ];
    const domain = await m.voucherDomain();
    for (const [signature, reason] of variants) {
      expect(() => parseVoucherSignature(signature)).toThrow(reason);
      expect(() =>
        recoverVoucherSigner(domain, { jobId: job.jobId, cumulativeAmount: 5n, signature }),
      ).toThrow(VoucherSignatureError);
      expect(
        isVoucherSignedBy(domain, { jobId: job.jobId, cumulativeAmount: 5n, signature }, job.terms.renter),
      ).toBe(false);
    }
    expect(recoverVoucherSigner(domain, { jobId: job.jobId, cumulativeAmount: 5n, signature: good })).toBe(
      job.terms.renter,
    );
    // v as 0/1 (some signers) is the same signature.
    const zeroOne = hexlify(new Uint8Array([...bytes.slice(0, 64), bytes[64]! - 27]));
    expect(canonicalSignature(zeroOne)).toBe(good);
    expect(compactVoucherSignature(zeroOne)).toEqual(compactVoucherSignature(good));
    expect(compactVoucherSignature(good)).toEqual({
      r: Signature.from(good).r,
      vs: Signature.from(good).yParityAndS,
    });
    expect(() => compactVoucherSignature('0x12')).toThrow(VoucherSignatureError);
  });
});

describe('replayed vouchers', () => {
  it('a voucher for one job is worthless on another job of the same renter and provider', async () => {
    const a = await m.open({ deposit: tusd(5) });
    const b = await m.open({ deposit: tusd(5) });
    const forA = await m.sign(a, tusd(2));
    await expectError(
      chain.escrowAs(PROVIDER).redeem(b.terms, { ...forA, jobId: b.jobId }),
      'SignerNotRenter',
    );
    expect(isVoucherSignedBy(await m.voucherDomain(), { ...forA, jobId: b.jobId }, a.terms.renter)).toBe(
      false,
    );
  });

  it('a voucher for one escrow is worthless on another, even for terms identical to the last field', async () => {
    // Two more escrows, deployed by other accounts: their first jobs have the same nonce (0).
    const second = await deployMarketContracts(chain.signer(7));
    const third = await deployMarketContracts(chain.signer(8));
    await m.approve(RENTER, chain.token);
    for (const escrow of [second.escrow, third.escrow])
      await (await chain.tokenAt(chain.token, chain.signer(RENTER)).approve!(escrow, tusd(100))).wait();
    const startDeadline = (await chain.now()) + 1000n;
    const request = {
      provider: chain.accounts[PROVIDER]!,
      token: chain.token,
      deposit: tusd(3),
      pricePerSecond: 10n,
      maxSeconds: 60n,
      specHash: ZeroHash,
      startDeadline,
    };
    const on2 = await new JobEscrowClient(second.escrow, chain.signer(RENTER)).openJob(request);
    const on3 = await new JobEscrowClient(third.escrow, chain.signer(RENTER)).openJob(request);
    expect(on2.terms).toEqual(on3.terms);
    expect(on2.jobId).not.toBe(on3.jobId);
    const domain2: VoucherDomain = { chainId: chain.chainId, verifyingContract: second.escrow };
    const domain3: VoucherDomain = { chainId: chain.chainId, verifyingContract: third.escrow };
    const escrow3 = new JobEscrowClient(third.escrow, chain.signer(PROVIDER));
    // Signed for escrow 2's job, in escrow 2's domain.
    const v2 = await signVoucher(chain.wallet(RENTER), domain2, {
      jobId: on2.jobId,
      cumulativeAmount: tusd(1),
    });
    await expectError(escrow3.redeem(on3.terms, v2), 'SignerNotRenter');
    // Escrow 2's job id, in escrow 3's domain.
    const mixed = await signVoucher(chain.wallet(RENTER), domain3, {
      jobId: on2.jobId,
      cumulativeAmount: tusd(1),
    });
    await expectError(escrow3.redeem(on3.terms, mixed), 'SignerNotRenter');
    // Both work where they belong.
    await new JobEscrowClient(second.escrow, chain.signer(PROVIDER)).redeem(on2.terms, v2);
    await escrow3.redeem(
      on3.terms,
      await signVoucher(chain.wallet(RENTER), domain3, { jobId: on3.jobId, cumulativeAmount: tusd(1) }),
    );
  });

  it('a voucher for one chain is worthless on another where the same contracts sit at the same addresses', async () => {
    // Two fresh chains: the same deployer and nonces put the same contracts at the same addresses.
    const [a, b] = [await startMarketChain({ chainId: 31337 }), await startMarketChain({ chainId: 1337 })];
    try {
      expect([b.token, b.registry, b.escrow]).toEqual([a.token, a.registry, a.escrow]);
      const startDeadline = (await a.now()) + 100_000n;
      const request = {
        provider: a.accounts[PROVIDER]!,
        token: a.token,
        deposit: tusd(2),
        pricePerSecond: 1n,
        maxSeconds: 60n,
        specHash: ZeroHash,
        startDeadline,
      };
      const [onA, onB] = [market(a), market(b)].map(async (x, i) => {
        await x.approve(RENTER, a.token);
        return [a, b][i]!.escrowAs(RENTER).openJob(request);
      });
      const [jobA, jobB] = [await onA!, await onB!];
      expect(jobA.terms).toEqual(jobB.terms); // identical to the nonce
      expect(jobA.jobId).not.toBe(jobB.jobId); // the chain id is in the job id
      const domainB: VoucherDomain = { chainId: 1337n, verifyingContract: b.escrow };
      const forB = await signVoucher(a.wallet(RENTER), domainB, {
        jobId: jobB.jobId,
        cumulativeAmount: tusd(1),
      });
      // Replayed on chain A, as it is or relabelled with A's job id: another signer.
      await expectError(a.escrowAs(PROVIDER).redeem(jobA.terms, forB), 'SignerNotRenter');
      await expectError(
        a.escrowAs(PROVIDER).redeem(jobA.terms, { ...forB, jobId: jobA.jobId }),
        'SignerNotRenter',
      );
      expect(
        isVoucherSignedBy({ chainId: 31337n, verifyingContract: a.escrow }, forB, a.accounts[RENTER]!),
      ).toBe(false);
      await b.escrowAs(PROVIDER).redeem(jobB.terms, forB);
      expect((await b.escrowAs(0).jobState(jobB.jobId)).paid).toBe(tusd(1));
      expect((await a.escrowAs(0).jobState(jobA.jobId)).paid).toBe(0n);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('property: a voucher pays only with its own chain, escrow and job', async () => {
    const job = await m.open({ deposit: tusd(1000) });
    const real = await m.voucherDomain();
    const other = await m.open({ deposit: tusd(1000) });
    const renter = chain.wallet(RENTER);
    let paid = 0n;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          amount: fc.bigInt({ min: 1n, max: tusd(10) }),
          chainId: fc.option(fc.constantFrom(1n, 10n, 1337n, 8453n, 31338n), { nil: undefined }),
          escrow: fc.option(fc.constantFrom(chain.token, chain.registry, Wallet.createRandom().address), {
            nil: undefined,
          }),
          otherJob: fc.boolean(),
        }),
        async ({ amount, chainId, escrow, otherJob }) => {
          const domain = {
            chainId: chainId ?? real.chainId,
            verifyingContract: escrow ?? real.verifyingContract,
          };
          const cumulativeAmount = paid + amount;
          const signed: SignedVoucher = await signVoucher(renter, domain, {
            jobId: otherJob ? other.jobId : job.jobId,
            cumulativeAmount,
          });
          const genuine = chainId === undefined && escrow === undefined && !otherJob;
          const asIfForJob = { ...signed, jobId: job.jobId };
          expect(isVoucherSignedBy(real, asIfForJob, renter.address)).toBe(genuine);
          if (genuine) {
            await chain.escrowAs(PROVIDER).redeem(job.terms, asIfForJob);
            paid = cumulativeAmount;
          } else await expectError(chain.escrowAs(PROVIDER).redeem(job.terms, asIfForJob), 'SignerNotRenter');
          expect((await chain.escrowAs(0).jobState(job.jobId)).paid).toBe(paid);
        },
      ),
      { numRuns: RUNS },
    );
    expect(voucherDigest(real, { jobId: job.jobId, cumulativeAmount: 1n })).toBe(
      await chain.escrowAs(0).contract.voucherDigest!(job.jobId, 1n),
    );
  });
});
