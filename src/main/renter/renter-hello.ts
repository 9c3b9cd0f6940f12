import type { JobTerms } from '../market/job-terms';
import { wireSpec } from '../market/spec-hash';
import type { Hello, WireJobTerms } from '../p2p/job-messages';
import { signJobSession } from '../p2p/job-proof';
import type { JobSessionOptions } from './job-client-types';

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

/**
 * The session's first message: the job, its terms and the wire spec, with the renter's proof that names
 * this provider's peer id, so the hello cannot be replayed to another provider.
 */
export async function buildHello(
  options: Pick<
    JobSessionOptions,
    'signer' | 'chainId' | 'escrow' | 'jobId' | 'providerPeerId' | 'terms' | 'spec' | 'bundleBytes'
  >,
): Promise<Hello> {
  const proof = await signJobSession(options.signer, {
    chainId: options.chainId,
    escrow: options.escrow,
    jobId: options.jobId,
    provider: options.providerPeerId,
  });
  return {
    v: 1,
    type: 'hello',
    chainId: options.chainId,
    escrow: options.escrow,
    jobId: options.jobId,
    terms: wireTerms(options.terms),
    spec: wireSpec(options.spec),
    bundleBytes: options.bundleBytes,
    proof,
  };
}
