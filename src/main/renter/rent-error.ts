import type { JobRefusalCode } from '../p2p/job-messages';
import type { JobSessionError } from './job-session-error';

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

/** How a rental failed, worded for the renter, with what it had come to (the CLI maps codes to exits). */
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
