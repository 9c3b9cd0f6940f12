import { AbiCoder, getAddress, isHexString, keccak256 } from 'ethers';

/**
 * A job's immutable terms, as JobEscrow hashes them into the job id. They are not stored on-chain: every
 * call that touches a job passes them again (get them from the JobOpened event, or keep them).
 */
export interface JobTerms {
  renter: string;
  provider: string;
  token: string;
  /** Locked at openJob, in the token's base units (below 2^128). */
  deposit: bigint;
  /** Base units per second of GPU time (below 2^128). */
  pricePerSecond: bigint;
  maxSeconds: bigint;
  /** 0x-prefixed 32 bytes: the job spec and bundle's hash, agreed off-chain. */
  specHash: string;
  /** Unix seconds: the provider must start by then. */
  startDeadline: bigint;
  /** The escrow's job counter when the job was opened. */
  nonce: bigint;
}

/** The order of JobEscrow.JobTerms' fields (the ABI tuple). */
export const JOB_TERMS_FIELDS = [
  'renter',
  'provider',
  'token',
  'deposit',
  'pricePerSecond',
  'maxSeconds',
  'specHash',
  'startDeadline',
  'nonce',
] as const satisfies readonly (keyof JobTerms)[];

const JOB_TERMS_TYPES = [
  'address',
  'address',
  'address',
  'uint128',
  'uint128',
  'uint64',
  'bytes32',
  'uint64',
  'uint64',
] as const;

/** JobEscrow's job states, by the number the contract returns. */
export const JOB_STATUSES = ['None', 'Open', 'Started', 'Closed', 'Cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export function jobStatusName(value: bigint | number): JobStatus {
  const name = JOB_STATUSES[Number(value)];
  if (!name) throw new RangeError(`Unknown job status ${value}`);
  return name;
}

/** Seconds the provider has after startDeadline + maxSeconds to redeem before the renter may reclaim. */
export const SETTLEMENT_WINDOW_SECONDS = 86_400n;

const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_UINT128 = (1n << 128n) - 1n;

/** Throws a RangeError naming the field JobEscrow's ABI would refuse (wrong width, not an address...). */
export function checkJobTerms(terms: JobTerms): void {
  for (const field of ['renter', 'provider', 'token'] as const) getAddress(terms[field]);
  const widths = [
    ['deposit', MAX_UINT128],
    ['pricePerSecond', MAX_UINT128],
    ['maxSeconds', MAX_UINT64],
    ['startDeadline', MAX_UINT64],
    ['nonce', MAX_UINT64],
  ] as const;
  for (const [field, max] of widths) {
    const value = terms[field];
    if (typeof value !== 'bigint' || value < 0n || value > max)
      throw new RangeError(`Job terms: ${field} must be a bigint from 0 to ${max}, not ${String(value)}`);
  }
  if (!isHexString(terms.specHash, 32)) throw new RangeError('Job terms: specHash must be 32 bytes of hex');
}

/** The terms as the ABI tuple JobEscrow's functions take. */
export function jobTermsTuple(terms: JobTerms) {
  return JOB_TERMS_FIELDS.map((field) => terms[field]);
}

/** Terms from an ethers Result / struct (the JobOpened event's `terms`, or a decoded call). */
export function jobTermsFrom(value: ArrayLike<unknown> | Record<string, unknown>): JobTerms {
  const get = (field: (typeof JOB_TERMS_FIELDS)[number], index: number): unknown =>
    (value as Record<string, unknown>)[field] ?? (value as ArrayLike<unknown>)[index];
  const address = (field: 'renter' | 'provider' | 'token', index: number) =>
    getAddress(String(get(field, index)));
  const int = (field: (typeof JOB_TERMS_FIELDS)[number], index: number) =>
    BigInt(get(field, index) as bigint);
  return {
    renter: address('renter', 0),
    provider: address('provider', 1),
    token: address('token', 2),
    deposit: int('deposit', 3),
    pricePerSecond: int('pricePerSecond', 4),
    maxSeconds: int('maxSeconds', 5),
    specHash: String(get('specHash', 6)).toLowerCase(),
    startDeadline: int('startDeadline', 7),
    nonce: int('nonce', 8),
  };
}

/**
 * The job id: keccak256(abi.encode(chainId, escrow, terms)), as JobEscrow computes it. It differs on every
 * chain and every escrow, so a voucher signed for one job is worthless anywhere else.
 */
export function computeJobId(chainId: bigint | number, escrow: string, terms: JobTerms): string {
  checkJobTerms(terms);
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ['uint256', 'address', ...JOB_TERMS_TYPES],
      [BigInt(chainId), getAddress(escrow), ...jobTermsTuple(terms)],
    ),
  );
}

/** When the renter may reclaim: startDeadline + maxSeconds + SETTLEMENT_WINDOW (Unix seconds). */
export function jobDeadline(terms: Pick<JobTerms, 'startDeadline' | 'maxSeconds'>): bigint {
  return terms.startDeadline + terms.maxSeconds + SETTLEMENT_WINDOW_SECONDS;
}

/** What redeeming `cumulativeAmount` would pay now: min(cumulativeAmount, deposit) - paid, or 0. */
export function redeemableAmount(
  terms: Pick<JobTerms, 'deposit'>,
  cumulativeAmount: bigint,
  paid: bigint,
): bigint {
  const capped = cumulativeAmount < terms.deposit ? cumulativeAmount : terms.deposit;
  return capped > paid ? capped - paid : 0n;
}
