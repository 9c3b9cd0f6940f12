import { closeStream, writeMessage } from '../p2p/framing';
import type { Hello, ProviderMessage, RenterMessage } from '../p2p/job-messages';
import type {
  JobEnd,
  JobSession,
  JobSessionEvent,
  JobSessionOptions,
  JobSessionResult,
} from './job-client-types';
import { JobSessionError } from './job-session-error';
import { openProviderInbox } from './provider-inbox';
import { receiveOutputs } from './receive-outputs';
import { buildHello } from './renter-hello';
import { createRenterVouchers } from './renter-vouchers';
import { createSessionFailures } from './session-failures';
import { resolveTimings, watchSilence } from './silence-watch';
import { uploadBundle } from './upload-bundle';

// The session's types and error live in their own files; the tests name these here.
export { JobSessionError } from './job-session-error';
export type { JobSessionEvent } from './job-client-types';

/**
 * The renter's side of one `/nocturne/job/1` session (docs/protocol.md, section 2): the hello, the bundle,
 * the vouchers while the job runs, and the outputs. The stream is already open to the provider; this
 * module only speaks the protocol on it. Rules it keeps:
 * - it signs exactly what the provider says is owed, never more, never above the deposit, and never more
 *   than the time that has passed on its own clock since the provider accepted allows (renter-vouchers.ts);
 * - a refused voucher is reported, not retried: the next voucher is for the next amount owed;
 * - it sends a ping whenever it has sent nothing for `heartbeatMs`, and treats a provider that has said
 *   nothing for `idleMs` (or a reset stream) as gone (silence-watch.ts);
 * - the outputs archive must have the size and sha256 `ended` announced before it is unpacked
 *   (receive-outputs.ts).
 * This file holds the session's state and the order of its steps.
 */
export function startJobSession(options: JobSessionOptions): JobSession {
  const { stream, terms } = options;
  const timings = resolveTimings(options.timings);
  const billingNow = options.now ?? (() => performance.now());
  const emit = (event: JobSessionEvent) => options.onEvent?.(event);

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

  const failures = createSessionFailures({
    stream,
    reclaimableAt: options.reclaimableAt,
    snapshot: () => ({
      started,
      signed: vouchers.signed(),
      acknowledged: vouchers.acknowledged(),
      voucherRefusals: vouchers.refusals(),
      localJobId,
      startTx,
      ...(ended ? { ended } : {}),
    }),
    onFail: () => inbox.wake(),
  });
  const { fail, details, whatNow } = failures;

  const silence = watchSilence(timings, {
    watching: () => !failures.current() && !done && !received,
    mayPing: () => bundleSent,
    onSilent: () =>
      fail(
        new JobSessionError(
          'silent',
          `The provider has said nothing for ${Math.round(timings.idleMs / 1000)} s and is treated as gone.${whatNow()}`,
          details(),
        ),
      ),
    ping: () => void send({ v: 1, type: 'ping' }, true).catch(() => undefined),
  });
  const inbox = openProviderInbox(stream, {
    onMessage: silence.heard,
    failure: failures.current,
    readFailure: failures.readFailure,
  });

  // One write at a time, so back-pressure holds for every message.
  let writing: Promise<void> = Promise.resolve();
  function send(message: Hello | RenterMessage, quiet = false): Promise<void> {
    silence.sent();
    const write = writing.then(async () => {
      const failure = failures.current();
      if (failure) throw failure;
      await writeMessage(stream, message, { signal: failures.signal });
      silence.sent();
    });
    writing = write.catch(() => undefined);
    return write.catch((error: unknown) => {
      const failure = failures.current();
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

  const vouchers = createRenterVouchers({
    terms,
    signer: options.signer,
    chainId: options.chainId,
    escrow: options.escrow,
    jobId: options.jobId,
    elapsedMs: () => (acceptedAt === null ? null : billingNow() - acceptedAt),
    send: (message) => send(message),
    emit,
  });

  async function run(): Promise<JobSessionResult> {
    await send(await buildHello(options));
    const answer = await inbox.next();
    if (answer.type === 'refuse') throw failures.refused(answer);
    if (answer.type === 'error') throw failures.providerError(answer);
    if (answer.type !== 'accept') throw failures.unexpected(answer, 'instead of accepting or refusing');
    acceptedAt = billingNow();
    emit({ type: 'accepted' });

    await uploadBundle(
      { path: options.bundlePath, bytes: options.bundleBytes, sha256: options.spec.bundle.sha256 },
      {
        send,
        // Anything the provider says now (an error) ends the upload.
        interrupted: () => inbox.pending() || failures.current() !== null,
        onProgress: silence.heard,
        failure: failures.current,
        bundleError: (message, cause) =>
          fail(
            new JobSessionError('bundle', message, cause === undefined ? details() : { ...details(), cause }),
          ),
        onUploaded: (bytes) => {
          bundleSent = true;
          emit({ type: 'uploaded', bytes });
        },
      },
    );

    // While the job lives.
    let end: Extract<ProviderMessage, { type: 'ended' }> | null = null;
    while (end === null) {
      const message = await inbox.next();
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
          if (!bundleSent) throw failures.unexpected(message, 'before the bundle was sent');
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
          await vouchers.payUpTo(owed);
          break;
        }
        case 'voucher-ack':
          vouchers.onAck(message);
          break;
        case 'ended':
          end = message;
          break;
        case 'error':
          throw failures.providerError(message);
        default:
          throw failures.unexpected(
            message,
            bundleSent ? 'while the job runs' : 'while the bundle was being sent',
          );
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
    await vouchers.payUpTo(ended.owed);
    const outputs = await receiveOutputs(
      {
        outputsDir: options.outputsDir,
        maxBytes: options.spec.resources.diskMiB * 1024 * 1024,
        next: inbox.next,
        onAck: vouchers.onAck,
        onLog: options.onLog,
        providerError: failures.providerError,
        unexpected: failures.unexpected,
        bad: failures.badOutputs,
        onReceived: () => (received = true),
        emit,
      },
      { bytes: end.outputBytes, sha256: end.outputSha256 },
    );
    done = true;
    return {
      ...ended,
      localJobId,
      startTx,
      signed: vouchers.signed(),
      acknowledged: vouchers.acknowledged(),
      voucherRefusals: vouchers.refusals(),
      outputs,
    };
  }

  const result = (async () => {
    try {
      const outcome = await run();
      await closeStream(stream, 2_000);
      return outcome;
    } catch (error) {
      const failure = failures.current();
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
      silence.stop();
      // The background read ends when the provider closes; a provider that does not gets its stream reset.
      await inbox.drain();
    }
  })();
  result.catch(() => undefined);

  return {
    result,
    cancel(reason: string) {
      if (failures.current() || done || ended) return;
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
      if (failures.current() || done) return;
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
