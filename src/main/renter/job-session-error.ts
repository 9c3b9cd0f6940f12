import type { JobRefusalCode } from '../p2p/job-messages';
import type { JobEnd, VoucherRefusal } from './job-client-types';

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

export interface JobSessionErrorDetails {
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
}

/** How a renter's session failed, with what it had come to: the caller decides what the deposit needs. */
export class JobSessionError extends Error {
  constructor(
    readonly code: JobSessionErrorCode,
    message: string,
    readonly details: JobSessionErrorDetails,
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'JobSessionError';
  }
}
