import { formatUnits } from 'ethers';
import { readContract, sendContract } from '../market/contract-calls';
import type { JobTerms } from '../market/job-terms';
import { MarketContractError } from '../market/market-errors';
import { jobSpecHash } from '../market/spec-hash';
import { erc20, erc20Interface } from '../wallet/erc20';
import type { Chosen } from './choose-provider';
import { RentError, type SkippedProvider } from './rent-error';
import type { RentDeps, RentEvent, RentRequest, RentToken } from './rent-types';

/** How long the provider has to start the job after it is opened (the terms' startDeadline). */
export const START_WINDOW_SECONDS = 600;

/** An amount of the token in words, for messages: "1.5 tUSD". */
export const tokenAmount = (token: RentToken, units: bigint) =>
  `${formatUnits(units, token.decimals)} ${token.symbol}`;

/** The job as JobEscrow opened it, with the deposit locked. */
export interface OpenedJob {
  jobId: string;
  terms: JobTerms;
  /** When the renter may reclaim the deposit's unpaid part. */
  reclaimableAt: Date;
  approveTx: string | null;
  openTx: string;
}

/**
 * Step 3 of a rental: the deposit (the chosen price x maxSeconds). The balance is checked first (a
 * RentError 'funds' spends nothing), the escrow approved for exactly the deposit when the allowance is
 * short, then `openJob`. The start deadline counts from the later of the local clock and the chain's latest
 * block, so the provider has the whole window by either clock.
 */
export async function openEscrowJob(
  deps: Pick<RentDeps, 'wallet' | 'escrow' | 'token' | 'clock' | 'logger'>,
  request: Pick<RentRequest, 'job' | 'startWindowSeconds'>,
  chosen: Chosen,
  renter: string,
  hooks: { emit(event: RentEvent): void; skipped: SkippedProvider[] },
): Promise<OpenedJob> {
  const { token } = deps;
  const { entry, quote, deposit } = chosen;
  const pricePerSecond = BigInt(quote.pricePerSecond);
  const amount = (units: bigint) => tokenAmount(token, units);
  const tokenContract = erc20(token.address, deps.wallet);
  const balance = (await readContract(tokenContract, token.symbol, erc20Interface, 'balanceOf', [
    renter,
  ])) as bigint;
  if (balance < deposit)
    throw new RentError(
      'funds',
      `The deposit is ${amount(deposit)} (${amount(pricePerSecond * 3600n)} per hour for up to ${chosen.maxSeconds} s), ` +
        `but ${renter} holds ${amount(balance)}.`,
      { skipped: hooks.skipped },
    );
  let approveTx: string | null = null;
  const allowance = (await readContract(tokenContract, token.symbol, erc20Interface, 'allowance', [
    renter,
    deps.escrow.address,
  ])) as bigint;
  if (allowance < deposit) {
    const receipt = await sendContract(
      tokenContract,
      token.symbol,
      erc20Interface,
      'approve',
      [deps.escrow.address, deposit],
      {},
    );
    approveTx = receipt.hash;
    hooks.emit({ type: 'approved', tx: receipt.hash });
  }
  const provider = deps.wallet.provider;
  const chainNow = provider ? ((await provider.getBlock('latest'))?.timestamp ?? 0) : 0;
  const localNow = Math.floor(deps.clock.now().getTime() / 1000);
  const startDeadline = BigInt(
    Math.max(chainNow, localNow) + (request.startWindowSeconds ?? START_WINDOW_SECONDS),
  );
  const opened = await deps.escrow.openJob({
    provider: quote.providerAddress,
    token: token.address,
    deposit,
    pricePerSecond,
    maxSeconds: BigInt(chosen.maxSeconds),
    specHash: jobSpecHash(request.job.spec),
    startDeadline,
  });
  const { jobId, terms } = opened;
  const reclaimableAt = new Date(Number(deps.escrow.deadlineOf(terms)) * 1000);
  hooks.emit({ type: 'opened', jobId, tx: opened.receipt.hash, reclaimableAt });
  deps.logger.info(`Opened job ${jobId} with ${entry.offer.peerId}: deposit ${amount(deposit)}`);
  return { jobId, terms, reclaimableAt, approveTx, openTx: opened.receipt.hash };
}

/**
 * Cancels the escrow job if it is still Open (the provider never started it), so the whole deposit comes
 * back; says what happened in words, to end the rental's error message with.
 */
export async function cancelIfOpen(
  deps: Pick<RentDeps, 'escrow' | 'logger'>,
  terms: JobTerms,
  jobId: string,
): Promise<{ tx: string | null; words: (deposit: string, reclaimableAt: Date) => string }> {
  try {
    const state = await deps.escrow.jobState(jobId);
    if (state.status === 'Open') {
      const { receipt } = await deps.escrow.cancel(terms);
      deps.logger.info(`Cancelled job ${jobId}: the deposit is back (${receipt.hash})`);
      return {
        tx: receipt.hash,
        words: (deposit) =>
          ` The job was cancelled on JobEscrow and the whole deposit (${deposit}) came back (transaction ${receipt.hash}).`,
      };
    }
    return {
      tx: null,
      words: (_deposit, reclaimableAt) =>
        ` The job is ${state.status} on JobEscrow, so it cannot be cancelled; the unpaid part of the deposit ` +
        (state.status === 'Started'
          ? `comes back when the provider finishes the job, or can be reclaimed after ${reclaimableAt.toISOString()}.`
          : 'is no longer held there.'),
    };
  } catch (error) {
    const detail = error instanceof MarketContractError ? error.message : (error as Error).message;
    deps.logger.warn(`Could not cancel job ${jobId}: ${detail}`);
    return {
      tx: null,
      words: (_deposit, reclaimableAt) =>
        ` Cancelling the job on JobEscrow failed (${detail}); try again while it is Open, or reclaim the ` +
        `deposit after ${reclaimableAt.toISOString()}.`,
    };
  }
}
