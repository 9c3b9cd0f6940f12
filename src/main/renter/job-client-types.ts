import type { Stream } from '@libp2p/interface';
import type { JobSpec, JobStatus } from '../../shared/schemas/job';
import type { JobTerms } from '../market/job-terms';
import type { VoucherSigner } from '../market/voucher';
import type { JobSessionSigner } from '../p2p/job-proof';

// The contract of the renter's job session (job-client.ts): kept apart so that the session's parts, each
// in its own file, can name what they share without importing the session itself.

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
