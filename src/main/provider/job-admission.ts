import { getAddress } from 'ethers';
import type { Rental, RentalKey } from '../earnings/ledger-repository';
import { computeJobId, type JobTerms } from '../market/job-terms';
import { jobSpecHash } from '../market/spec-hash';
import type { QuoteGpu, QuoteOffer } from '../p2p/decide-quote';
import type { Hello, JobRefusalCode, WireJobTerms } from '../p2p/job-messages';
import { jobSessionSigner } from '../p2p/job-proof';

/**
 * Whether the provider takes a renter's hello on `/nocturne/job/1` (docs/protocol.md, section 2): the
 * checks of the protocol's table, in its order, as a pure function of plain inputs. The last check of the
 * table (`not-open`: the job is Open on-chain and its start deadline has not passed) needs the chain, so
 * the session makes it after this one says yes.
 */

/** A network this provider serves: its id in the registry, chain id and JobEscrow. */
export interface AdmissionNetwork {
  id: string;
  chainId: number;
  escrow: string;
}

export interface AdmissionContext {
  /** Networks with a JobEscrow (others cannot carry a job). */
  networks: readonly AdmissionNetwork[];
  /** The provider's EVM address (the wallet's), null when there is no wallet. */
  providerAddress: string | null;
  /** Whether the wallet can sign now (unlocked): startJob needs it. */
  canSign: boolean;
  /** The provider's libp2p peer id: the renter's proof names it. */
  peerId: string;
  /** What the provider charges, per network and token. */
  offers: readonly QuoteOffer[];
  availability: { available: boolean; nextChange: string | null };
  gpus: readonly QuoteGpu[];
  /** Whether jobs with a container image can run here (no: host runtime only). */
  imageRuntime: boolean;
  /** Jobs running now (a renter's, or the owner's own). */
  runningJobs: number;
  /** The ledger's row for this job, if it already had a session here. */
  existing: Rental | null;
}

export type AdmissionDecision =
  | { ok: true; network: AdmissionNetwork; terms: JobTerms; key: RentalKey }
  | { ok: false; code: JobRefusalCode; reason: string };

/** The wire's terms (decimal strings) as JobTerms (bigints): the one place they are converted. */
export function jobTermsFromWire(wire: WireJobTerms): JobTerms {
  return {
    renter: getAddress(wire.renter),
    provider: getAddress(wire.provider),
    token: getAddress(wire.token),
    deposit: BigInt(wire.deposit),
    pricePerSecond: BigInt(wire.pricePerSecond),
    maxSeconds: BigInt(wire.maxSeconds),
    specHash: wire.specHash.toLowerCase(),
    startDeadline: BigInt(wire.startDeadline),
    nonce: BigInt(wire.nonce),
  };
}

/** The rental a hello is about: its escrow job on that escrow and chain. */
export function rentalKeyOf(hello: Pick<Hello, 'chainId' | 'escrow' | 'jobId'>): RentalKey {
  return { chainId: hello.chainId, escrow: getAddress(hello.escrow), escrowJobId: hello.jobId.toLowerCase() };
}

const MIB = 1024 * 1024;

export function decideJobAdmission(hello: Hello, context: AdmissionContext): AdmissionDecision {
  const refuse = (code: JobRefusalCode, reason: string): AdmissionDecision => ({ ok: false, code, reason });

  // 1. The network: a chain and JobEscrow this provider serves.
  const network = context.networks.find(
    (n) => n.chainId === hello.chainId && n.escrow.toLowerCase() === hello.escrow.toLowerCase(),
  );
  if (!network)
    return refuse(
      'wrong-network',
      `This provider takes no jobs on JobEscrow ${hello.escrow} of chain ${hello.chainId}.`,
    );

  // 2. The terms: they hash to the job id on this escrow and chain, and name this provider.
  const terms = jobTermsFromWire(hello.terms);
  let jobId: string;
  try {
    jobId = computeJobId(hello.chainId, network.escrow, terms);
  } catch (error) {
    return refuse('bad-terms', `The terms are not JobEscrow's: ${(error as Error).message}.`);
  }
  if (jobId !== hello.jobId.toLowerCase())
    return refuse('bad-terms', `The terms hash to job ${jobId} on this escrow, not to ${hello.jobId}.`);
  if (context.providerAddress !== null && getAddress(context.providerAddress) !== terms.provider)
    return refuse(
      'bad-terms',
      `The terms pay ${terms.provider}; this provider is ${getAddress(context.providerAddress)}.`,
    );

  // 3. The proof: the terms' renter signed this session with this provider.
  const signer = jobSessionSigner(
    { chainId: hello.chainId, escrow: network.escrow, jobId, provider: context.peerId },
    hello.proof,
  );
  if (signer !== terms.renter)
    return refuse(
      'bad-proof',
      signer === null
        ? 'The session proof is not a valid signature.'
        : `The session proof is signed by ${signer}, not by the job's renter ${terms.renter} ` +
            '(or for another provider, escrow or chain).',
    );

  // 4. The spec: it is what the renter opened the job for, and the bundle fits its disk.
  const specHash = jobSpecHash(hello.spec);
  if (specHash !== terms.specHash)
    return refuse(
      'bad-spec',
      `The spec hashes to ${specHash}, not to the terms' specHash ${terms.specHash}.`,
    );
  const diskBytes = hello.spec.resources.diskMiB * MIB;
  if (hello.bundleBytes > diskBytes)
    return refuse(
      'bad-spec',
      `The bundle is ${hello.bundleBytes} bytes, above the spec's disk limit of ${hello.spec.resources.diskMiB} MiB.`,
    );

  // 5. The price, in a token this provider takes on this chain.
  const offer = context.offers.find(
    (o) => o.chainId === hello.chainId && o.token.toLowerCase() === terms.token.toLowerCase(),
  );
  if (!offer)
    return refuse('price', `This provider is not paid in token ${terms.token} on chain ${hello.chainId}.`);
  if (terms.pricePerSecond < offer.pricePerSecond)
    return refuse(
      'price',
      `The terms pay ${terms.pricePerSecond} a second; this provider charges ${offer.pricePerSecond}.`,
    );

  // 6. Whether it can run the job now.
  if (context.providerAddress === null || !context.canSign)
    return refuse('unavailable', 'This provider cannot start jobs right now.');
  if (!context.availability.available) {
    const next = context.availability.nextChange === null ? NaN : Date.parse(context.availability.nextChange);
    // As for quotes: when it may change, never why (the owner's activity stays private).
    const when = Number.isFinite(next) ? ` (this may change at ${new Date(next).toISOString()})` : '';
    return refuse('unavailable', `This provider is not for rent right now${when}.`);
  }
  if (hello.spec.image !== undefined && !context.imageRuntime)
    return refuse('unavailable', 'This provider runs jobs on the host runtime only, not container images.');
  if (hello.spec.resources.gpus > context.gpus.length)
    return refuse(
      'unavailable',
      `The job asks for ${hello.spec.resources.gpus} GPU(s); this provider has ${context.gpus.length}.`,
    );

  // 7. One rental at a time.
  if (context.runningJobs > 0) return refuse('busy', 'This provider is running another job.');

  // 8. One session per job.
  if (context.existing !== null)
    return refuse(
      'already-run',
      `Job ${jobId} already had its session here (it is ${context.existing.status}).`,
    );

  return {
    ok: true,
    network,
    terms,
    key: { chainId: hello.chainId, escrow: network.escrow, escrowJobId: jobId },
  };
}
