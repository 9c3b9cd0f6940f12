import type { Stream } from '@libp2p/interface';
import { ProtocolError, resetStream } from '../p2p/framing';
import type { ProviderMessage } from '../p2p/job-messages';
import { JobSessionError, type JobSessionErrorDetails } from './job-session-error';

/** What a failure records of the session at the moment it happens. */
export type SessionSnapshot = Omit<JobSessionErrorDetails, 'refusal' | 'providerError' | 'cause'>;

export interface SessionFailures {
  /** The session's failure, once it failed. */
  current(): JobSessionError | null;
  /** Aborted on the failure: a write in progress gives up. */
  readonly signal: AbortSignal;
  /** Fails the session with `error`; once failed, the first failure is kept and returned instead. */
  fail(error: JobSessionError): JobSessionError;
  details(extra?: Partial<JobSessionErrorDetails>): JobSessionErrorDetails;
  /** What the renter can still get back of the deposit, as a sentence to end a message with. */
  whatNow(): string;
  /** A read from the provider that failed: the protocol broken, or the connection lost. */
  readFailure(error: unknown): JobSessionError;
  refused(answer: Extract<ProviderMessage, { type: 'refuse' }>): JobSessionError;
  providerError(message: Extract<ProviderMessage, { type: 'error' }>): JobSessionError;
  unexpected(message: ProviderMessage, when: string): JobSessionError;
  badOutputs(why: string, cause?: unknown): JobSessionError;
}

/** The peer's words as a sentence: with a full stop unless they end in one already. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

const PROVIDER_ERRORS: Record<string, string> = {
  'bad-bundle': 'The provider refused the bundle',
  'start-failed': 'The provider could not start the job on-chain',
  unpaid: 'The provider kept the outputs because the final voucher did not cover what the job owes',
  protocol: 'The provider ended the session over a protocol error',
  internal: 'The provider failed',
};

/**
 * How a renter's session fails: the first failure wins (later ones return it), the stream is reset and any
 * wait is woken (`onFail`), so every part of the session stops on it. Each error records the session as it
 * stood and, until the job ended, says what happens to the deposit now.
 */
export function createSessionFailures(deps: {
  stream: Stream;
  /** When the renter may reclaim the deposit's unpaid part. */
  reclaimableAt: Date;
  snapshot(): SessionSnapshot;
  onFail(): void;
}): SessionFailures {
  let failure: JobSessionError | null = null;
  const stop = new AbortController();

  const details = (extra: Partial<JobSessionErrorDetails> = {}): JobSessionErrorDetails => ({
    ...deps.snapshot(),
    ...extra,
  });
  const whatNow = () => {
    const { started, signed } = deps.snapshot();
    return started
      ? ` The provider can be paid at most the ${signed} base units signed so far; the rest of the deposit ` +
          `comes back when it finishes the job, or can be reclaimed from JobEscrow after ` +
          `${deps.reclaimableAt.toISOString()}.`
      : ' The job had not started, so the escrow job can still be cancelled for the whole deposit.';
  };
  const fail = (error: JobSessionError): JobSessionError => {
    if (failure) return failure;
    failure = error;
    stop.abort(error);
    resetStream(deps.stream, error);
    deps.onFail();
    return error;
  };

  return {
    current: () => failure,
    signal: stop.signal,
    fail,
    details,
    whatNow,
    readFailure(error) {
      if (failure) return failure;
      if (error instanceof ProtocolError && error.streamOpen)
        return fail(
          new JobSessionError(
            'protocol',
            `The provider sent a message the protocol does not allow: ${error.message}`,
            { ...details(), cause: error },
          ),
        );
      const detail = error instanceof Error ? error.message : String(error);
      return fail(
        new JobSessionError(
          'gone',
          `The connection to the provider was lost (${detail}).${whatNow()}`,
          details({ cause: error }),
        ),
      );
    },
    refused: (answer) =>
      fail(
        new JobSessionError(
          'refused',
          `The provider refused the job (${answer.code}): ${sentence(answer.reason)}`,
          details({ refusal: { code: answer.code, reason: answer.reason } }),
        ),
      ),
    providerError: (message) =>
      fail(
        new JobSessionError(
          'provider-error',
          `${PROVIDER_ERRORS[message.code] ?? 'The provider gave up'} (${message.code}): ` +
            `${sentence(message.reason)}${deps.snapshot().ended ? '' : whatNow()}`,
          details({ providerError: { code: message.code, reason: message.reason } }),
        ),
      ),
    unexpected: (message, when) =>
      fail(
        new JobSessionError(
          'protocol',
          `The provider sent "${message.type}" ${when}, which the protocol does not allow.`,
          details(),
        ),
      ),
    badOutputs: (why, cause) =>
      fail(new JobSessionError('bad-outputs', `The outputs were refused: ${why}`, details({ cause }))),
  };
}
