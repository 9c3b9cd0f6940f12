import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { lstat, open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Stream } from '@libp2p/interface';
import tar from 'tar-stream';
import type { JobSpec, JobStatus, JobSummary } from '../../shared/schemas/job';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { LedgerRepository, Rental, RentalKey, RentalStatus } from '../earnings/ledger-repository';
import type { JobRunner } from '../jobs/job-runner';
import type { JobEscrowClient } from '../market/job-escrow';
import type { JobTerms } from '../market/job-terms';
import { wireSpec } from '../market/spec-hash';
import { closeStream, ProtocolError, readMessage, resetStream, writeMessage } from '../p2p/framing';
import {
  FINAL_VOUCHER_WAIT_MS,
  HelloSchema,
  JOB_CHUNK_BYTES,
  PROVIDER_STATUS_MS,
  READ_IDLE_MS,
  RenterMessageSchema,
  type Hello,
  type JobRefusalCode,
  type ProviderMessage,
  type RenterMessage,
} from '../p2p/job-messages';
import {
  decideJobAdmission,
  rentalKeyOf,
  type AdmissionContext,
  type AdmissionNetwork,
} from './job-admission';
import type { VoucherIntake } from './voucher-intake';
import { requiredAmount, VOUCHER_DEFAULTS } from './voucher-policy';
import { createVoucherWatchdog, type VoucherWatchdog } from './voucher-watchdog';

/**
 * The provider's side of one rental over one `/nocturne/job/1` stream (docs/protocol.md, section 2):
 * hello, admission, accept; the bundle; startJob on the escrow; the job in the sandbox with its log, status
 * and the renter's vouchers (checked and stored before each ack, the watchdog pausing and stopping the job
 * when they fall behind); ended; the final voucher; the outputs. A session never throws: whatever goes
 * wrong is logged and costs this stream only.
 */

/** Timings of a session; the defaults are the protocol's. Tests shorten them. */
export interface JobSessionTimings {
  /** A status at least this often while the job lives. */
  statusIntervalMs: number;
  /** Silence from the renter after which it is gone (each read waits this long). */
  readIdleMs: number;
  /** After `ended`, how long to wait for a voucher that covers what is owed. */
  finalVoucherWaitMs: number;
  /** The voucher watchdog's periods (seconds of running time, then of pause). */
  pauseAfterSeconds: number;
  stopAfterSeconds: number;
  /** How often the watchdog decides. */
  watchdogTickMs: number;
  /** How long one write may wait for the renter to take the bytes. */
  writeTimeoutMs: number;
}

export const JOB_SESSION_TIMINGS: JobSessionTimings = {
  statusIntervalMs: PROVIDER_STATUS_MS,
  readIdleMs: READ_IDLE_MS,
  finalVoucherWaitMs: FINAL_VOUCHER_WAIT_MS,
  pauseAfterSeconds: VOUCHER_DEFAULTS.pauseAfterSeconds,
  stopAfterSeconds: VOUCHER_DEFAULTS.stopAfterSeconds,
  watchdogTickMs: 1_000,
  writeTimeoutMs: READ_IDLE_MS,
};

/** What a session needs of the job runner. */
export type SessionRunner = Pick<JobRunner, 'start' | 'cancel' | 'pause' | 'resume' | 'runningMs' | 'get'>;
/** What a session needs of the network's JobEscrow client (with a signer that is the provider). */
export type SessionEscrow = Pick<JobEscrowClient, 'startJob' | 'jobState' | 'finish'>;
export type SessionLedger = Pick<
  LedgerRepository,
  'open' | 'get' | 'saveTerms' | 'setStatus' | 'linkJob' | 'setSecondsRun'
>;

/** The runner's output and state changes (the core's 'job:output' and 'job:changed' events). */
export interface JobFeed {
  subscribe(listener: {
    output(jobId: string, data: string): void;
    change(job: JobSummary): void;
  }): () => void;
}

/** Everything a session needs but its stream: what the job service holds for all of them. */
export interface JobSessionDeps {
  /** The admission inputs that change over time (read at each hello). */
  admission(): Omit<AdmissionContext, 'peerId' | 'existing'>;
  ledger: SessionLedger;
  intake: Pick<VoucherIntake, 'accept'>;
  runner: SessionRunner;
  jobFeed: JobFeed;
  /** The JobEscrow client of a network (AdmissionNetwork.id), sending as the provider's wallet. */
  escrowFor(networkId: string): Promise<SessionEscrow>;
  /** Told when a rental ended, to redeem its last voucher soon. */
  settlement?: { poke(): void };
  /** Where bundles and output archives are kept while a session needs them. */
  workDir: string;
  clock: Clock;
  logger: Logger;
  /** A rental's ledger row changed (status, a stored voucher, seconds run). */
  onRentalChange?(rental: Rental): void;
  timings?: Partial<JobSessionTimings>;
}

export interface JobSessionOptions extends JobSessionDeps {
  stream: Stream;
  /** Our own peer id: the renter's proof names it. */
  peerId: string;
  /** The renter's peer id (for the log). */
  remotePeer: string;
  /** Takes the provider's one rental slot; false when another session holds it. */
  claim(): boolean;
  /** Gives the slot back (called once, when the job ended or the session did). */
  release(): void;
}

export type JobSessionOutcome =
  /** The hello was refused (`refusal` says why), or never came whole. */
  | 'refused'
  /** Accepted, but no job ran: bad bundle, startJob failed, the renter left or cancelled before. */
  | 'aborted'
  /** The job ran and ended (the outputs were sent or not: see `outputsSent`). */
  | 'ended';

export interface JobSessionResult {
  outcome: JobSessionOutcome;
  key: RentalKey | null;
  refusal: JobRefusalCode | null;
  localJobId: string | null;
  jobStatus: JobStatus | null;
  billedMs: number;
  owed: bigint;
  outputsSent: boolean;
}

export interface JobSession {
  run(): Promise<JobSessionResult>;
  /** Ends the session early (the node goes offline): the job is cancelled, nothing is waited for. */
  stop(reason: string): void;
  /** Resets the stream at once. */
  abort(reason: string): void;
  key(): RentalKey | null;
}

const MIB = 1024 * 1024;
/** Characters of terminal output per `log` message: JSON escapes (\u001b is 6 bytes) stay below 1 MiB. */
const LOG_CHUNK_CHARS = 64 * 1024;
/** Output kept for a renter that reads slowly; older output is dropped (the job's log file has it all). */
const MAX_PENDING_LOG_CHARS = 2 * MIB;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const clip = (text: string, max = 1000) => (text.length > max ? `${text.slice(0, max - 3)}...` : text);

export function createJobSession(options: JobSessionOptions): JobSession {
  const { stream, ledger, intake, runner, clock, logger } = options;
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
  let watchdog: VoucherWatchdog | null = null;
  /** Resolves when the runner has dropped the job without ending it (its stopAll at shutdown). */
  let markJobLost: () => void = () => undefined;
  const jobLost = new Promise<null>((resolve) => (markJobLost = () => resolve(null)));

  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...waiters]) wake();
  };
  const waitForNews = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      waiters.add(done);
    });

  const release = () => {
    if (!claimed || released) return;
    released = true;
    options.release();
  };

  // ------------------------------------------------------------------ the ledger, told to the UI

  const changed = () => {
    if (!key) return;
    try {
      const rental = ledger.get(key);
      if (rental) options.onRentalChange?.(rental);
    } catch (error) {
      logger.warn(`Rental ${key.escrowJobId}: could not report its change: ${messageOf(error)}`);
    }
  };
  const setStatus = (status: RentalStatus, reason: string | null = null) => {
    if (!key) return;
    try {
      ledger.setStatus(key, status, now(), reason === null ? null : clip(reason));
    } catch (error) {
      logger.warn(`Rental ${key.escrowJobId}: could not record status ${status}: ${messageOf(error)}`);
      return;
    }
    changed();
  };
  const signed = () => (key ? (ledger.get(key)?.signed ?? 0n) : 0n);
  const billedMs = () => (localJobId ? Math.floor(runner.runningMs(localJobId) ?? 0) : 0);
  const owedFor = (ms: number) => (terms ? requiredAmount(terms, ms / 1000) : 0n);

  // ------------------------------------------------------------------ writing, one message at a time

  let writes: Promise<void> = Promise.resolve();
  let writeFailed = false;
  /** Queues messages (made when their turn comes); resolves once they are written or given up. */
  const enqueue = (make: () => ProviderMessage | ProviderMessage[] | null): Promise<void> => {
    writes = writes
      .then(async () => {
        if (writeFailed || stream.writeStatus !== 'writable') return;
        const made = make();
        if (made === null) return;
        for (const message of Array.isArray(made) ? made : [made])
          await writeMessage(stream, message, { signal: AbortSignal.timeout(timings.writeTimeoutMs) });
      })
      .catch((error: unknown) => {
        writeFailed = true;
        renterGone('The renter disconnected', `a write failed: ${messageOf(error)}`);
      });
    return writes;
  };
  const sendError = (
    code: 'protocol' | 'bad-bundle' | 'start-failed' | 'unpaid' | 'internal',
    reason: string,
  ) => enqueue(() => ({ v: 1, type: 'error', code, reason: clip(reason) }));
  const closeAfterWrites = async () => {
    await writes;
    await closeStream(stream, timings.writeTimeoutMs);
  };

  // The job's terminal output, coalesced while the renter reads.
  let pendingLog = '';
  let droppedLog = 0;
  let logQueued = false;
  const pushLog = (data: string) => {
    pendingLog += data;
    if (pendingLog.length > MAX_PENDING_LOG_CHARS) {
      droppedLog += pendingLog.length - MAX_PENDING_LOG_CHARS;
      pendingLog = pendingLog.slice(pendingLog.length - MAX_PENDING_LOG_CHARS);
    }
    if (logQueued) return;
    logQueued = true;
    void enqueue(() => {
      logQueued = false;
      let text = pendingLog;
      pendingLog = '';
      if (droppedLog > 0) {
        text = `\r\n[nocturne] ${droppedLog} characters of output skipped (the renter reads slowly)\r\n${text}`;
        droppedLog = 0;
      }
      const messages: ProviderMessage[] = [];
      for (let at = 0; at < text.length; at += LOG_CHUNK_CHARS)
        messages.push({ v: 1, type: 'log', data: text.slice(at, at + LOG_CHUNK_CHARS) });
      return messages.length > 0 ? messages : null;
    });
  };

  /** Why the job is paused, as the renter may know it: the owner's own reasons stay private. */
  let paymentPause: string | null = null;
  const pauseReason = () =>
    watchdog?.phase() === 'paused' && paymentPause !== null
      ? clip(paymentPause)
      : 'The provider needs the machine for now; paused time is not billed.';

  let statusQueued = false;
  const requestStatus = () => {
    if (statusQueued || phase !== 'running') return;
    statusQueued = true;
    void enqueue(() => {
      statusQueued = false;
      if (phase !== 'running' || !localJobId) return null;
      const job = runner.get(localJobId);
      if (!job) return null;
      const state =
        job.status === 'paused' || job.status === 'running'
          ? job.status
          : job.status === 'queued' || job.status === 'preparing'
            ? 'preparing'
            : null; // ended: 'ended' says the rest
      if (state === null) return null;
      const ms = billedMs();
      return {
        v: 1,
        type: 'status',
        state,
        billedMs: ms,
        owed: owedFor(ms).toString(),
        signed: signed().toString(),
        reason: state === 'paused' ? pauseReason() : null,
      };
    });
  };

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
    wakeAll();
  }

  const onReadError = (error: unknown) => {
    if (finished) return;
    if (error instanceof ProtocolError && error.streamOpen) {
      void sendError('protocol', `The message broke the protocol: ${error.message}`).then(closeAfterWrites);
      renterGone('The renter broke the protocol', error.message);
    } else {
      renterGone('The renter disconnected', messageOf(error));
    }
  };

  const handleVoucher = (message: Extract<RenterMessage, { type: 'voucher' }>) => {
    if (!key || !terms) return;
    const outcome = intake.accept(
      key,
      terms,
      {
        jobId: key.escrowJobId,
        cumulativeAmount: BigInt(message.cumulativeAmount),
        signature: message.signature,
      },
      billedMs() / 1000,
    );
    if (outcome.ok) {
      void enqueue(() => ({
        v: 1,
        type: 'voucher-ack',
        ok: true,
        cumulativeAmount: outcome.cumulativeAmount.toString(),
      }));
      changed();
      watchdog?.check();
      requestStatus();
      wakeAll();
    } else {
      void enqueue(() => ({
        v: 1,
        type: 'voucher-ack',
        ok: false,
        code: outcome.code,
        reason: clip(outcome.reason),
      }));
    }
  };

  /** After the bundle: vouchers, pings and a cancel, until the renter is gone or the session ends. */
  async function readLoop(): Promise<void> {
    while (gone === null && !finished) {
      let message: RenterMessage;
      try {
        message = await readMessage(stream, RenterMessageSchema, { timeoutMs: timings.readIdleMs });
      } catch (error) {
        onReadError(error);
        return;
      }
      try {
        switch (message.type) {
          case 'voucher':
            handleVoucher(message);
            break;
          case 'ping':
            break;
          case 'cancel':
            logger.info(`Rental session with ${peer}: the renter cancels: ${message.reason}`);
            stopJob(`Cancelled by the renter: ${message.reason}`);
            break;
          case 'chunk':
          case 'bundle-end':
            onReadError(
              new ProtocolError('schema', `A '${message.type}' after the bundle was complete.`, true),
            );
            return;
        }
      } catch (error) {
        logger.error(`Rental session with ${peer}: a ${message.type} message failed`, error);
      }
    }
  }

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

  const refuse = async (code: JobRefusalCode, reason: string): Promise<JobSessionResult> => {
    logger.info(`Job session from ${peer} refused (${code}): ${reason}`);
    await enqueue(() => ({ v: 1, type: 'refuse', code, reason: clip(reason) }));
    await closeAfterWrites();
    return result('refused', { refusal: code, key: null });
  };

  /** Accepted but never started: the rental fails with `reason`; the renter may cancel on-chain. */
  const abortBeforeStart = async (
    reason: string,
    error?: { code: 'protocol' | 'bad-bundle' | 'start-failed' | 'internal'; text: string },
  ): Promise<JobSessionResult> => {
    logger.warn(`Rental ${key?.escrowJobId ?? '?'} from ${peer} did not start: ${reason}`);
    setStatus('failed', reason);
    if (gone === null) {
      if (error) await sendError(error.code, error.text);
      await closeAfterWrites();
    } else resetStream(stream, new Error(reason));
    return result('aborted');
  };

  async function serve(): Promise<JobSessionResult> {
    // 1. The hello.
    let hello: Hello;
    try {
      hello = await readMessage(stream, HelloSchema, { timeoutMs: timings.readIdleMs });
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      logger.warn(`Job session from ${peer}: no valid hello: ${error.message}`);
      if (error.streamOpen) {
        await sendError('protocol', `The hello broke the protocol: ${error.message}`);
        await closeAfterWrites();
      }
      return result('refused');
    }

    // 2. Admission: the pure checks, then one rental at a time, then the chain.
    const decision = decideJobAdmission(hello, {
      ...options.admission(),
      peerId: options.peerId,
      existing: ledger.get(rentalKeyOf(hello)),
    });
    if (!decision.ok) return refuse(decision.code, decision.reason);
    if (!options.claim()) return refuse('busy', 'This provider is running another job.');
    claimed = true;
    const network: AdmissionNetwork = decision.network;
    const jobTerms = decision.terms;
    let escrow: SessionEscrow;
    try {
      escrow = await options.escrowFor(network.id);
      const state = await escrow.jobState(decision.key.escrowJobId);
      if (state.status !== 'Open')
        return refuse('not-open', `The job is ${state.status} on-chain, not Open.`);
    } catch (error) {
      logger.warn(`Job session from ${peer}: could not read job ${hello.jobId}: ${messageOf(error)}`);
      return refuse('internal', 'This provider could not read the job on-chain just now; try again.');
    }
    if (BigInt(Math.floor(now() / 1000)) > jobTerms.startDeadline)
      return refuse('not-open', `The job's start deadline (${jobTerms.startDeadline}) has passed.`);

    key = decision.key;
    terms = jobTerms;
    ledger.open(
      {
        ...key,
        networkId: network.id,
        token: terms.token,
        renter: terms.renter,
        provider: terms.provider,
        pricePerSecond: terms.pricePerSecond,
        deposit: terms.deposit,
        maxSeconds: Number(terms.maxSeconds),
        specHash: terms.specHash,
      },
      now(),
    );
    ledger.saveTerms(key, terms, now());
    changed();
    logger.info(
      `Rental ${key.escrowJobId} accepted from ${peer}: ${terms.pricePerSecond}/s, up to ${terms.maxSeconds} s`,
    );
    await enqueue(() => ({ v: 1, type: 'accept' }));

    // 3. The bundle.
    phase = 'bundle';
    mkdirSync(options.workDir, { recursive: true });
    const bundlePath = join(options.workDir, `rental-${key.escrowJobId.slice(2)}.bundle.tar.gz`);
    const archivePath = join(options.workDir, `rental-${key.escrowJobId.slice(2)}.outputs.tar.gz`);
    try {
      const bundle = await receiveBundle(hello, bundlePath);
      if (bundle !== null) return bundle;

      // 4. startJob, then the sandbox.
      phase = 'starting';
      void readLoop();
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

  /** Reads chunks up to bundle-end into `path`; null when the bundle is whole and right. */
  async function receiveBundle(hello: Hello, path: string): Promise<JobSessionResult | null> {
    let file: FileHandle | null = await open(path, 'w', 0o600);
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      for (;;) {
        let message: RenterMessage;
        try {
          message = await readMessage(stream, RenterMessageSchema, { timeoutMs: timings.readIdleMs });
        } catch (error) {
          if (stopRequest !== null) return abortBeforeStart(stopRequest);
          if (error instanceof ProtocolError && error.streamOpen)
            return abortBeforeStart('The renter broke the protocol', {
              code: 'protocol',
              text: `The message broke the protocol: ${error.message}`,
            });
          renterGone('The renter disconnected', messageOf(error));
          return abortBeforeStart('The renter disconnected');
        }
        switch (message.type) {
          case 'chunk': {
            const data = Buffer.from(message.data, 'base64');
            if (bytes + data.byteLength > hello.bundleBytes)
              return abortBeforeStart('The bundle is larger than announced', {
                code: 'bad-bundle',
                text: `The bundle is larger than the ${hello.bundleBytes} bytes the hello announced.`,
              });
            bytes += data.byteLength;
            hash.update(data);
            await file.write(data);
            break;
          }
          case 'bundle-end': {
            await file.close();
            file = null;
            const sha256 = hash.digest('hex');
            if (bytes !== hello.bundleBytes)
              return abortBeforeStart('The bundle is shorter than announced', {
                code: 'bad-bundle',
                text: `The bundle has ${bytes} bytes; the hello announced ${hello.bundleBytes}.`,
              });
            if (sha256 !== hello.spec.bundle.sha256)
              return abortBeforeStart('The bundle does not match its sha256', {
                code: 'bad-bundle',
                text: `The bundle's sha256 is ${sha256}; the spec names ${hello.spec.bundle.sha256}.`,
              });
            return null;
          }
          case 'voucher':
            handleVoucher(message);
            break;
          case 'ping':
            break;
          case 'cancel':
            logger.info(
              `Rental session with ${peer}: the renter cancels before the start: ${message.reason}`,
            );
            setStatus('failed', `Cancelled by the renter before the start: ${message.reason}`);
            await closeAfterWrites();
            return result('aborted');
        }
      }
    } finally {
      await file?.close().catch(() => undefined);
    }
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
    const runSpec: JobSpec = {
      ...wireSpec(spec),
      resources: {
        ...spec.resources,
        maxSeconds: Math.min(spec.resources.maxSeconds, Number(jobTerms.maxSeconds)),
      },
    };
    const job = runner.start(runSpec, bundlePath);
    localJobId = job.id;
    phase = 'running';
    try {
      ledger.linkJob(rentalKey, job.id, now());
    } catch (error) {
      logger.warn(`Rental ${rentalKey.escrowJobId}: could not link job ${job.id}: ${messageOf(error)}`);
    }
    setStatus('running');
    logger.info(`Rental ${rentalKey.escrowJobId} started as ${job.id} (startJob ${startTx})`);
    void enqueue(() => ({ v: 1, type: 'started', localJobId: job.id, startTx }));

    let lastStatus: JobStatus | null = null;
    const unsubscribe = options.jobFeed.subscribe({
      output: (id, data) => {
        if (id === job.id) pushLog(data);
      },
      change: (summary) => {
        if (summary.id !== job.id || summary.status === lastStatus) return;
        lastStatus = summary.status;
        if (summary.status === 'running' || summary.status === 'paused') {
          try {
            ledger.setSecondsRun(rentalKey, Math.floor(billedMs() / 1000), now());
          } catch (error) {
            logger.warn(`Rental ${rentalKey.escrowJobId}: could not record its time: ${messageOf(error)}`);
          }
          setStatus(summary.status, summary.status === 'paused' ? summary.reason : null);
        }
        requestStatus();
      },
    });
    watchdog = createVoucherWatchdog({
      clock,
      logger,
      terms: jobTerms,
      signed,
      billedSeconds: () => billedMs() / 1000,
      onPause: async (reason) => {
        paymentPause = reason;
        await runner.pause(job.id, reason, 'payment').frozen;
      },
      onResume: async () => {
        await runner.resume(job.id, 'payment');
      },
      onStop: (reason) => {
        runner.cancel(job.id, reason);
      },
      pauseAfterSeconds: timings.pauseAfterSeconds,
      stopAfterSeconds: timings.stopAfterSeconds,
      tickMs: timings.watchdogTickMs,
    });
    watchdog.start();
    const ticker = setInterval(requestStatus, timings.statusIntervalMs);
    ticker.unref();
    requestStatus();
    if (stopRequest !== null) runner.cancel(job.id, stopRequest);
    else if (gone !== null) runner.cancel(job.id, gone);

    let summary: JobSummary | null;
    try {
      summary = await Promise.race([job.done, jobLost]);
    } finally {
      clearInterval(ticker);
      watchdog.dispose();
      unsubscribe();
    }
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
    try {
      ledger.setSecondsRun(rentalKey, Math.floor(finalMs / 1000), now()); // whole billed seconds
    } catch (error) {
      logger.warn(`Rental ${rentalKey.escrowJobId}: could not record its time: ${messageOf(error)}`);
    }
    changed();
    logger.info(
      `Rental ${rentalKey.escrowJobId}: job ${job.id} ${summary.status} after ${finalMs} ms billed; ` +
        `owed ${owed}, signed ${signed()}`,
    );

    // 6-7. ended, the final voucher, the outputs.
    let outputsSent = false;
    let unpaid = false;
    if (gone === null) {
      let archive = { bytes: 0, sha256: '' };
      try {
        archive = await packOutputs(summary.outputDir, archivePath);
      } catch (error) {
        logger.warn(`Rental ${rentalKey.escrowJobId}: could not pack the outputs: ${messageOf(error)}`);
      }
      await enqueue(() => ({
        v: 1,
        type: 'ended',
        status: summary.status,
        reason: summary.reason === null ? null : clip(summary.reason),
        exitCode: summary.exitCode,
        billedMs: finalMs,
        owed: owed.toString(),
        outputBytes: archive.bytes,
        outputSha256: archive.sha256,
      }));
      const deadline = Date.now() + (stopping ? 0 : timings.finalVoucherWaitMs);
      while (signed() < owed && gone === null && Date.now() < deadline)
        await waitForNews(deadline - Date.now());
      if (gone === null) {
        if (signed() >= owed) {
          await sendOutputs(archivePath, archive.bytes);
          outputsSent = gone === null && !writeFailed;
        } else {
          unpaid = true;
          await sendError(
            stopping ? 'internal' : 'unpaid',
            stopping
              ? `The provider went offline before the job was paid (${signed()} of ${owed} signed).`
              : `No voucher covered the ${owed} the job owes within ${timings.finalVoucherWaitMs / 1000} s ` +
                  `(${signed()} signed): the outputs are withheld.`,
          );
        }
        finished = true;
        await closeAfterWrites();
      }
    }
    finished = true;

    // 8. The ledger, the refund of a job that ran for nothing, settlement.
    const reason = [summary.reason, unpaid ? `outputs withheld: ${signed()} of ${owed} signed` : null]
      .filter((part) => part !== null)
      .join('; ');
    setStatus(summary.status === 'failed' || summary.status === 'lost' ? 'failed' : 'ended', reason || null);
    await refundIfUnpaid(escrow);
    options.settlement?.poke();
    if (outputsSent) logger.info(`Rental ${rentalKey.escrowJobId}: outputs sent (${owed} owed, paid)`);
    return result('ended', { jobStatus: summary.status, billedMs: finalMs, owed, outputsSent });
  }

  async function sendOutputs(path: string, bytes: number): Promise<void> {
    if (bytes > 0) {
      const file = await open(path, 'r');
      try {
        const buffer = Buffer.alloc(JOB_CHUNK_BYTES);
        for (let offset = 0; offset < bytes && gone === null && !writeFailed;) {
          const { bytesRead } = await file.read(buffer, 0, Math.min(JOB_CHUNK_BYTES, bytes - offset), offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
          const data = buffer.subarray(0, bytesRead).toString('base64');
          await enqueue(() => ({ v: 1, type: 'output', data }));
        }
      } finally {
        await file.close();
      }
    }
    await enqueue(() => ({ v: 1, type: 'outputs-end' }));
  }

  /** A started job that ended with nothing signed is closed with finish(terms): the deposit goes back. */
  async function refundIfUnpaid(escrow: SessionEscrow): Promise<void> {
    if (!key || !terms) return;
    try {
      if (signed() > 0n) return;
      const state = await escrow.jobState(key.escrowJobId);
      if (state.status !== 'Open' && state.status !== 'Started') return;
      const { receipt } = await escrow.finish(terms);
      logger.info(
        `Rental ${key.escrowJobId}: nothing signed; finished it and refunded the deposit (${receipt.hash})`,
      );
      setStatus('refunded', 'Nothing was signed: the whole deposit went back to the renter.');
    } catch (error) {
      logger.warn(`Rental ${key.escrowJobId}: could not refund the deposit: ${messageOf(error)}`);
    }
  }

  return {
    async run(): Promise<JobSessionResult> {
      try {
        return await serve();
      } catch (error) {
        logger.error(`Job session with ${peer} failed`, error);
        finished = true;
        if (key && phase !== 'ending') setStatus('failed', `The provider failed: ${messageOf(error)}`);
        if (localJobId) runner.cancel(localJobId, 'The provider failed');
        resetStream(stream, error instanceof Error ? error : new Error(String(error)));
        return result('aborted');
      } finally {
        release();
        wakeAll();
      }
    },
    stop(reason: string) {
      stopping = true;
      // A job the runner no longer knows was killed with the app (stopAll): do not wait for it.
      if (localJobId && phase === 'running' && !runner.cancel(localJobId, reason)) markJobLost();
      else stopJob(reason);
      // Waiting on the renter's next message: stop waiting.
      if (phase === 'hello' || phase === 'bundle') resetStream(stream, new Error(reason));
      wakeAll();
    },
    abort(reason: string) {
      resetStream(stream, new Error(reason));
    },
    key: () => key,
  };
}

// ------------------------------------------------------------------ the outputs archive

interface OutputEntry {
  name: string;
  path: string;
  type: 'file' | 'directory';
}

/** Files and folders under `dir`, relative, parents first, by name; links and devices are skipped. */
async function listOutputs(dir: string, prefix = ''): Promise<OutputEntry[]> {
  let names: string[];
  try {
    names = (await readdir(join(dir, prefix))).sort();
  } catch {
    return [];
  }
  const entries: OutputEntry[] = [];
  for (const name of names) {
    const relative = prefix === '' ? name : `${prefix}/${name}`;
    const path = join(dir, relative);
    const info = await lstat(path);
    if (info.isDirectory()) {
      entries.push({ name: `${relative}/`, path, type: 'directory' });
      entries.push(...(await listOutputs(dir, relative)));
    } else if (info.isFile()) entries.push({ name: relative, path, type: 'file' });
  }
  return entries;
}

/**
 * A tar.gz of `dir`'s contents at `file`: its size and sha256 (lower-case hex). Nothing in `dir`: size 0,
 * empty sha256, and no file.
 */
export async function packOutputs(dir: string, file: string): Promise<{ bytes: number; sha256: string }> {
  const entries = await listOutputs(dir);
  if (entries.length === 0) return { bytes: 0, sha256: '' };
  const pack = tar.pack();
  const hash = createHash('sha256');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      callback(null, chunk);
    },
  });
  const written = pipeline(
    async function* () {
      for await (const chunk of pack) yield chunk;
    },
    createGzip(),
    counter,
    createWriteStream(file, { mode: 0o600 }),
  );
  const adding = (async () => {
    for (const entry of entries) {
      const info = await lstat(entry.path);
      const mode = info.mode & 0o777;
      if (entry.type === 'directory') {
        await new Promise<void>((resolve, reject) =>
          pack.entry({ name: entry.name, type: 'directory', mode, mtime: info.mtime }, (error) =>
            error ? reject(error) : resolve(),
          ),
        );
        continue;
      }
      let finish!: (error?: Error | null) => void;
      const added = new Promise<void>((resolve, reject) => {
        finish = (error) => (error ? reject(error) : resolve());
      });
      const sink = pack.entry(
        { name: entry.name, type: 'file', size: info.size, mode, mtime: info.mtime },
        finish,
      );
      for await (const chunk of createReadStream(entry.path)) {
        if (!sink.write(chunk)) await new Promise<void>((resolve) => sink.once('drain', () => resolve()));
      }
      sink.end(undefined);
      await added;
    }
    pack.finalize();
  })();
  const destroy = (error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error)));
  adding.catch(destroy);
  written.catch(destroy);
  await Promise.all([adding, written]);
  return { bytes, sha256: hash.digest('hex') };
}
