import { chooseQuote, rankCandidates } from './choose-provider';
import { connectToProvider, openJobStream, ProviderUnreachableError } from './dial-provider';
import { cancelIfOpen, openEscrowJob, tokenAmount } from './escrow-deposit';
import { startJobSession } from './job-client';
import type { JobSession } from './job-client-types';
import { JobSessionError } from './job-session-error';
import { RentError, type RentErrorCode } from './rent-error';
import { buildRentResult } from './rent-result';
import type { RentDeps, RentEvent, RentRequest, RentResult, Rental } from './rent-types';

// The rental's parts live in their own files; the tests name these here.
export { defaultOutputsName, prepareJob } from './prepare-job';
export { RentError } from './rent-error';
export type { RentDeps, RentEvent } from './rent-types';

/**
 * `rent`: the renter's whole rental, as the CLI (and later the app) runs it. Loads the spec, reads the
 * registry, ranks the offers, asks the best for quotes in turn, opens the job on JobEscrow with the first
 * acceptable quote, runs `/nocturne/job/1` with that provider and saves the outputs. Every dependency is
 * passed in, so tests run it against a devnet and a scripted provider. This file holds the order of the
 * steps and what a failure at each costs; the steps are in their own files.
 */
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

/** What a session that failed before the start costs: the RentError code, the deposit being taken back. */
function codeBeforeStart(error: JobSessionError): RentErrorCode {
  if (error.code === 'refused') return 'refused';
  return error.code === 'cancelled' || error.code === 'aborted' ? 'cancelled' : 'failed';
}

async function runRental(
  deps: RentDeps,
  request: RentRequest,
  control: { cancelled(): string | null; setSession(session: JobSession): void },
): Promise<RentResult> {
  const { job } = request;
  const emit = (event: RentEvent) => request.onEvent?.(event);
  const stopIfCancelled = () => {
    const reason = control.cancelled();
    if (reason !== null) throw new RentError('cancelled', `Cancelled before anything was spent: ${reason}.`);
  };

  // 1-2. Offers, ranked; quotes, best candidate first.
  const ranked = await rankCandidates(deps, request, emit);
  stopIfCancelled();
  const renter = await deps.wallet.getAddress();
  const chosen = await chooseQuote(deps, request, ranked, renter, { emit, stopIfCancelled });
  const { skipped } = ranked;
  const { entry, deposit } = chosen;
  emit({
    type: 'chosen',
    provider: entry.provider,
    peerId: entry.offer.peerId,
    gpuModel: entry.offer.gpuModel,
    pricePerSecond: BigInt(chosen.quote.pricePerSecond),
    maxSeconds: chosen.maxSeconds,
    deposit,
  });
  stopIfCancelled();

  // 3. The deposit: balance, allowance, openJob.
  const opened = await openEscrowJob(deps, request, chosen, renter, { emit, skipped });
  const { jobId, terms, reclaimableAt } = opened;

  // 4. The session. Anything that fails before the provider starts the job takes the deposit back.
  const takeBack = async (
    why: string,
    code: RentErrorCode,
    extra: RentError['details'] = {},
  ): Promise<never> => {
    const back = await cancelIfOpen(deps, terms, jobId);
    if (back.tx) emit({ type: 'cancelled-on-chain', tx: back.tx, refund: deposit });
    throw new RentError(code, `${why}${back.words(tokenAmount(deps.token, deposit), reclaimableAt)}`, {
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
    return buildRentResult(deps, chosen, opened, await session.result, skipped);
  } catch (error) {
    if (!(error instanceof JobSessionError)) throw error;
    if (!error.details.started)
      return takeBack(error.message, codeBeforeStart(error), {
        session: error,
        cause: error,
        ...(error.details.refusal ? { refusal: error.details.refusal } : {}),
      });
    throw new RentError(error.code === 'aborted' ? 'cancelled' : 'failed', error.message, {
      session: error,
      skipped,
      jobId,
      cause: error,
    });
  }
}
