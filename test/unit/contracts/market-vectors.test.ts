// The worked example of docs/protocol.md (section 1.4), and the pure helpers of src/main/market: no chain.
import { describe, expect, it } from 'vitest';
import { HDNodeWallet, TypedDataEncoder } from 'ethers';
import { DEVNET_MNEMONIC } from '../../../src/main/devnet/start-devnet';
import {
  checkJobTerms,
  computeJobId,
  jobDeadline,
  jobStatusName,
  jobTermsFrom,
  jobTermsTuple,
  redeemableAmount,
  type JobTerms,
} from '../../../src/main/market/job-terms';
import { offerProblem } from '../../../src/main/market/provider-registry';
import {
  compactVoucherSignature,
  recoverVoucherSigner,
  signVoucher,
  VOUCHER_TYPEHASH,
  voucherDigest,
  voucherTypedDataDomain,
} from '../../../src/main/market/voucher';

const terms: JobTerms = {
  renter: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  provider: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  token: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  deposit: 20_000_000n,
  pricePerSecond: 125n,
  maxSeconds: 7200n,
  specHash: '0x9c1185a5c5e9fc54612808977ee8f548b2258d31d7f0e4b1a6e0f9e6a5b4c3d2',
  startDeadline: 1_767_225_600n,
  nonce: 0n,
};
const domain = { chainId: 31337n, verifyingContract: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0' };

describe('the protocol test vector', () => {
  it('gives the documented type hash, domain separator, job id, digest and signature', async () => {
    expect(VOUCHER_TYPEHASH).toBe('0x28853e1bffe0af6c1ab4c382518e243e9cf48caac0e7b708b94503056243cb6e');
    expect(TypedDataEncoder.hashDomain(voucherTypedDataDomain(domain))).toBe(
      '0x95c1f85abb4c8b3ae551777dbffb4c92d5ef31d28aacf6ff56633f4588700273',
    );
    const jobId = computeJobId(31337n, domain.verifyingContract, terms);
    expect(jobId).toBe('0xae046fd9e52fccaddaf0653787258624981e0f178605843464fda84f25ae4a74');
    const voucher = { jobId, cumulativeAmount: 1_500_000n };
    expect(voucherDigest(domain, voucher)).toBe(
      '0xbe3bbd4d5059da2e7d00c2f975b3f3c1237516007e45649518b580426c632c8d',
    );
    const renter = HDNodeWallet.fromPhrase(DEVNET_MNEMONIC, undefined, "m/44'/60'/0'/0/1");
    const signed = await signVoucher(renter, domain, voucher);
    expect(signed.signature).toBe(
      '0x1bf374391ffd4a51a4c978b0dd7f56170077242b41500f3e8d29c0283bd7015c' +
        '60ceff90bd59e4e939ce94a52acbacb4abdc929b2df1f7de28f6962df1ff7246' +
        '1c',
    );
    expect(compactVoucherSignature(signed.signature)).toEqual({
      r: '0x1bf374391ffd4a51a4c978b0dd7f56170077242b41500f3e8d29c0283bd7015c',
      vs: '0xe0ceff90bd59e4e939ce94a52acbacb4abdc929b2df1f7de28f6962df1ff7246',
    });
    expect(recoverVoucherSigner(domain, signed)).toBe(terms.renter);
    // Another chain or escrow: another id.
    expect(computeJobId(1n, domain.verifyingContract, terms)).not.toBe(jobId);
    expect(computeJobId(31337n, terms.token, terms)).not.toBe(jobId);
  });
});

describe('job terms helpers', () => {
  it('derive the deadline, the redeemable amount and the status names', () => {
    expect(jobDeadline(terms)).toBe(1_767_225_600n + 7200n + 86_400n);
    expect(redeemableAmount(terms, 5n, 0n)).toBe(5n);
    expect(redeemableAmount(terms, 30_000_000n, 1n)).toBe(19_999_999n);
    expect(redeemableAmount(terms, 5n, 5n)).toBe(0n);
    expect(jobStatusName(2n)).toBe('Started');
    expect(() => jobStatusName(7)).toThrow(RangeError);
  });

  it('refuse terms the contract would refuse, naming the field', () => {
    expect(() => checkJobTerms({ ...terms, deposit: 1n << 128n })).toThrow(/deposit/);
    expect(() => checkJobTerms({ ...terms, nonce: -1n })).toThrow(/nonce/);
    expect(() => checkJobTerms({ ...terms, specHash: '0x12' })).toThrow(/specHash/);
    expect(() => checkJobTerms({ ...terms, renter: '0x1234' })).toThrow();
    expect(() => computeJobId(31337n, domain.verifyingContract, { ...terms, maxSeconds: 1n << 64n })).toThrow(
      /maxSeconds/,
    );
  });

  it('round-trip through the ABI tuple', () => {
    const tuple = jobTermsTuple(terms);
    expect(jobTermsFrom(tuple)).toEqual(terms);
    expect(jobTermsFrom({ ...terms, renter: terms.renter.toLowerCase() })).toEqual(terms);
  });

  it('check offers as the registry does', () => {
    const offer = {
      peerId: 'p',
      multiaddrs: [],
      gpuModel: 'g',
      vramMiB: 1,
      gflops: 0,
      pricePerHour: 1n,
      token: terms.token,
      available: false,
    };
    expect(offerProblem(offer)).toBeUndefined();
    expect(offerProblem({ ...offer, gpuModel: 'é'.repeat(33) })).toBe('gpuModel'); // 66 bytes in UTF-8
    expect(offerProblem({ ...offer, gflops: -1 })).toBe('gflops');
    expect(offerProblem({ ...offer, token: '0x0000000000000000000000000000000000000000' })).toBe('token');
  });
});
