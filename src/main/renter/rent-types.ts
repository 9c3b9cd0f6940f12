import type { Libp2p } from '@libp2p/interface';
import type { Signer } from 'ethers';
import type { JobStatus } from '../../shared/schemas/job';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { JobEscrowClient } from '../market/job-escrow';
import type { ProviderRegistryClient } from '../market/provider-registry';
import type { P2pNode } from '../p2p/create-node';
import type { JobSessionEvent, JobSessionOptions, VoucherRefusal } from './job-client-types';
import type { PreparedJob } from './prepare-job';
import type { SkippedProvider } from './rent-error';

// The contract of `rent` (rent.ts): kept apart so that the rental's steps, each in its own file, can name
// what they share without importing the rental itself.

export interface RentToken {
  address: string;
  decimals: number;
  symbol: string;
}

export interface RentDeps {
  /** The renter's wallet, connected to the network's RPC: approves, opens, cancels and signs. */
  wallet: Signer;
  /** JobEscrow, sending as `wallet`. */
  escrow: JobEscrowClient;
  registry: ProviderRegistryClient;
  chainId: number;
  token: RentToken;
  /** The renter's libp2p node (any identity: a throwaway one is fine). */
  node: P2pNode | Libp2p;
  clock: Clock;
  logger: Logger;
}

export type RentEvent =
  | { type: 'offers'; candidates: number; skipped: SkippedProvider[] }
  | { type: 'quote-skipped'; skipped: SkippedProvider }
  | {
      type: 'chosen';
      provider: string;
      peerId: string;
      gpuModel: string;
      pricePerSecond: bigint;
      maxSeconds: number;
      deposit: bigint;
    }
  | { type: 'approved'; tx: string }
  | { type: 'opened'; jobId: string; tx: string; reclaimableAt: Date }
  | { type: 'connected'; peerId: string }
  | { type: 'session'; event: JobSessionEvent }
  | { type: 'cancelled-on-chain'; tx: string; refund: bigint };

export interface RentRequest {
  job: PreparedJob;
  /** Token base units per hour: offers and quotes above it are skipped (--max-price). */
  maxPricePerHour?: bigint;
  /** Only this provider: a peer id or an EVM address (--provider). */
  provider?: string;
  /** GPU memory the job needs on each GPU, MiB (the spec does not say; default 0). */
  vramMiB?: number;
  maxQuotes?: number;
  quoteTimeoutMs?: number;
  /** Seconds from now to the terms' startDeadline. Default START_WINDOW_SECONDS. */
  startWindowSeconds?: number;
  /** The session's timers and clock (tests shorten them). */
  session?: Pick<JobSessionOptions, 'timings' | 'now'>;
  onLog?: (data: string) => void;
  onEvent?: (event: RentEvent) => void;
}

export interface RentResult {
  jobId: string;
  chainId: number;
  escrow: string;
  provider: { address: string; peerId: string; gpuModel: string };
  token: RentToken;
  pricePerSecond: bigint;
  maxSeconds: number;
  deposit: bigint;
  /** How the job ended on the provider. */
  status: JobStatus;
  reason: string | null;
  exitCode: number | null;
  /** Whole seconds billed (running time, pauses excluded). */
  secondsBilled: number;
  /** The highest voucher signed: what the provider can be paid, at most. */
  paid: bigint;
  /** What the provider acknowledged storing. */
  acknowledged: bigint;
  /** deposit - paid: back when the provider finishes the job, or reclaimable after `reclaimableAt`. */
  refundExpected: bigint;
  reclaimableAt: Date;
  outputs: { dir: string; files: number; bytes: number } | null;
  localJobId: string | null;
  voucherRefusals: VoucherRefusal[];
  txs: { approve: string | null; openJob: string; startJob: string | null };
  skipped: SkippedProvider[];
}

export interface Rental {
  readonly result: Promise<RentResult>;
  /**
   * Stops the rental: before the job starts, the escrow job is cancelled and the deposit comes back; after,
   * the provider is asked to stop the job and the outputs are still fetched.
   */
  cancel(reason?: string): void;
  /** Gives up now (a second Ctrl-C): the session is dropped; before the start the deposit is still taken back. */
  abort(reason?: string): void;
}
