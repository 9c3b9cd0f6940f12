import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { JobSpec } from '../../shared/schemas/job';
import type { RentalKey } from '../earnings/ledger-repository';
import type { JobTerms } from '../market/job-terms';
import { ProtocolError, resetStream } from '../p2p/framing';
import type { Hello, RenterMessage } from '../p2p/job-messages';
import { acceptVoucher } from './accept-voucher';
import { admitRenter } from './admit-renter';
import { closeRental } from './close-rental';
import { deliverOutputs } from './deliver-outputs';
import { messageOf } from './error-text';
import { followJob } from './follow-job';
import {
  JOB_SESSION_TIMINGS,
  type JobSession,
  type JobSessionOptions,
  type JobSessionOutcome,
  type JobSessionResult,
  type JobSessionTimings,
  type SessionEscrow,
} from './job-session-types';
import { createLogForwarder } from './log-forwarder';
import { OWNER_PAUSE_REASON, watchPayments, type PaymentWatch } from './payment-watch';
import { readRenterMessages } from './read-renter-messages';
import { receiveBundle } from './receive-bundle';
import { rentalRunSpec } from './rental-run-spec';
import { createRentalRecord } from './rental-record';
import { createSessionWriter, type SessionErrorCode } from './session-writer';
import { createStatusReporter } from './status-reporter';
import { requiredAmount } from './voucher-policy';
import { createWakeSignal } from './wake-signal';

// The session's types live in job-session-types.ts; the tests name these here.
export type { JobFeed, JobSessionResult, JobSessionTimings } from './job-session-types';

/**
 * The provider's side of one rental over one `/nocturne/job/1` stream (docs/protocol.md, section 2):
 * hello, admission, accept; the bundle; startJob on the escrow; the job in the sandbox with its log, status
 * and the renter's vouchers (checked and stored before each ack, the watchdog pausing and stopping the job
 * when they fall behind); ended; the final voucher; the outputs. A session never throws: whatever goes
 * wrong is logged and costs this stream only. This file holds the session's state and the order of its
 * steps; each step is in its own file.
 */
export function createJobSession(options: JobSessionOptions): JobSession {
  const { stream, ledger, runner, clock, logger } = options;
  const timings: JobSessionTimings = { ...JOB_SESSION_TIMINGS, ...options.timings };
  const now = () => clock.now().getTime();
  const peer = options.remotePeer;

  let key: RentalKey | null = null;
  let terms: JobTerms | null = null;
  let localJobId: string | null = null;
  let claimed = false;
  let released = false;
  /** Why the renter is gone (disconnected, silent, broke the protocol), once it is. */
  let gone: string | null = null;
  /** A stop asked for (by the renter's cancel, or the provider going offline) before the job started. */
  let stopRequest: string | null = null;
  let stopping = false;
  /** After the last message: the read loop's end is no longer news. */
  let finished = false;
  let phase: 'hello' | 'bundle' | 'starting' | 'running' | 'ending' = 'hello';
  let payments: PaymentWatch | null = null;
  /** Resolves when the runner has dropped the job without ending it (its stopAll at shutdown). */
  let markJobLost: () => void = () => undefined;
  const jobLost = new Promise<null>((resolve) => (markJobLost = () => resolve(null)));

  const news = createWakeSignal();
  const release = () => {
    if (!claimed || released) return;
    released = true;
    options.release();
  };
  const record = createRentalRecord({
    ledger,
    logger,
    now,
    key: () => key,
    onRentalChange: options.onRentalChange,
  });
  const billedMs = () => (localJobId ? Math.floor(runner.runningMs(localJobId) ?? 0) : 0);
  const owedFor = (ms: number) => (terms ? requiredAmount(terms, ms / 1000) : 0n);
  const writer = createSessionWriter(stream, timings.writeTimeoutMs, (detail) =>
    renterGone('The renter disconnected', detail),
  );
  const pushLog = createLogForwarder(writer.enqueue);
  const requestStatus = createStatusReporter({
    enqueue: writer.enqueue,
    runner,
    runningJobId: () => (phase === 'running' ? localJobId : null),
    billedMs,
    owedFor,
    signed: record.signed,
    pauseReason: () => payments?.pauseReason() ?? OWNER_PAUSE_REASON,
  });

  // ------------------------------------------------------------------ the renter's side

  /** Stops the job (or the start of it) for `reason`. */
  const stopJob = (reason: string) => {
    if (localJobId) runner.cancel(localJobId, reason);
    else stopRequest ??= reason;
  };

  function renterGone(reason: string, detail?: string): void {
    if (gone !== null || finished) return;
    gone = reason;
    logger.warn(`Rental session with ${peer}: ${reason}${detail ? ` (${detail})` : ''}`);
    if (phase === 'running' || phase === 'starting') stopJob(reason);
    news.wakeAll();
  }

  const onReadError = (error: unknown) => {
    if (finished) return;
    if (error instanceof ProtocolError && error.streamOpen) {
      void writer
        .sendError('protocol', `The message broke the protocol: ${error.message}`)
        .then(writer.closeAfterWrites);
      renterGone('The renter broke the protocol', error.message);
    } else {
      renterGone('The renter disconnected', messageOf(error));
    }
  };

  const handleVoucher = (message: Extract<RenterMessage, { type: 'voucher' }>) => {
    if (!key || !terms) return;
    const rental = { key, terms, billedMs: billedMs() };
    if (!acceptVoucher({ intake: options.intake, enqueue: writer.enqueue }, rental, message)) return;
    record.changed();
    payments?.check();
    requestStatus();
    news.wakeAll();
  };

  // ------------------------------------------------------------------ the steps

  const result = (outcome: JobSessionOutcome, extra: Partial<JobSessionResult> = {}): JobSessionResult => ({
    outcome,
    key,
    refusal: null,
    localJobId,
    jobStatus: null,
    billedMs: 0,
    owed: 0n,
    outputsSent: false,
    ...extra,
  });

  /** Accepted but never started: the rental fails with `reason`; the renter may cancel on-chain. */
  const abortBeforeStart = async (
    reason: string,
    error?: { code: Exclude<SessionErrorCode, 'unpaid'>; text: string },
  ): Promise<JobSessionResult> => {
    logger.warn(`Rental ${key?.escrowJobId ?? '?'} from ${peer} did not start: ${reason}`);
    record.setStatus('failed', reason);
    if (gone === null) {
      if (error) await writer.sendError(error.code, error.text);
      await writer.closeAfterWrites();
    } else resetStream(stream, new Error(reason));
    return result('aborted');
  };

  async function serve(): Promise<JobSessionResult> {
    // 1-2. The hello and admission.
    const admission = await admitRenter(options, {
      writer,
      readIdleMs: timings.readIdleMs,
      now,
      claim: () => (claimed = options.claim()),
    });
    if (!admission.admitted) return result('refused', { refusal: admission.refusal, key: null });
    const { hello, escrow } = admission;
    key = admission.key;
    terms = admission.terms;
    record.open(key, admission.network.id, terms);
    logger.info(
      `Rental ${key.escrowJobId} accepted from ${peer}: ${terms.pricePerSecond}/s, up to ${terms.maxSeconds} s`,
    );
    await writer.enqueue(() => ({ v: 1, type: 'accept' }));

    // 3. The bundle.
    phase = 'bundle';
    mkdirSync(options.workDir, { recursive: true });
    const bundlePath = join(options.workDir, `rental-${key.escrowJobId.slice(2)}.bundle.tar.gz`);
    const archivePath = join(options.workDir, `rental-${key.escrowJobId.slice(2)}.outputs.tar.gz`);
    try {
      const bundle = await takeBundle(hello, bundlePath);
      if (bundle !== null) return bundle;

      // 4. startJob, then the sandbox.
      phase = 'starting';
      void readRenterMessages(stream, {
        readIdleMs: timings.readIdleMs,
        logger,
        peer,
        reading: () => gone === null && !finished,
        onVoucher: handleVoucher,
        onCancel: (reason) => stopJob(`Cancelled by the renter: ${reason}`),
        onReadError,
      });
      let startTx: string;
      try {
        startTx = (await escrow.startJob(terms)).receipt.hash;
      } catch (error) {
        return abortBeforeStart(`startJob failed: ${messageOf(error)}`, {
          code: 'start-failed',
          text: `This provider could not start the job on-chain: ${messageOf(error)}`,
        });
      }
      return await runJob(hello.spec, bundlePath, archivePath, startTx, escrow);
    } finally {
      rmSync(bundlePath, { force: true });
      rmSync(archivePath, { force: true });
    }
  }

  /** The bundle into `path`; null when it is whole and right, else the session's end. */
  async function takeBundle(hello: Hello, path: string): Promise<JobSessionResult | null> {
    const bundle = await receiveBundle(stream, hello, path, {
      readIdleMs: timings.readIdleMs,
      onVoucher: handleVoucher,
      stopRequest: () => stopRequest,
      onGone: (detail) => renterGone('The renter disconnected', detail),
    });
    if (bundle.kind === 'whole') return null;
    if (bundle.kind === 'failed') return abortBeforeStart(bundle.reason, bundle.error);
    logger.info(`Rental session with ${peer}: the renter cancels before the start: ${bundle.reason}`);
    record.setStatus('failed', `Cancelled by the renter before the start: ${bundle.reason}`);
    await writer.closeAfterWrites();
    return result('aborted');
  }

  async function runJob(
    spec: JobSpec,
    bundlePath: string,
    archivePath: string,
    startTx: string,
    escrow: SessionEscrow,
  ): Promise<JobSessionResult> {
    const rentalKey = key!;
    const jobTerms = terms!;
    const job = runner.start(rentalRunSpec(spec, jobTerms), bundlePath);
    localJobId = job.id;
    phase = 'running';
    record.linkJob(job.id);
    record.setStatus('running');
    logger.info(`Rental ${rentalKey.escrowJobId} started as ${job.id} (startJob ${startTx})`);
    void writer.enqueue(() => ({ v: 1, type: 'started', localJobId: job.id, startTx }));

    payments = watchPayments({
      clock,
      logger,
      runner,
      jobId: job.id,
      terms: jobTerms,
      signed: record.signed,
      billedMs,
      timings,
      onStall: (stalledAt) => record.setStalled(stalledAt),
    });
    const followed = followJob({
      job,
      lost: jobLost,
      jobFeed: options.jobFeed,
      payments,
      record,
      billedMs,
      pushLog,
      requestStatus,
      statusIntervalMs: timings.statusIntervalMs,
    });
    if (stopRequest !== null) runner.cancel(job.id, stopRequest);
    else if (gone !== null) runner.cancel(job.id, gone);
    const summary = await followed;
    phase = 'ending';
    if (summary === null) {
      // The runner let go of the job (the app is quitting): nothing more can be said or billed here. The
      // next start marks the rental failed, and settlement redeems what was signed.
      finished = true;
      release();
      resetStream(stream, new Error('Nocturne is stopping'));
      logger.warn(`Rental ${rentalKey.escrowJobId}: the job runner stopped; the session ends with it`);
      return result('aborted', { jobStatus: null });
    }
    release();
    rmSync(bundlePath, { force: true });

    const finalMs = billedMs();
    const owed = owedFor(finalMs);
    record.setSecondsRun(finalMs); // whole billed seconds
    record.changed();
    logger.info(
      `Rental ${rentalKey.escrowJobId}: job ${job.id} ${summary.status} after ${finalMs} ms billed; ` +
        `owed ${owed}, signed ${record.signed()}`,
    );

    // 6-7. ended, the final voucher, the outputs.
    const { outputsSent, unpaid } = await deliverOutputs(
      {
        writer,
        logger,
        escrowJobId: rentalKey.escrowJobId,
        finalVoucherWaitMs: timings.finalVoucherWaitMs,
        gone: () => gone,
        stopping: () => stopping,
        signed: record.signed,
        waitForNews: news.wait,
        markFinished: () => (finished = true),
      },
      { summary, billedMs: finalMs, owed, archivePath },
    );
    finished = true;

    // 8. The ledger, the refund of a job that ran for nothing, settlement.
    await closeRental(
      { escrow, key: rentalKey, terms: jobTerms, record, logger, settlement: options.settlement },
      { summary, owed, unpaid, outputsSent },
    );
    return result('ended', { jobStatus: summary.status, billedMs: finalMs, owed, outputsSent });
  }

  return {
    async run(): Promise<JobSessionResult> {
      try {
        return await serve();
      } catch (error) {
        logger.error(`Job session with ${peer} failed`, error);
        finished = true;
        if (key && phase !== 'ending') record.setStatus('failed', `The provider failed: ${messageOf(error)}`);
        if (localJobId) runner.cancel(localJobId, 'The provider failed');
        resetStream(stream, error instanceof Error ? error : new Error(String(error)));
        return result('aborted');
      } finally {
        release();
        news.wakeAll();
      }
    },
    stop(reason: string) {
      stopping = true;
      // A job the runner no longer knows was killed with the app (stopAll): do not wait for it.
      if (localJobId && phase === 'running' && !runner.cancel(localJobId, reason)) markJobLost();
      else stopJob(reason);
      // Waiting on the renter's next message: stop waiting.
      if (phase === 'hello' || phase === 'bundle') resetStream(stream, new Error(reason));
      news.wakeAll();
    },
    abort(reason: string) {
      resetStream(stream, new Error(reason));
    },
    key: () => key,
  };
}
