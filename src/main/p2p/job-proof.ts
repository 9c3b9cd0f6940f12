import {
  getAddress,
  recoverAddress,
  TypedDataEncoder,
  type TypedDataDomain,
  type TypedDataField,
} from 'ethers';

/**
 * The renter's proof, in the hello of `/nocturne/job/1`, that it is the job's renter on-chain: an EIP-712
 * signature of JobSession(jobId, provider) by the terms' renter. The domain names the escrow and chain, and
 * `provider` is the provider's libp2p peer id, so a proof shown to one provider opens no session with another.
 */

export const JOB_SESSION_DOMAIN_NAME = 'Nocturne Job Session';
export const JOB_SESSION_DOMAIN_VERSION = '1';
export const JOB_SESSION_TYPES: Record<string, TypedDataField[]> = {
  JobSession: [
    { name: 'jobId', type: 'bytes32' },
    { name: 'provider', type: 'string' },
  ],
};

export interface JobSessionClaim {
  chainId: number;
  escrow: string;
  jobId: string;
  /** The provider's peer id, base58btc. */
  provider: string;
}

export function jobSessionDomain(claim: Pick<JobSessionClaim, 'chainId' | 'escrow'>): TypedDataDomain {
  return {
    name: JOB_SESSION_DOMAIN_NAME,
    version: JOB_SESSION_DOMAIN_VERSION,
    chainId: claim.chainId,
    verifyingContract: getAddress(claim.escrow),
  };
}

export interface JobSessionSigner {
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

export function signJobSession(signer: JobSessionSigner, claim: JobSessionClaim): Promise<string> {
  return signer.signTypedData(jobSessionDomain(claim), JOB_SESSION_TYPES, {
    jobId: claim.jobId,
    provider: claim.provider,
  });
}

/** The address that signed `proof` for `claim`, or null when the signature recovers none. */
export function jobSessionSigner(claim: JobSessionClaim, proof: string): string | null {
  try {
    const digest = TypedDataEncoder.hash(jobSessionDomain(claim), JOB_SESSION_TYPES, {
      jobId: claim.jobId,
      provider: claim.provider,
    });
    return getAddress(recoverAddress(digest, proof));
  } catch {
    return null;
  }
}
