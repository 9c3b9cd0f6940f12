import { z } from 'zod';
import { JobSpecSchema, JobStatusSchema } from '../../shared/schemas/job';
import { AddressSchema, AmountSchema, ChainIdSchema } from './messages';

/**
 * Wire messages of `/nocturne/job/1` (docs/protocol.md, section 2, "/nocturne/job/1"). One stream carries
 * one rental from hello to the last output byte. Both ends send whenever they have something to say, so
 * every message names its `type`; each side reads with one discriminated union. Binary data (the bundle,
 * the outputs) travels as base64 chunks of at most JOB_CHUNK_BYTES raw bytes.
 */

export const JOB_PROTOCOL = '/nocturne/job/1';

/** Raw bytes per bundle or output chunk (base64 makes a message about 4/3 of that). */
export const JOB_CHUNK_BYTES = 192 * 1024;
/** The largest bundle a provider takes over the wire. */
export const MAX_WIRE_BUNDLE_BYTES = 1024 * 1024 * 1024;
/** The renter sends something (a voucher or a ping) at least this often; the provider's read gives up after
 * READ_IDLE_MS of silence and treats the renter as gone. */
export const RENTER_HEARTBEAT_MS = 5_000;
/** The provider sends a status at least this often while the job lives. */
export const PROVIDER_STATUS_MS = 2_000;
/** Silence after which either side treats the other as gone. */
export const READ_IDLE_MS = 60_000;
/** After `ended`, how long the provider waits for a voucher that covers what is owed before it closes
 * without sending the outputs. */
export const FINAL_VOUCHER_WAIT_MS = 30_000;

const Bytes32Schema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be 32 bytes of 0x-hex');
const SignatureSchema = z.string().regex(/^0x[0-9a-fA-F]{130}$/, 'must be a 65-byte 0x-hex signature');
const Base64Schema = z
  .string()
  .max(Math.ceil(JOB_CHUNK_BYTES / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const ReasonSchema = z.string().min(1).max(1000);
const SecondsSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** JobEscrow's JobTerms with every integer as a decimal string (section 1.3). */
export const WireJobTermsSchema = z.object({
  renter: AddressSchema,
  provider: AddressSchema,
  token: AddressSchema,
  deposit: AmountSchema,
  pricePerSecond: AmountSchema,
  maxSeconds: AmountSchema,
  specHash: Bytes32Schema,
  startDeadline: AmountSchema,
  nonce: AmountSchema,
});
export type WireJobTerms = z.infer<typeof WireJobTermsSchema>;

/**
 * The job spec as it travels: a JobSpec whose bundle is `{ path: 'bundle.tar.gz', sha256 }` (the bundle
 * itself follows in chunks). `specHash` in the terms is `jobSpecHash` of this object.
 */
export const WireJobSpecSchema = JobSpecSchema;

// ---------------------------------------------------------------- renter -> provider

export const HelloSchema = z.object({
  v: z.literal(1),
  type: z.literal('hello'),
  chainId: ChainIdSchema,
  /** The JobEscrow the job was opened on. */
  escrow: AddressSchema,
  jobId: Bytes32Schema,
  terms: WireJobTermsSchema,
  spec: WireJobSpecSchema,
  /** Size of the bundle that follows, bytes. */
  bundleBytes: z.number().int().min(1).max(MAX_WIRE_BUNDLE_BYTES),
  /** The renter's EIP-712 JobSession(jobId, provider peer id) signature (see job-proof.ts). */
  proof: SignatureSchema,
});
export type Hello = z.infer<typeof HelloSchema>;

export const BundleChunkSchema = z.object({ v: z.literal(1), type: z.literal('chunk'), data: Base64Schema });
export const BundleEndSchema = z.object({ v: z.literal(1), type: z.literal('bundle-end') });
export const VoucherMessageSchema = z.object({
  v: z.literal(1),
  type: z.literal('voucher'),
  cumulativeAmount: AmountSchema,
  signature: SignatureSchema,
});
export const PingSchema = z.object({ v: z.literal(1), type: z.literal('ping') });
export const CancelSchema = z.object({ v: z.literal(1), type: z.literal('cancel'), reason: ReasonSchema });

/** What the provider reads after the hello. */
export const RenterMessageSchema = z.discriminatedUnion('type', [
  BundleChunkSchema,
  BundleEndSchema,
  VoucherMessageSchema,
  PingSchema,
  CancelSchema,
]);
export type RenterMessage = z.infer<typeof RenterMessageSchema>;

// ---------------------------------------------------------------- provider -> renter

export const JOB_REFUSAL_CODES = [
  /** The chain or escrow is not one this provider serves. */
  'wrong-network',
  /** The terms do not hash to jobId, or name another provider. */
  'bad-terms',
  /** The proof does not recover to the terms' renter. */
  'bad-proof',
  /** The spec does not hash to the terms' specHash, or the bundle is too large for the spec. */
  'bad-spec',
  /** The price is below this provider's, or the token is not one it takes. */
  'price',
  /** The provider is not available, or cannot run this job (GPUs, runtime). */
  'unavailable',
  /** The provider runs another job. */
  'busy',
  /** The job is not Open on-chain (never opened, cancelled, already started elsewhere) or its start
   * deadline has passed. */
  'not-open',
  /** This job already had its session. */
  'already-run',
  /** Something failed on the provider's side. */
  'internal',
] as const;
export const JobRefusalCodeSchema = z.enum(JOB_REFUSAL_CODES);
export type JobRefusalCode = z.infer<typeof JobRefusalCodeSchema>;

export const AcceptSchema = z.object({ v: z.literal(1), type: z.literal('accept') });
export const RefuseSchema = z.object({
  v: z.literal(1),
  type: z.literal('refuse'),
  code: JobRefusalCodeSchema,
  reason: ReasonSchema,
});
/** The job is on its way: startJob is mined, the sandbox is being prepared. */
export const StartedSchema = z.object({
  v: z.literal(1),
  type: z.literal('started'),
  /** The provider's local job id (for the renter's records and support). */
  localJobId: z.string().min(1).max(64),
  /** The startJob transaction. */
  startTx: Bytes32Schema.nullable(),
});
export const LogSchema = z.object({
  v: z.literal(1),
  type: z.literal('log'),
  data: z.string().max(256 * 1024),
});
export const StatusSchema = z.object({
  v: z.literal(1),
  type: z.literal('status'),
  state: z.enum(['preparing', 'running', 'paused']),
  /** Running time so far, paused time excluded, ms: what the job is billed for. */
  billedMs: SecondsSchema,
  /** pricePerSecond x whole billed seconds (capped at maxSeconds): what the job owes now. */
  owed: AmountSchema,
  /** The highest voucher stored so far. */
  signed: AmountSchema,
  /** Why it is paused (the owner needs the GPU, vouchers fell behind), else null. */
  reason: z.string().max(1000).nullable(),
});
export const VoucherAckSchema = z.discriminatedUnion('ok', [
  z.object({
    v: z.literal(1),
    type: z.literal('voucher-ack'),
    ok: z.literal(true),
    cumulativeAmount: AmountSchema,
  }),
  z.object({
    v: z.literal(1),
    type: z.literal('voucher-ack'),
    ok: z.literal(false),
    code: z.string().min(1).max(64),
    reason: ReasonSchema,
  }),
]);
export const EndedSchema = z.object({
  v: z.literal(1),
  type: z.literal('ended'),
  status: JobStatusSchema,
  reason: z.string().max(1000).nullable(),
  exitCode: z.number().int().nullable(),
  billedMs: SecondsSchema,
  /** The final amount owed; the renter signs a voucher for it before the outputs come. */
  owed: AmountSchema,
  /** Size of the outputs archive (tar.gz of the spec's outputs) that follows once paid; 0 when none. */
  outputBytes: SecondsSchema,
  /** Its sha256, lower-case hex (empty when outputBytes is 0). */
  outputSha256: z.string().regex(/^([0-9a-f]{64})?$/),
});
export const OutputChunkSchema = z.object({ v: z.literal(1), type: z.literal('output'), data: Base64Schema });
export const OutputsEndSchema = z.object({ v: z.literal(1), type: z.literal('outputs-end') });
/** The provider gives up on the session (a protocol error, unpaid outputs) and closes. */
export const ErrorSchema = z.object({
  v: z.literal(1),
  type: z.literal('error'),
  code: z.enum(['protocol', 'bad-bundle', 'start-failed', 'unpaid', 'internal']),
  reason: ReasonSchema,
});

/** What the renter reads after its hello. */
export const ProviderMessageSchema = z.union([
  AcceptSchema,
  RefuseSchema,
  StartedSchema,
  LogSchema,
  StatusSchema,
  VoucherAckSchema,
  EndedSchema,
  OutputChunkSchema,
  OutputsEndSchema,
  ErrorSchema,
]);
export type ProviderMessage = z.infer<typeof ProviderMessageSchema>;
