import { readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Libp2p } from '@libp2p/interface';
import { formatUnits, type Signer } from 'ethers';
import type { JobSpec, JobStatus } from '../../shared/schemas/job';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { sha256File } from '../jobs/bundle/verify-sha256';
import { JobSpecError, loadJobSpec } from '../jobs/spec/load-job-spec';
import { readContract, sendContract } from '../market/contract-calls';
import type { JobEscrowClient } from '../market/job-escrow';
import type { JobTerms } from '../market/job-terms';
import { MarketContractError } from '../market/market-errors';
import type { ProviderRegistryClient } from '../market/provider-registry';
import { jobSpecHash } from '../market/spec-hash';
import type { P2pNode } from '../p2p/create-node';
import { ProtocolError } from '../p2p/framing';
import { MAX_WIRE_BUNDLE_BYTES, type JobRefusalCode } from '../p2p/job-messages';
import type { Quote, QuoteRequest } from '../p2p/messages';
import { isQuoteExpired } from '../p2p/quote-protocol';
import { requestQuote } from '../p2p/quote-service';
import { erc20, erc20Interface } from '../wallet/erc20';
import { connectToProvider, openJobStream, ProviderUnreachableError } from './dial-provider';
import {
  JobSessionError,
  startJobSession,
  type JobSession,
  type JobSessionEvent,
  type JobSessionOptions,
  type VoucherRefusal,
} from './job-client';
import { perHour, rankOffers, type ExcludedOffer, type RegistryEntry } from './rank-offers';

/**
 * `rent`: the renter's whole rental, as the CLI (and later the app) runs it. Loads the spec, reads the
 * registry, ranks the offers, asks the best for quotes in turn, opens the job on JobEscrow with the first
 * acceptable quote, runs `/nocturne/job/1` with that provider and saves the outputs. Every dependency is
 * passed in, so tests run it against a devnet and a scripted provider.
 */

/** How long the provider has to start the job after it is opened (the terms' startDeadline). */
export const START_WINDOW_SECONDS = 600;
/** Providers asked for a quote, at most, before giving up. */
export const MAX_QUOTES = 8;

const MAX_UINT128 = (1n << 128n) - 1n;

export type RentErrorCode =
  /** The spec, the bundle, the outputs folder or an option is wrong: nothing was spent. */
  | 'invalid'
  /** No offer fits, or no provider gave an acceptable quote, or none could be reached. */
  | 'no-provider'
  /** The provider refused the job at the session's hello (the deposit was taken back when it could be). */
  | 'refused'
  /** The balance cannot cover the deposit. */
  | 'funds'
  /** The renter cancelled before the job started. */
  | 'cancelled'
  /** The session or a transaction failed. */
  | 'failed';

export interface SkippedProvider {
  provider: string;
  peerId: string;
  /** An ExclusionCode from the ranking, or what the quote said (a refusal code, 'unreachable', 'price'...). */
  code: string;
  reason: string;
}

export class RentError extends Error {
  constructor(
    readonly code: RentErrorCode,
    message: string,
    readonly details: {
      skipped?: SkippedProvider[];
      jobId?: string;
      /** The escrow job was cancelled (the whole deposit came back) by this transaction. */
      cancelTx?: string;
      refusal?: { code: JobRefusalCode; reason: string };
      session?: JobSessionError;
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'RentError';
  }
}

/** A spec ready to rent: validated, its bundle checked, its outputs folder free. */
export interface PreparedJob {
  spec: JobSpec;
  specFile: string;
  bundlePath: string;
  bundleBytes: number;
  outputsDir: string;
}

/** The default outputs folder's name: `<spec name>-outputs`, with anything odd in the name made a dash. */
export function defaultOutputsName(spec: Pick<JobSpec, 'name'>): string {
  const slug = spec.name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 100);
  return `${slug || 'job'}-outputs`;
}

/**
 * Loads and checks everything that can be checked before money moves: the spec, the bundle (a local file,
 * its sha256 the spec's, within the wire's and the spec's disk limit) and the outputs folder (missing or
 * empty; default `./<spec name>-outputs` under `cwd`). Throws RentError 'invalid'.
 */
export async function prepareJob(
  specFile: string,
  options: { outDir?: string; cwd?: string } = {},
): Promise<PreparedJob> {
  const cwd = options.cwd ?? process.cwd();
  let loaded;
  try {
    loaded = await loadJobSpec(resolve(cwd, specFile));
  } catch (error) {
    if (error instanceof JobSpecError) throw new RentError('invalid', error.message, { cause: error });
    throw error;
  }
  const { spec, dir } = loaded;
  if (!('path' in spec.bundle))
    throw new RentError(
      'invalid',
      `${specFile}: bundle.url: rent sends the bundle to the provider itself; download it and name the file ` +
        'with bundle.path.',
    );
  const bundlePath = resolve(dir, spec.bundle.path);
  let info;
  try {
    info = await stat(bundlePath);
  } catch {
    throw new RentError('invalid', `${specFile}: bundle.path: ${bundlePath} does not exist.`);
  }
  if (!info.isFile())
    throw new RentError('invalid', `${specFile}: bundle.path: ${bundlePath} is not a file.`);
  if (info.size === 0) throw new RentError('invalid', `${specFile}: bundle.path: ${bundlePath} is empty.`);
  const diskBytes = spec.resources.diskMiB * 1024 * 1024;
  if (info.size > MAX_WIRE_BUNDLE_BYTES || info.size > diskBytes)
    throw new RentError(
      'invalid',
      `${specFile}: the bundle is ${info.size} bytes, above ${info.size > diskBytes ? `the spec's disk limit (resources.diskMiB ${spec.resources.diskMiB})` : 'the 1 GiB a provider takes'}.`,
    );
  const sha256 = await sha256File(bundlePath);
  if (sha256 !== spec.bundle.sha256)
    throw new RentError(
      'invalid',
      `${specFile}: bundle.sha256: the bundle's sha256 is ${sha256}, not the ${spec.bundle.sha256} the spec names.`,
    );
  const outputsDir = resolve(cwd, options.outDir ?? defaultOutputsName(spec));
  const existing = await stat(outputsDir).catch(() => null);
  if (existing) {
    if (!existing.isDirectory())
      throw new RentError(
        'invalid',
        `The outputs folder ${outputsDir} is a file; choose another with --out.`,
      );
    if ((await readdir(outputsDir)).length > 0)
      throw new RentError(
        'invalid',
        `The outputs folder ${outputsDir} is not empty; empty it or choose another with --out.`,
      );
  }
  return { spec, specFile, bundlePath, bundleBytes: info.size, outputsDir };
}

/** Every registered provider's offer and reputation (retired ones too, so they can be named as skipped). */
export async function readRegistryEntries(registry: ProviderRegistryClient): Promise<RegistryEntry[]> {
  const listed = await registry.listProviders();
  return Promise.all(
    listed.map(async ({ provider, offer, registered }) => ({
      provider,
      offer,
      registered,
      reputation: registered
        ? await registry.reputationOf(provider)
        : { jobsSettled: 0n, jobsRefunded: 0n, secondsPaid: 0n },
    })),
  );
}

export interface RentToken {
  address: string;
  decimals: number;
  symbol: string;
}

export interface RentDeps {
  /** The renter's wallet, connected to the network's RPC: approves, opens, cancels and signs. */
  wallet: Signer;
  /** JobEscrow, sending as `wallet`. */
  escrow: JobEscrowClient;
  registry: ProviderRegistryClient;
  chainId: number;
  token: RentToken;
  /** The renter's libp2p node (any identity: a throwaway one is fine). */
  node: P2pNode | Libp2p;
  clock: Clock;
  logger: Logger;
}

export type RentEvent =
  | { type: 'offers'; candidates: number; skipped: SkippedProvider[] }
  | { type: 'quote-skipped'; skipped: SkippedProvider }
  | {
      type: 'chosen';
      provider: string;
      peerId: string;
      gpuModel: string;
      pricePerSecond: bigint;
      maxSeconds: number;
      deposit: bigint;
    }
  | { type: 'approved'; tx: string }
  | { type: 'opened'; jobId: string; tx: string; reclaimableAt: Date }
  | { type: 'connected'; peerId: string }
  | { type: 'session'; event: JobSessionEvent }
  | { type: 'cancelled-on-chain'; tx: string; refund: bigint };

export interface RentRequest {
  job: PreparedJob;
  /** Token base units per hour: offers and quotes above it are skipped (--max-price). */
  maxPricePerHour?: bigint;
  /** Only this provider: a peer id or an EVM address (--provider). */
  provider?: string;
  /** GPU memory the job needs on each GPU, MiB (the spec does not say; default 0). */
  vramMiB?: number;
  maxQuotes?: number;
  quoteTimeoutMs?: number;
  /** Seconds from now to the terms' startDeadline. Default START_WINDOW_SECONDS. */
  startWindowSeconds?: number;
  /** The session's timers and clock (tests shorten them). */
  session?: Pick<JobSessionOptions, 'timings' | 'now'>;
  onLog?: (data: string) => void;
  onEvent?: (event: RentEvent) => void;
}

export interface RentResult {
  jobId: string;
  chainId: number;
  escrow: string;
  provider: { address: string; peerId: string; gpuModel: string };
  token: RentToken;
  pricePerSecond: bigint;
  maxSeconds: number;
  deposit: bigint;
  /** How the job ended on the provider. */
  status: JobStatus;
  reason: string | null;
  exitCode: number | null;
  /** Whole seconds billed (running time, pauses excluded). */
  secondsBilled: number;
  /** The highest voucher signed: what the provider can be paid, at most. */
  paid: bigint;
  /** What the provider acknowledged storing. */
  acknowledged: bigint;
  /** deposit - paid: back when the provider finishes the job, or reclaimable after `reclaimableAt`. */
  refundExpected: bigint;
  reclaimableAt: Date;
  outputs: { dir: string; files: number; bytes: number } | null;
  localJobId: string | null;
  voucherRefusals: VoucherRefusal[];
  txs: { approve: string | null; openJob: string; startJob: string | null };
  skipped: SkippedProvider[];
}

export interface Rental {
  readonly result: Promise<RentResult>;
  /**
   * Stops the rental: before the job starts, the escrow job is cancelled and the deposit comes back; after,
   * the provider is asked to stop the job and the outputs are still fetched.
   */
  cancel(reason?: string): void;
  /** Gives up now (a second Ctrl-C): the session is dropped; before the start the deposit is still taken back. */
  abort(reason?: string): void;
}

interface Chosen {
  entry: RegistryEntry;
  quote: Quote;
  maxSeconds: number;
  deposit: bigint;
}

export function rent(deps: RentDeps, request: RentRequest): Rental {
  let cancelReason: string | null = null;
  let aborted = false;
  let session: JobSession | null = null;
  const result = runRental(deps, request, {
    cancelled: () => cancelReason,
    setSession: (s) => {
      session = s;
      if (aborted) s.abort('aborted by the renter');
      else if (cancelReason !== null) s.cancel(cancelReason);
    },
  });
  // Anything unforeseen (an RPC error, a transaction refused) becomes a RentError that says what failed.
  const wrapped = result.catch((error: unknown) => {
    if (error instanceof RentError) throw error;
    const e = error as { shortMessage?: string; message?: string };
    throw new RentError('failed', `The rental failed: ${e.shortMessage ?? e.message ?? String(error)}`, {
      cause: error,
    });
  });
  wrapped.catch(() => undefined);
  return {
    result: wrapped,
    cancel(reason = 'cancelled by the renter') {
      if (cancelReason !== null) return;
      cancelReason = reason;
      session?.cancel(reason);
    },
    abort(reason = 'aborted by the renter') {
      aborted = true;
      cancelReason ??= reason;
      session?.abort(reason);
    },
  };
}

async function runRental(
  deps: RentDeps,
  request: RentRequest,
  control: { cancelled(): string | null; setSession(session: JobSession): void },
): Promise<RentResult> {
  const { job } = request;
  const { token, logger } = deps;
  const emit = (event: RentEvent) => request.onEvent?.(event);
  const stopIfCancelled = () => {
    const reason = control.cancelled();
    if (reason !== null) throw new RentError('cancelled', `Cancelled before anything was spent: ${reason}.`);
  };
  const amount = (units: bigint) => `${formatUnits(units, token.decimals)} ${token.symbol}`;
  const vramMiB = request.vramMiB ?? 0;

  // 1. Offers, ranked.
  const entries = await readRegistryEntries(deps.registry);
  const ranking = rankOffers(entries, {
    token: token.address,
    vramMiB,
    maxPricePerHour: request.maxPricePerHour,
    provider: request.provider,
    tokenUnits: token,
  });
  const skipped: SkippedProvider[] = ranking.excluded.map((e: ExcludedOffer) => ({ ...e }));
  emit({ type: 'offers', candidates: ranking.candidates.length, skipped: [...skipped] });
  if (ranking.candidates.length === 0)
    throw new RentError('no-provider', noProviderMessage(entries.length, skipped), { skipped });
  stopIfCancelled();

  // 2. Quotes, best candidate first.
  const renter = await deps.wallet.getAddress();
  const quoteRequest: QuoteRequest = {
    v: 1,
    chainId: deps.chainId,
    token: token.address,
    renter,
    requirements: {
      vramMiB,
      seconds: job.spec.resources.maxSeconds,
      gpuCount: Math.max(1, job.spec.resources.gpus),
      ...(job.spec.image
        ? { runtime: 'image' as const, image: job.spec.image }
        : { runtime: 'host' as const }),
    },
  };
  const skip = (entry: RegistryEntry, code: string, reason: string) => {
    const item = { provider: entry.provider, peerId: entry.offer.peerId, code, reason };
    skipped.push(item);
    emit({ type: 'quote-skipped', skipped: item });
    logger.info(`Skipped ${entry.offer.peerId} (${code}): ${reason}`);
  };
  let chosen: Chosen | null = null;
  for (const entry of ranking.candidates.slice(0, request.maxQuotes ?? MAX_QUOTES)) {
    stopIfCancelled();
    const quote = await askQuote(deps, entry, quoteRequest, request.quoteTimeoutMs, skip);
    if (!quote) continue;
    const pricePerSecond = BigInt(quote.pricePerSecond);
    if (quote.providerAddress.toLowerCase() !== entry.provider.toLowerCase()) {
      skip(
        entry,
        'invalid-quote',
        `the quote is signed by ${quote.providerAddress}, not the registered ${entry.provider}`,
      );
      continue;
    }
    if (isQuoteExpired(quote, deps.clock.now())) {
      skip(entry, 'expired', "the quote had expired when it arrived (check this machine's clock)");
      continue;
    }
    if (pricePerSecond === 0n) {
      skip(entry, 'price', 'the quote has a price of 0, which JobEscrow refuses');
      continue;
    }
    if (request.maxPricePerHour !== undefined && pricePerSecond * 3600n > request.maxPricePerHour) {
      skip(
        entry,
        'price',
        `the quote, ${perHour(pricePerSecond * 3600n, { tokenUnits: token })}, is above the maximum of ${perHour(request.maxPricePerHour, { tokenUnits: token })}`,
      );
      continue;
    }
    const maxSeconds = Math.min(job.spec.resources.maxSeconds, quote.maxSeconds);
    const deposit = pricePerSecond * BigInt(maxSeconds);
    if (deposit > MAX_UINT128) {
      skip(entry, 'price', 'the deposit would be above what JobEscrow can hold');
      continue;
    }
    if (maxSeconds < job.spec.resources.maxSeconds)
      logger.warn(
        `${entry.offer.peerId} takes the job for at most ${maxSeconds} s (the spec allows ${job.spec.resources.maxSeconds} s).`,
      );
    chosen = { entry, quote, maxSeconds, deposit };
    break;
  }
  if (!chosen) throw new RentError('no-provider', noProviderMessage(entries.length, skipped), { skipped });
  const { entry, quote, deposit } = chosen;
  const pricePerSecond = BigInt(quote.pricePerSecond);
  emit({
    type: 'chosen',
    provider: entry.provider,
    peerId: entry.offer.peerId,
    gpuModel: entry.offer.gpuModel,
    pricePerSecond,
    maxSeconds: chosen.maxSeconds,
    deposit,
  });
  stopIfCancelled();

  // 3. The deposit: balance, allowance, openJob.
  const tokenContract = erc20(token.address, deps.wallet);
  const balance = (await readContract(tokenContract, token.symbol, erc20Interface, 'balanceOf', [
    renter,
  ])) as bigint;
  if (balance < deposit)
    throw new RentError(
      'funds',
      `The deposit is ${amount(deposit)} (${amount(pricePerSecond * 3600n)} per hour for up to ${chosen.maxSeconds} s), ` +
        `but ${renter} holds ${amount(balance)}.`,
      { skipped },
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
    emit({ type: 'approved', tx: receipt.hash });
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
    specHash: jobSpecHash(job.spec),
    startDeadline,
  });
  const { jobId, terms } = opened;
  const reclaimableAt = new Date(Number(deps.escrow.deadlineOf(terms)) * 1000);
  emit({ type: 'opened', jobId, tx: opened.receipt.hash, reclaimableAt });
  logger.info(`Opened job ${jobId} with ${entry.offer.peerId}: deposit ${amount(deposit)}`);

  // 4. The session. Anything that fails before the provider starts the job takes the deposit back.
  const takeBack = async (
    why: string,
    code: RentErrorCode,
    extra: RentError['details'] = {},
  ): Promise<never> => {
    const back = await cancelIfOpen(deps, terms, jobId);
    if (back.tx) emit({ type: 'cancelled-on-chain', tx: back.tx, refund: deposit });
    throw new RentError(code, `${why}${back.words(amount(deposit), reclaimableAt)}`, {
      ...extra,
      skipped,
      jobId,
      ...(back.tx ? { cancelTx: back.tx } : {}),
    });
  };

  const cancelledBeforeStart = control.cancelled();
  if (cancelledBeforeStart !== null) return takeBack(`Cancelled: ${cancelledBeforeStart}.`, 'cancelled');
  let stream;
  try {
    const connection = await connectToProvider(deps.node, entry.offer.peerId, entry.offer.multiaddrs, {
      signal: AbortSignal.timeout(request.quoteTimeoutMs ?? 15_000),
    });
    stream = await openJobStream(connection, {
      signal: AbortSignal.timeout(request.quoteTimeoutMs ?? 15_000),
    });
  } catch (error) {
    if (error instanceof ProviderUnreachableError)
      return takeBack(error.message.endsWith('.') ? error.message : `${error.message}.`, 'no-provider', {
        cause: error,
      });
    return takeBack(`Could not reach the provider: ${(error as Error).message}.`, 'failed', { cause: error });
  }
  emit({ type: 'connected', peerId: entry.offer.peerId });

  const session = startJobSession({
    stream,
    providerPeerId: entry.offer.peerId,
    chainId: deps.chainId,
    escrow: deps.escrow.address,
    jobId,
    terms,
    spec: job.spec,
    bundlePath: job.bundlePath,
    bundleBytes: job.bundleBytes,
    signer: deps.wallet,
    outputsDir: job.outputsDir,
    reclaimableAt,
    onLog: request.onLog,
    onEvent: (event) => emit({ type: 'session', event }),
    ...request.session,
  });
  control.setSession(session);
  try {
    const outcome = await session.result;
    return {
      jobId,
      chainId: deps.chainId,
      escrow: deps.escrow.address,
      provider: { address: entry.provider, peerId: entry.offer.peerId, gpuModel: entry.offer.gpuModel },
      token,
      pricePerSecond,
      maxSeconds: chosen.maxSeconds,
      deposit,
      status: outcome.status,
      reason: outcome.reason,
      exitCode: outcome.exitCode,
      secondsBilled: Math.floor(outcome.billedMs / 1000),
      paid: outcome.signed,
      acknowledged: outcome.acknowledged,
      refundExpected: deposit - outcome.signed,
      reclaimableAt,
      outputs: outcome.outputs && {
        dir: outcome.outputs.dir,
        files: outcome.outputs.files,
        bytes: outcome.outputs.bytes,
      },
      localJobId: outcome.localJobId,
      voucherRefusals: outcome.voucherRefusals,
      txs: { approve: approveTx, openJob: opened.receipt.hash, startJob: outcome.startTx },
      skipped,
    };
  } catch (error) {
    if (!(error instanceof JobSessionError)) throw error;
    if (!error.details.started) {
      const code: RentErrorCode =
        error.code === 'refused'
          ? 'refused'
          : error.code === 'cancelled' || error.code === 'aborted'
            ? 'cancelled'
            : 'failed';
      return takeBack(error.message, code, {
        session: error,
        cause: error,
        ...(error.details.refusal ? { refusal: error.details.refusal } : {}),
      });
    }
    throw new RentError(error.code === 'aborted' ? 'cancelled' : 'failed', error.message, {
      session: error,
      skipped,
      jobId,
      cause: error,
    });
  }
}

async function askQuote(
  deps: RentDeps,
  entry: RegistryEntry,
  request: QuoteRequest,
  timeoutMs: number | undefined,
  skip: (entry: RegistryEntry, code: string, reason: string) => void,
): Promise<Quote | null> {
  const signal = AbortSignal.timeout(timeoutMs ?? 15_000);
  try {
    await connectToProvider(deps.node, entry.offer.peerId, entry.offer.multiaddrs, { signal });
    const response = await requestQuote(deps.node, entry.offer.peerId, request, { timeoutMs });
    if (!response.ok) {
      skip(entry, response.code, response.reason);
      return null;
    }
    return response.quote;
  } catch (error) {
    if (error instanceof ProviderUnreachableError) skip(entry, 'unreachable', error.message);
    else if (error instanceof ProtocolError) skip(entry, error.code, error.message);
    else throw error;
    return null;
  }
}

/** Cancels the escrow job if it is still Open (the provider never started it); says what happened in words. */
async function cancelIfOpen(
  deps: RentDeps,
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

function noProviderMessage(offers: number, skipped: readonly SkippedProvider[]): string {
  if (offers === 0) return 'No provider has an offer in ProviderRegistry on this network.';
  const lines = skipped.map((s) => `  ${s.peerId || s.provider}: ${s.reason}`);
  return [
    `No provider can take this job (${offers} offer${offers === 1 ? '' : 's'} looked at):`,
    ...lines,
  ].join('\n');
}

/** The result with amounts as decimal strings and dates as ISO text, for --json. */
export function rentResultJson(result: RentResult): Record<string, unknown> {
  const units = (value: bigint) => formatUnits(value, result.token.decimals);
  return {
    jobId: result.jobId,
    chainId: result.chainId,
    escrow: result.escrow,
    provider: result.provider,
    token: result.token,
    status: result.status,
    reason: result.reason,
    exitCode: result.exitCode,
    secondsBilled: result.secondsBilled,
    pricePerSecond: result.pricePerSecond.toString(),
    pricePerHour: units(result.pricePerSecond * 3600n),
    maxSeconds: result.maxSeconds,
    deposit: result.deposit.toString(),
    paid: result.paid.toString(),
    paidFormatted: units(result.paid),
    acknowledged: result.acknowledged.toString(),
    refundExpected: result.refundExpected.toString(),
    refundExpectedFormatted: units(result.refundExpected),
    reclaimableAt: result.reclaimableAt.toISOString(),
    outputs: result.outputs,
    localJobId: result.localJobId,
    voucherRefusals: result.voucherRefusals.map((r) => ({
      ...r,
      cumulativeAmount: r.cumulativeAmount.toString(),
    })),
    txs: result.txs,
    skipped: result.skipped,
  };
}
