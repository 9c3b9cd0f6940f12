import type { Stream } from '@libp2p/interface';
import type { JobStatus, JobSummary } from '../../shared/schemas/job';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { LedgerRepository, Rental, RentalKey } from '../earnings/ledger-repository';
import type { JobRunner } from '../jobs/job-runner';
import type { JobEscrowClient } from '../market/job-escrow';
import {
  FINAL_VOUCHER_WAIT_MS,
  PROVIDER_STATUS_MS,
  READ_IDLE_MS,
  type JobRefusalCode,
} from '../p2p/job-messages';
import type { AdmissionContext } from './job-admission';
import type { VoucherIntake } from './voucher-intake';
import { VOUCHER_DEFAULTS } from './voucher-policy';

// The contract of the provider's job session (job-session.ts): kept apart so that the session's steps,
// each in its own file, can name what they share without importing the session itself.

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
  'open' | 'get' | 'saveTerms' | 'setStatus' | 'linkJob' | 'setSecondsRun' | 'setStalled'
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
