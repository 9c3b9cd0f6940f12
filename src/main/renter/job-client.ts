import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Stream } from '@libp2p/interface';
import type { JobSpec, JobStatus } from '../../shared/schemas/job';
import { unpackBundle } from '../jobs/bundle/unpack-bundle';
import type { JobTerms } from '../market/job-terms';
import { wireSpec } from '../market/spec-hash';
import { signVoucher, type VoucherSigner } from '../market/voucher';
import { closeStream, ProtocolError, readMessage, resetStream, writeMessage } from '../p2p/framing';
import {
  JOB_CHUNK_BYTES,
  ProviderMessageSchema,
  READ_IDLE_MS,
  RENTER_HEARTBEAT_MS,
  type Hello,
  type JobRefusalCode,
  type ProviderMessage,
  type RenterMessage,
  type WireJobTerms,
} from '../p2p/job-messages';
import { signJobSession, type JobSessionSigner } from '../p2p/job-proof';

/**
 * The renter's side of one `/nocturne/job/1` session (docs/protocol.md, section 2): the hello, the bundle,
 * the vouchers while the job runs, and the outputs. The stream is already open to the provider; this
 * module only speaks the protocol on it. Rules it keeps:
 * - it signs exactly what the provider says is owed, never more, never above the deposit, and never more
 *   than the time that has passed on its own clock since the provider accepted allows;
 * - a refused voucher is reported, not retried: the next voucher is for the next amount owed;
 * - it sends a ping whenever it has sent nothing for `heartbeatMs`, and treats a provider that has said
 *   nothing for `idleMs` (or a reset stream) as gone;
 * - the outputs archive must have the size and sha256 `ended` announced before it is unpacked.
 */

export interface JobSessionTimings {
  /** Send a ping after this long without sending anything. Default RENTER_HEARTBEAT_MS (5 s). */
  heartbeatMs: number;
  /** The provider is gone after this long without a message (or upload progress). Default READ_IDLE_MS. */
  idleMs: number;
  /** How often the two timers above are checked. Default a fifth of the shorter, at most 1 s. */
  tickMs?: number;
}

export interface JobSessionOptions {
  /** An open `/nocturne/job/1` stream to the provider. */
  stream: Stream;
  /** The provider's peer id (the connection's authenticated remote peer): the proof names it. */
  providerPeerId: string;
  chainId: number;
  /** The JobEscrow the job was opened on. */
  escrow: string;
  jobId: string;
  terms: JobTerms;
  /** The job spec as loaded (bundle.path local); the wire spec is made from it. */
  spec: JobSpec;
  /** The bundle file; its size and sha256 must be the spec's. */
  bundlePath: string;
  bundleBytes: number;
  /** The renter's wallet: signs the session proof and the vouchers. */
  signer: VoucherSigner & JobSessionSigner;
  /** Where the outputs are unpacked: missing or an empty folder. */
  outputsDir: string;
  /** When the renter may reclaim the deposit's unpaid part (JobEscrow's deadline), for error messages. */
  reclaimableAt: Date;
  onLog?: (data: string) => void;
  onEvent?: (event: JobSessionEvent) => void;
  timings?: Partial<JobSessionTimings>;
  /**
   * The clock, in ms (default performance.now, monotonic), that bounds what may be owed: never more than
   * the seconds since the provider accepted. The heartbeat and silence timers always use real time.
   */
  now?: () => number;
}

export type JobSessionEvent =
  | { type: 'accepted' }
  | { type: 'uploaded'; bytes: number }
  | { type: 'started'; localJobId: string; startTx: string | null }
  | {
      type: 'status';
      state: 'preparing' | 'running' | 'paused';
      billedMs: number;
      owed: bigint;
      signed: bigint;
      reason: string | null;
    }
  | { type: 'voucher-sent'; cumulativeAmount: bigint }
  | { type: 'voucher-acked'; cumulativeAmount: bigint }
  | { type: 'voucher-refused'; refusal: VoucherRefusal }
  /** The provider claimed more than may be owed; the renter signed less. */
  | { type: 'owed-capped'; owed: bigint; signing: bigint; why: string }
  | { type: 'cancel-sent'; reason: string }
  | {
      type: 'ended';
      status: JobStatus;
      reason: string | null;
      exitCode: number | null;
      billedMs: number;
      owed: bigint;
      outputBytes: number;
    }
  | { type: 'outputs'; dir: string | null; bytes: number; files: number };

export interface VoucherRefusal {
  cumulativeAmount: bigint;
  code: string;
  reason: string;
}

export interface JobEnd {
  status: JobStatus;
  reason: string | null;
  exitCode: number | null;
  billedMs: number;
  /** What the provider says the job owes in the end. */
  owed: bigint;
}

export interface JobSessionResult extends JobEnd {
  localJobId: string | null;
  startTx: string | null;
  /** The highest voucher signed and sent: the most the provider can be paid. */
  signed: bigint;
  /** The highest voucher the provider acknowledged (stored). */
  acknowledged: bigint;
  voucherRefusals: VoucherRefusal[];
  /** Unpacked outputs; null when the job had none. */
  outputs: { dir: string; bytes: number; files: number; sha256: string } | null;
}

export type JobSessionErrorCode =
  /** The provider refused the hello (`refusal` says why). */
  | 'refused'
  /** The provider gave up with an `error` message (`providerError` says why). */
  | 'provider-error'
  /** The provider said nothing for `idleMs`. */
  | 'silent'
  /** The stream was reset or closed before the session was over. */
  | 'gone'
  /** The provider sent something the protocol does not allow here. */
  | 'protocol'
  /** The outputs archive did not match what `ended` announced, or could not be unpacked. */
  | 'bad-outputs'
  /** The bundle could not be read, or changed while it was sent. */
  | 'bundle'
  /** cancel() before the job started: the session was dropped (the escrow job can be cancelled). */
  | 'cancelled'
  /** abort(): the renter gave up waiting. */
  | 'aborted';

export class JobSessionError extends Error {
  constructor(
    readonly code: JobSessionErrorCode,
    message: string,
    readonly details: {
      /** Whether the provider had said the job started (startJob mined). */
      started: boolean;
      refusal?: { code: JobRefusalCode; reason: string };
      providerError?: { code: string; reason: string };
      /** The job's end, when `ended` had come (outputs failed after it). */
      ended?: JobEnd;
      signed: bigint;
      acknowledged: bigint;
      voucherRefusals: VoucherRefusal[];
      localJobId: string | null;
      startTx: string | null;
      cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'JobSessionError';
  }
}

export interface JobSession {
  /** The session's outcome: the job's end and its outputs, or a JobSessionError. */
  readonly result: Promise<JobSessionResult>;
  /**
   * Asks the provider to stop the job: after the start, a `cancel` message (the session then goes on to
   * `ended` and the outputs); before it, the session is dropped at once (JobSessionError 'cancelled').
   */
  cancel(reason: string): void;
  /** Drops the session now (JobSessionError 'aborted'). */
  abort(reason: string): void;
}

/** Terms with every integer as a decimal string, as the hello carries them. */
export function wireTerms(terms: JobTerms): WireJobTerms {
  return {
    renter: terms.renter,
    provider: terms.provider,
    token: terms.token,
    deposit: terms.deposit.toString(),
    pricePerSecond: terms.pricePerSecond.toString(),
    maxSeconds: terms.maxSeconds.toString(),
    specHash: terms.specHash,
    startDeadline: terms.startDeadline.toString(),
    nonce: terms.nonce.toString(),
  };
}

/** The peer's words as a sentence: with a full stop unless they end in one already. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Long enough never to fire first: silence is the session's own watchdog's business (it counts uploads). */
const READ_TIMEOUT_MS = 2_147_483_647;

type Inbound = { message: ProviderMessage } | { error: unknown };

/** Starts the session at once (the hello is the first thing sent). */
export function startJobSession(options: JobSessionOptions): JobSession {
  const { stream, terms } = options;
  const timings: JobSessionTimings = {
    heartbeatMs: options.timings?.heartbeatMs ?? RENTER_HEARTBEAT_MS,
    idleMs: options.timings?.idleMs ?? READ_IDLE_MS,
  };
  const tickMs =
    options.timings?.tickMs ??
    Math.max(10, Math.min(1000, Math.min(timings.heartbeatMs, timings.idleMs) / 5));
  const now = () => performance.now();
  const billingNow = options.now ?? now;
  const emit = (event: JobSessionEvent) => options.onEvent?.(event);

  // --- state
  let failure: JobSessionError | null = null;
  const stop = new AbortController();
  let lastHeard = now();
  let lastSent = now();
  let acceptedAt: number | null = null;
  let bundleSent = false;
  let started = false;
  let ended: JobEnd | null = null;
  let done = false;
  /** The outputs are all in (or there are none): nothing more is expected from the provider. */
  let received = false;
  let cancelSent = false;
  let localJobId: string | null = null;
  let startTx: string | null = null;
  let signed = 0n;
  let acknowledged = 0n;
  const pendingAcks: bigint[] = [];
  const voucherRefusals: VoucherRefusal[] = [];

  const details = (extra: Partial<JobSessionError['details']> = {}): JobSessionError['details'] => ({
    started,
    signed,
    acknowledged,
    voucherRefusals: [...voucherRefusals],
    localJobId,
    startTx,
    ...(ended ? { ended } : {}),
    ...extra,
  });

  const whatNow = () =>
    started
      ? ` The provider can be paid at most the ${signed} base units signed so far; the rest of the deposit ` +
        `comes back when it finishes the job, or can be reclaimed from JobEscrow after ` +
        `${options.reclaimableAt.toISOString()}.`
      : ' The job had not started, so the escrow job can still be cancelled for the whole deposit.';

  const fail = (error: JobSessionError): JobSessionError => {
    if (failure) return failure;
    failure = error;
    stop.abort(error);
    resetStream(stream, error);
    wakeInbox();
    return error;
  };

  // --- inbox: one reader for the whole stream, filled in the background
  const inbox: Inbound[] = [];
  let inboxWaiter: (() => void) | null = null;
  const wakeInbox = () => {
    const wake = inboxWaiter;
    inboxWaiter = null;
    wake?.();
  };
  let pumpDone = false;
  const pump = (async () => {
    for (;;) {
      try {
        const message = await readMessage(stream, ProviderMessageSchema, { timeoutMs: READ_TIMEOUT_MS });
        lastHeard = now();
        inbox.push({ message });
        wakeInbox();
      } catch (error) {
        inbox.push({ error });
        wakeInbox();
        pumpDone = true;
        return;
      }
    }
  })();

  async function next(): Promise<ProviderMessage>;
  async function next(endOk: true): Promise<ProviderMessage | null>;
  async function next(endOk = false): Promise<ProviderMessage | null> {
    for (;;) {
      if (failure) throw failure;
      const item = inbox.shift();
      if (item) {
        if ('message' in item) return item.message;
        if (endOk && item.error instanceof ProtocolError && item.error.code === 'closed') return null;
        throw readFailure(item.error);
      }
      await new Promise<void>((resolve) => (inboxWaiter = resolve));
    }
  }

  function readFailure(error: unknown): JobSessionError {
    if (failure) return failure;
    if (error instanceof ProtocolError && error.streamOpen) {
      return fail(
        new JobSessionError(
          'protocol',
          `The provider sent a message the protocol does not allow: ${error.message}`,
          {
            ...details(),
            cause: error,
          },
        ),
      );
    }
    const detail = error instanceof Error ? error.message : String(error);
    return fail(
      new JobSessionError(
        'gone',
        `The connection to the provider was lost (${detail}).${whatNow()}`,
        details({ cause: error }),
      ),
    );
  }

  // --- outbox: one write at a time, so back-pressure holds for every message
  let writing: Promise<void> = Promise.resolve();
  function send(message: Hello | RenterMessage, quiet = false): Promise<void> {
    lastSent = now();
    const write = writing.then(async () => {
      if (failure) throw failure;
      await writeMessage(stream, message, { signal: stop.signal });
      lastSent = now();
    });
    writing = write.catch(() => undefined);
    return write.catch((error: unknown) => {
      if (failure) throw failure;
      // A ping that cannot be sent says nothing the reader will not find out by itself.
      if (quiet) return;
      const detail = error instanceof Error ? error.message : String(error);
      throw fail(
        new JobSessionError(
          'gone',
          `Could not send to the provider (${detail}).${whatNow()}`,
          details({ cause: error }),
        ),
      );
    });
  }

  // --- timers: heartbeat and silence
  const timer = setInterval(() => {
    if (failure || done || received) return;
    const t = now();
    if (t - lastHeard > timings.idleMs) {
      fail(
        new JobSessionError(
          'silent',
          `The provider has said nothing for ${Math.round(timings.idleMs / 1000)} s and is treated as gone.${whatNow()}`,
          details(),
        ),
      );
      return;
    }
    if (bundleSent && t - lastSent >= timings.heartbeatMs)
      void send({ v: 1, type: 'ping' }, true).catch(() => undefined);
  }, tickMs);

  // --- vouchers
  const wallCap = (): bigint => {
    if (acceptedAt === null) return 0n;
    const seconds = BigInt(Math.ceil(Math.max(0, billingNow() - acceptedAt) / 1000));
    return terms.pricePerSecond * (seconds < terms.maxSeconds ? seconds : terms.maxSeconds);
  };

  let lastCapped: bigint | null = null;
  let lastCappedTo: bigint | null = null;
  async function payUpTo(owed: bigint): Promise<void> {
    let target = owed;
    let why = '';
    if (target > terms.deposit) {
      target = terms.deposit;
      why = 'above the deposit';
    }
    const cap = wallCap();
    if (target > cap) {
      target = cap;
      why = 'more than the time since the provider accepted the job allows';
    }
    // Said once per claim, not at every status that repeats it.
    if (target < owed && (owed !== lastCapped || target !== lastCappedTo)) {
      lastCapped = owed;
      lastCappedTo = target;
      emit({ type: 'owed-capped', owed, signing: target, why });
    }
    if (target <= signed) return;
    const voucher = await signVoucher(
      options.signer,
      { chainId: BigInt(options.chainId), verifyingContract: options.escrow },
      { jobId: options.jobId, cumulativeAmount: target },
    );
    signed = target;
    pendingAcks.push(target);
    await send({ v: 1, type: 'voucher', cumulativeAmount: target.toString(), signature: voucher.signature });
    emit({ type: 'voucher-sent', cumulativeAmount: target });
  }

  function onAck(message: Extract<ProviderMessage, { type: 'voucher-ack' }>): void {
    const amount = pendingAcks.shift();
    if (message.ok) {
      const acked = BigInt(message.cumulativeAmount);
      if (acked > acknowledged && acked <= signed) acknowledged = acked;
      emit({ type: 'voucher-acked', cumulativeAmount: acked });
      return;
    }
    const refusal: VoucherRefusal = {
      cumulativeAmount: amount ?? signed,
      code: message.code,
      reason: message.reason,
    };
    voucherRefusals.push(refusal);
    emit({ type: 'voucher-refused', refusal });
  }

  const unexpected = (message: ProviderMessage, when: string): JobSessionError =>
    fail(
      new JobSessionError(
        'protocol',
        `The provider sent "${message.type}" ${when}, which the protocol does not allow.`,
        details(),
      ),
    );

  const providerError = (message: Extract<ProviderMessage, { type: 'error' }>): JobSessionError => {
    const what: Record<string, string> = {
      'bad-bundle': 'The provider refused the bundle',
      'start-failed': 'The provider could not start the job on-chain',
      unpaid: 'The provider kept the outputs because the final voucher did not cover what the job owes',
      protocol: 'The provider ended the session over a protocol error',
      internal: 'The provider failed',
    };
    return fail(
      new JobSessionError(
        'provider-error',
        `${what[message.code] ?? 'The provider gave up'} (${message.code}): ${sentence(message.reason)}${ended ? '' : whatNow()}`,
        details({ providerError: { code: message.code, reason: message.reason } }),
      ),
    );
  };

  // --- the session
  async function upload(): Promise<void> {
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      for await (const chunk of createReadStream(options.bundlePath, { highWaterMark: JOB_CHUNK_BYTES })) {
        const buffer = chunk as Buffer;
        for (let at = 0; at < buffer.length; at += JOB_CHUNK_BYTES) {
          const part = buffer.subarray(at, at + JOB_CHUNK_BYTES);
          hash.update(part);
          bytes += part.length;
          if (bytes > options.bundleBytes)
            throw fail(
              new JobSessionError(
                'bundle',
                `The bundle ${options.bundlePath} grew while it was being sent (past ${options.bundleBytes} bytes).`,
                details(),
              ),
            );
          // Anything the provider says now (an error) ends the upload.
          if (inbox.length > 0 || failure) return;
          await send({ v: 1, type: 'chunk', data: part.toString('base64') });
          lastHeard = now(); // the provider is taking the bytes: it is alive
        }
      }
    } catch (error) {
      if (failure) throw failure;
      throw fail(
        new JobSessionError(
          'bundle',
          `Could not read the bundle ${options.bundlePath}: ${(error as Error).message}`,
          {
            ...details(),
            cause: error,
          },
        ),
      );
    }
    const sha256 = hash.digest('hex');
    if (bytes !== options.bundleBytes || sha256 !== options.spec.bundle.sha256)
      throw fail(
        new JobSessionError(
          'bundle',
          `The bundle ${options.bundlePath} changed while it was being sent (now ${bytes} bytes, sha256 ${sha256}).`,
          details(),
        ),
      );
    await send({ v: 1, type: 'bundle-end' });
    bundleSent = true;
    emit({ type: 'uploaded', bytes });
  }

  async function run(): Promise<JobSessionResult> {
    const proof = await signJobSession(options.signer, {
      chainId: options.chainId,
      escrow: options.escrow,
      jobId: options.jobId,
      provider: options.providerPeerId,
    });
    await send({
      v: 1,
      type: 'hello',
      chainId: options.chainId,
      escrow: options.escrow,
      jobId: options.jobId,
      terms: wireTerms(terms),
      spec: wireSpec(options.spec),
      bundleBytes: options.bundleBytes,
      proof,
    });

    const answer = await next();
    if (answer.type === 'refuse')
      throw fail(
        new JobSessionError(
          'refused',
          `The provider refused the job (${answer.code}): ${sentence(answer.reason)}`,
          details({ refusal: { code: answer.code, reason: answer.reason } }),
        ),
      );
    if (answer.type === 'error') throw providerError(answer);
    if (answer.type !== 'accept') throw unexpected(answer, 'instead of accepting or refusing');
    acceptedAt = billingNow();
    emit({ type: 'accepted' });

    await upload();

    // While the job lives.
    let end: Extract<ProviderMessage, { type: 'ended' }> | null = null;
    while (end === null) {
      const message = await next();
      switch (message.type) {
        case 'started':
          started = true;
          localJobId = message.localJobId;
          startTx = message.startTx;
          emit({ type: 'started', localJobId, startTx });
          break;
        case 'log':
          options.onLog?.(message.data);
          break;
        case 'status': {
          if (!bundleSent) throw unexpected(message, 'before the bundle was sent');
          started = true;
          const owed = BigInt(message.owed);
          emit({
            type: 'status',
            state: message.state,
            billedMs: message.billedMs,
            owed,
            signed: BigInt(message.signed),
            reason: message.reason,
          });
          await payUpTo(owed);
          break;
        }
        case 'voucher-ack':
          onAck(message);
          break;
        case 'ended':
          end = message;
          break;
        case 'error':
          throw providerError(message);
        default:
          throw unexpected(message, bundleSent ? 'while the job runs' : 'while the bundle was being sent');
      }
    }

    ended = {
      status: end.status,
      reason: end.reason,
      exitCode: end.exitCode,
      billedMs: end.billedMs,
      owed: BigInt(end.owed),
    };
    emit({ type: 'ended', ...ended, outputBytes: end.outputBytes });
    await payUpTo(ended.owed);
    const outputs = await receiveOutputs(end.outputBytes, end.outputSha256);
    done = true;
    return {
      ...ended,
      localJobId,
      startTx,
      signed,
      acknowledged,
      voucherRefusals: [...voucherRefusals],
      outputs,
    };
  }

  async function receiveOutputs(
    outputBytes: number,
    outputSha256: string,
  ): Promise<JobSessionResult['outputs']> {
    const archive = join(
      dirname(options.outputsDir),
      `.${basename(options.outputsDir)}.${randomBytes(4).toString('hex')}.tar.gz`,
    );
    let file: FileHandle | null = null;
    const hash = createHash('sha256');
    let bytes = 0;
    const bad = (why: string, cause?: unknown) =>
      fail(new JobSessionError('bad-outputs', `The outputs were refused: ${why}`, details({ cause })));
    try {
      for (;;) {
        // A provider with nothing to send may just close after `ended`.
        const message = outputBytes === 0 ? await next(true) : await next();
        if (message === null) break;
        if (message.type === 'voucher-ack') onAck(message);
        else if (message.type === 'log') options.onLog?.(message.data);
        else if (message.type === 'status') continue;
        else if (message.type === 'error') throw providerError(message);
        else if (message.type === 'output') {
          const data = Buffer.from(message.data, 'base64');
          bytes += data.length;
          if (bytes > outputBytes)
            throw bad(`the provider sent more than the ${outputBytes} bytes it announced`);
          file ??= await open(archive, 'wx', 0o600);
          hash.update(data);
          await file.write(data);
        } else if (message.type === 'outputs-end') break;
        else throw unexpected(message, 'after the job ended');
      }
      received = true;
      await file?.close();
      file = null;
      if (bytes !== outputBytes)
        throw bad(`the archive is ${bytes} bytes, not the ${outputBytes} bytes the provider announced`);
      if (outputBytes === 0) {
        emit({ type: 'outputs', dir: null, bytes: 0, files: 0 });
        return null;
      }
      const sha256 = hash.digest('hex');
      if (sha256 !== outputSha256)
        throw bad(`its sha256 is ${sha256}, not the ${outputSha256} the provider announced`);
      let unpacked;
      try {
        unpacked = await unpackBundle(archive, options.outputsDir, {
          maxBytes: options.spec.resources.diskMiB * 1024 * 1024,
        });
      } catch (error) {
        throw bad(`it could not be unpacked safely (${(error as Error).message})`, error);
      }
      emit({ type: 'outputs', dir: options.outputsDir, bytes, files: unpacked.files });
      return { dir: options.outputsDir, bytes, files: unpacked.files, sha256 };
    } finally {
      await file?.close().catch(() => undefined);
      await rm(archive, { force: true });
    }
  }

  const result = (async () => {
    try {
      const outcome = await run();
      await closeStream(stream, 2_000);
      return outcome;
    } catch (error) {
      if (failure) throw failure;
      if (error instanceof JobSessionError) throw fail(error);
      throw fail(
        new JobSessionError(
          'protocol',
          `The session failed: ${(error as Error).message}`,
          details({ cause: error }),
        ),
      );
    } finally {
      done = true;
      clearInterval(timer);
      // The background read ends when the provider closes; a provider that does not gets its stream reset.
      if (!pumpDone) {
        const closed = await Promise.race([
          pump.then(() => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), 1_000).unref()),
        ]);
        if (!closed) resetStream(stream, new Error('session over'));
      }
      await pump;
    }
  })();
  result.catch(() => undefined);

  return {
    result,
    cancel(reason: string) {
      if (failure || done || ended) return;
      const text = reason.trim().slice(0, 1000) || 'cancelled by the renter';
      if (!started) {
        fail(new JobSessionError('cancelled', `Cancelled before the job started: ${text}`, details()));
        return;
      }
      if (cancelSent) return;
      cancelSent = true;
      void send({ v: 1, type: 'cancel', reason: text })
        .then(() => emit({ type: 'cancel-sent', reason: text }))
        .catch(() => undefined);
    },
    abort(reason: string) {
      if (failure || done) return;
      fail(
        new JobSessionError(
          'aborted',
          `The session was dropped: ${reason}.${ended ? '' : whatNow()}`,
          details(),
        ),
      );
    },
  };
}
