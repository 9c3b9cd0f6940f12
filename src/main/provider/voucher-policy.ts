import { getAddress, getBytes, hexlify, isHexString } from 'ethers';
import { computeJobId, type JobTerms } from '../market/job-terms';
import {
  recoverVoucherSigner,
  SECP256K1_HALF_N,
  SECP256K1_N,
  VoucherSignatureError,
  type SignedVoucher,
  type VoucherDomain,
} from '../market/voucher';

/**
 * The provider's check of one voucher, as a pure function: would JobEscrow pay it, is it for this job,
 * and is it for no more than the renter owes? Time enters only as `billedSeconds` (the job's running
 * seconds as the provider counts them, paused time excluded), which the caller reads from its clock.
 *
 * Over-limit vouchers are refused, never clamped: a signature covers one exact amount, so the provider
 * can only keep it whole or not at all. A voucher above price x (seconds + grace) is the renter's error
 * (a clock that runs fast, a bug), harmless to the provider, which would even be paid more; it is refused
 * anyway so that what the ledger holds, and what the provider redeems, is exactly what the job earned. The
 * renter then sends a voucher within the limit; until it does the watchdog sees it falling behind
 * (issue 8: "a forged, replayed or over-limit voucher (refused, job paused)").
 */

/** Defaults of the provider's voucher rules, in seconds of running time. */
export const VOUCHER_DEFAULTS = {
  /** How far ahead of the running time a renter may pay. */
  graceSeconds: 30,
  /** Unpaid running time after which the job is paused. */
  pauseAfterSeconds: 30,
  /** Time paused without the renter catching up after which the job is stopped. */
  stopAfterSeconds: 120,
} as const;

export type VoucherRefusalCode =
  'wrong-job' | 'bad-signature' | 'wrong-signer' | 'not-newer' | 'over-deposit' | 'over-time' | 'malleable';

export type VoucherCheck = { ok: true } | { ok: false; code: VoucherRefusalCode; reason: string };

export interface VoucherCheckInput {
  /** The job's terms, as the provider keeps them. */
  terms: JobTerms;
  /** The job id the provider expects (the job this session is about). */
  jobId: string;
  /** The escrow and chain the job lives on. */
  domain: VoucherDomain;
  voucher: SignedVoucher;
  /** The highest cumulative amount stored so far for the job (0 before the first voucher). */
  latest: bigint;
  /** Running seconds so far, paused time excluded. */
  billedSeconds: number;
  /** How many seconds ahead of `billedSeconds` the renter may pay. */
  graceSeconds: number;
}

const MAX_UINT256 = (1n << 256n) - 1n;

const refuse = (code: VoucherRefusalCode, reason: string): VoucherCheck => ({ ok: false, code, reason });

function checkSeconds(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${name} must be a finite number of seconds, not ${value}`);
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** What the provider expects to have been signed by now: price x whole seconds run, up to maxSeconds. */
export function requiredAmount(
  terms: Pick<JobTerms, 'pricePerSecond' | 'maxSeconds'>,
  billedSeconds: number,
): bigint {
  checkSeconds('billedSeconds', billedSeconds);
  return terms.pricePerSecond * min(BigInt(Math.floor(billedSeconds)), terms.maxSeconds);
}

/**
 * The most a voucher may say by now: price x (seconds run + grace), the seconds rounded up and capped at
 * maxSeconds, and never above the deposit.
 */
export function allowedAmount(
  terms: Pick<JobTerms, 'pricePerSecond' | 'maxSeconds' | 'deposit'>,
  billedSeconds: number,
  graceSeconds: number,
): bigint {
  checkSeconds('billedSeconds', billedSeconds);
  checkSeconds('graceSeconds', graceSeconds);
  const seconds = min(BigInt(Math.ceil(billedSeconds + graceSeconds)), terms.maxSeconds);
  return min(terms.pricePerSecond * seconds, terms.deposit);
}

/** The signature's form as JobEscrow takes it, with a high s told apart; null when the form is right. */
function signatureFormProblem(signature: unknown): VoucherCheck | null {
  if (typeof signature !== 'string' || !isHexString(signature))
    return refuse('bad-signature', 'The signature is not 0x-prefixed hex.');
  const bytes = getBytes(signature);
  if (bytes.length !== 65)
    return refuse('bad-signature', `The signature is ${bytes.length} bytes; a voucher needs 65 (r, s, v).`);
  const v = bytes[64]!;
  if (v !== 27 && v !== 28) return refuse('bad-signature', `The signature's v is ${v}; it must be 27 or 28.`);
  const s = BigInt(hexlify(bytes.slice(32, 64)));
  if (s >= SECP256K1_N) return refuse('bad-signature', "The signature's s is not below the curve order.");
  if (s > SECP256K1_HALF_N)
    return refuse(
      'malleable',
      'The signature has s in the upper half of the curve order; JobEscrow takes only its low-s twin ' +
        '(s = n - s, v flipped), which the renter must send instead.',
    );
  return null;
}

/** Checks one voucher against the job's terms and what is already stored; see the module comment. */
export function checkVoucher(input: VoucherCheckInput): VoucherCheck {
  const { terms, domain, voucher, latest } = input;
  checkSeconds('billedSeconds', input.billedSeconds);
  checkSeconds('graceSeconds', input.graceSeconds);

  // 1. The job: the voucher's id must be this job's on this escrow and chain.
  if (typeof voucher.jobId !== 'string' || !isHexString(voucher.jobId, 32))
    return refuse('wrong-job', 'The voucher has no 32-byte job id.');
  const termsId = computeJobId(domain.chainId, domain.verifyingContract, terms);
  if (termsId !== input.jobId.toLowerCase())
    return refuse(
      'wrong-job',
      `The job's terms hash to ${termsId} on this escrow, not to the expected job ${input.jobId}.`,
    );
  if (voucher.jobId.toLowerCase() !== termsId)
    return refuse('wrong-job', `The voucher is for job ${voucher.jobId}, not ${termsId}.`);

  // 2. An amount that could be signed at all (a uint256).
  const amount = voucher.cumulativeAmount;
  if (typeof amount !== 'bigint' || amount < 0n)
    return refuse('not-newer', 'The voucher amount is not a non-negative integer.');
  if (amount > MAX_UINT256) return refuse('over-deposit', 'The voucher amount does not fit in a uint256.');

  // 3. The signature: canonical form, then the renter under this escrow's domain. Checked before the
  // amounts, so a forged voucher is reported as forged whatever it says.
  const form = signatureFormProblem(voucher.signature);
  if (form) return form;
  let signer: string;
  try {
    signer = recoverVoucherSigner(domain, voucher);
  } catch (error) {
    if (error instanceof VoucherSignatureError) return refuse('bad-signature', error.message);
    throw error;
  }
  const renter = getAddress(terms.renter);
  if (signer !== renter)
    return refuse(
      'wrong-signer',
      `The voucher is signed by ${signer}, not by the job's renter ${renter} (or for another escrow or chain).`,
    );

  // 4. The amount: above what is stored, within the deposit, within price x (seconds + grace).
  if (amount <= latest)
    return refuse(
      'not-newer',
      `The voucher says ${amount}; ${latest} is already signed (an old or replayed voucher).`,
    );
  if (amount > terms.deposit)
    return refuse('over-deposit', `The voucher says ${amount}, above the deposit of ${terms.deposit}.`);
  const allowed = allowedAmount(terms, input.billedSeconds, input.graceSeconds);
  if (amount > allowed)
    return refuse(
      'over-time',
      `The voucher says ${amount}; after ${Math.floor(input.billedSeconds)} s at ${terms.pricePerSecond} ` +
        `a second, at most ${allowed} may be signed (${input.graceSeconds} s ahead, up to ${terms.maxSeconds} s).`,
    );
  return { ok: true };
}
