import { expect } from 'vitest';
import { Interface, MaxUint256, type InterfaceAbi } from 'ethers';
import { loadArtifact } from '../../../src/main/contracts/artifacts';
import { JOB_ESCROW_ABI } from '../../../src/main/market/abi/job-escrow-abi';
import { PROVIDER_REGISTRY_ABI } from '../../../src/main/market/abi/provider-registry-abi';
import type { OpenedJob } from '../../../src/main/market/job-escrow';
import type { JobTerms } from '../../../src/main/market/job-terms';
import { MarketContractError, toMarketError } from '../../../src/main/market/market-errors';
import { signVoucher, type SignedVoucher, type VoucherDomain } from '../../../src/main/market/voucher';
import type { MarketChain } from './market-fixture';

/** Every error a test may meet: the market contracts', and the test contracts' own. */
const knownErrors = new Interface([
  ...JOB_ESCROW_ABI.filter((item) => item.type === 'error'),
  ...PROVIDER_REGISTRY_ABI.filter((item) => item.type === 'error'),
  'error PaymentRefused()',
] as InterfaceAbi);

/** Awaits `action` and checks that it failed with the custom error `name` (and `args`, when given). */
export async function expectError(action: Promise<unknown>, name: string, args?: unknown[]): Promise<void> {
  const outcome = await action.then(
    () => ({ ok: true as const }),
    (error: unknown) => ({ ok: false as const, error: toMarketError(error, 'contract', knownErrors) }),
  );
  if (outcome.ok) throw new Error(`expected ${name}, but the call succeeded`);
  const error = outcome.error;
  if (!(error instanceof MarketContractError)) throw error;
  expect(error.errorName, error.message).toBe(name);
  if (args) expect(error.args).toEqual(args);
}

/** 1 tUSD = 10^6 base units. */
export const tusd = (n: number) => BigInt(Math.round(n * 1e6));
export const SPEC = `0x${'5a'.repeat(32)}`;

export interface JobOptions {
  renter?: number;
  provider?: number | string;
  token?: string;
  deposit?: bigint;
  pricePerSecond?: bigint;
  maxSeconds?: bigint;
  startIn?: bigint;
  specHash?: string;
}

/** Test accounts: 1 and 3 rent, 2 and 4 provide, 5 is a stranger. */
export const RENTER = 1;
export const PROVIDER = 2;
export const RENTER_B = 3;
export const PROVIDER_B = 4;
export const STRANGER = 5;

export function market(chain: MarketChain) {
  let domain: VoucherDomain | undefined;
  const approved = new Set<string>();
  const approve = async (renter: number, token: string) => {
    const key = `${renter}:${token}`;
    if (approved.has(key)) return;
    await (await chain.tokenAt(token, chain.signer(renter)).approve!(chain.escrow, MaxUint256)).wait();
    approved.add(key);
  };

  const open = async (options: JobOptions = {}): Promise<OpenedJob> => {
    const renter = options.renter ?? RENTER;
    const token = options.token ?? chain.token;
    await approve(renter, token);
    const provider =
      typeof options.provider === 'string' ? options.provider : chain.accounts[options.provider ?? PROVIDER]!;
    return chain.escrowAs(renter).openJob({
      provider,
      token,
      deposit: options.deposit ?? tusd(10),
      pricePerSecond: options.pricePerSecond ?? 1000n,
      maxSeconds: options.maxSeconds ?? 3600n,
      specHash: options.specHash ?? SPEC,
      startDeadline: (await chain.now()) + (options.startIn ?? 600n),
    });
  };

  const voucherDomain = async () => (domain ??= await chain.escrowAs(0).domain());

  /** A voucher for `job` signed by `signer` (default: the job's renter) with ethers' signTypedData. */
  const sign = async (
    job: { jobId: string; terms: JobTerms },
    amount: bigint,
    options: { signer?: number; domain?: VoucherDomain } = {},
  ): Promise<SignedVoucher> => {
    const index = options.signer ?? chain.accounts.indexOf(job.terms.renter);
    return signVoucher(chain.wallet(index), options.domain ?? (await voucherDomain()), {
      jobId: job.jobId,
      cumulativeAmount: amount,
    });
  };

  const balanceOf = async (who: string, token = chain.token): Promise<bigint> =>
    (await chain.tokenAt(token).balanceOf!(who)) as bigint;

  return { open, sign, approve, voucherDomain, balanceOf };
}

/** Deploys a token from contracts/testing and mints `amount` to each of `to`. */
export async function deployTestToken(
  chain: MarketChain,
  name: string,
  to: number[],
  amount = tusd(1_000_000),
): Promise<string> {
  const token = await chain.deploy(name);
  const address = await token.getAddress();
  const mintable = chain.tokenAt(address, chain.signer(0));
  for (const index of to) await (await mintable.mint!(chain.accounts[index]!, amount)).wait();
  return address;
}

export const testContractAbi = (name: string) => loadArtifact(name).abi as never;
