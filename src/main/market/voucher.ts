import {
  concat,
  getAddress,
  getBytes,
  hexlify,
  id,
  isHexString,
  recoverAddress,
  toBeHex,
  TypedDataEncoder,
  type Signer,
  type TypedDataDomain,
  type TypedDataField,
} from 'ethers';

/**
 * Vouchers: the renter's EIP-712 signature of "I owe this job cumulativeAmount in total". JobEscrow pays the
 * provider min(cumulativeAmount, deposit) minus what it already paid. The rules here mirror the contract's,
 * so a provider can refuse off-chain exactly what the contract would refuse on-chain.
 */

export const VOUCHER_DOMAIN_NAME = 'Nocturne JobEscrow';
export const VOUCHER_DOMAIN_VERSION = '1';
export const VOUCHER_TYPE = 'Voucher(bytes32 jobId,uint256 cumulativeAmount)';
/** keccak256 of VOUCHER_TYPE; the contract's VOUCHER_TYPEHASH. */
export const VOUCHER_TYPEHASH = id(VOUCHER_TYPE);
export const VOUCHER_TYPES: Record<string, TypedDataField[]> = {
  Voucher: [
    { name: 'jobId', type: 'bytes32' },
    { name: 'cumulativeAmount', type: 'uint256' },
  ],
};

/** The half order of secp256k1: JobEscrow (OpenZeppelin ECDSA) refuses signatures with s above it. */
export const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
/** The order of secp256k1. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Which escrow on which chain a voucher is for: the EIP-712 domain's variable part. */
export interface VoucherDomain {
  chainId: bigint;
  /** The JobEscrow address. */
  verifyingContract: string;
}

export interface Voucher {
  jobId: string;
  /** Everything the renter owes the job so far, in the token's base units. */
  cumulativeAmount: bigint;
}

export interface SignedVoucher extends Voucher {
  /** 65 bytes, 0x-hex: r, s, v with v 27 or 28 and s in the lower half of the curve order. */
  signature: string;
}

/** A signature JobEscrow would refuse as MalformedSignature, with the reason. */
export class VoucherSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VoucherSignatureError';
  }
}

export function voucherTypedDataDomain(domain: VoucherDomain): TypedDataDomain {
  return {
    name: VOUCHER_DOMAIN_NAME,
    version: VOUCHER_DOMAIN_VERSION,
    chainId: domain.chainId,
    verifyingContract: getAddress(domain.verifyingContract),
  };
}

function checkVoucher(voucher: Voucher): void {
  if (!isHexString(voucher.jobId, 32)) throw new RangeError('Voucher: jobId must be 32 bytes of hex');
  if (typeof voucher.cumulativeAmount !== 'bigint' || voucher.cumulativeAmount < 0n)
    throw new RangeError('Voucher: cumulativeAmount must be a non-negative bigint');
}

/** The EIP-712 digest the renter signs (JobEscrow.voucherDigest gives the same). */
export function voucherDigest(domain: VoucherDomain, voucher: Voucher): string {
  checkVoucher(voucher);
  return TypedDataEncoder.hash(voucherTypedDataDomain(domain), VOUCHER_TYPES, {
    jobId: voucher.jobId,
    cumulativeAmount: voucher.cumulativeAmount,
  });
}

/** What can sign a voucher: an ethers Wallet, the wallet's signer, a JsonRpcSigner... */
export type VoucherSigner = Pick<Signer, 'signTypedData'>;

/** Signs a voucher with the renter's key, in the canonical 65-byte form. */
export async function signVoucher(
  signer: VoucherSigner,
  domain: VoucherDomain,
  voucher: Voucher,
): Promise<SignedVoucher> {
  checkVoucher(voucher);
  const raw = await signer.signTypedData(voucherTypedDataDomain(domain), VOUCHER_TYPES, {
    jobId: voucher.jobId,
    cumulativeAmount: voucher.cumulativeAmount,
  });
  return {
    jobId: voucher.jobId,
    cumulativeAmount: voucher.cumulativeAmount,
    signature: canonicalSignature(raw),
  };
}

/**
 * The same signature in the one form JobEscrow takes: 65 bytes, v 27 or 28, s in the lower half (some
 * signers give v as 0/1, or a high s, which is the same signature mirrored).
 */
export function canonicalSignature(signature: string): string {
  const bytes = getBytes(signature);
  if (bytes.length !== 65)
    throw new VoucherSignatureError(`The signature is ${bytes.length} bytes; a voucher needs 65.`);
  let v = bytes[64]!;
  if (v === 0 || v === 1) v += 27;
  if (v !== 27 && v !== 28)
    throw new VoucherSignatureError(`The signature's v is ${bytes[64]}; it must be 27 or 28.`);
  let s = BigInt(hexlify(bytes.slice(32, 64)));
  if (s > SECP256K1_HALF_N) {
    s = SECP256K1_N - s;
    v = v === 27 ? 28 : 27;
  }
  return concat([bytes.slice(0, 32), toBeHex(s, 32), new Uint8Array([v])]);
}

/**
 * Checks a signature as JobEscrow does (65 bytes, v 27 or 28, s in the lower half, r and s not zero) and
 * returns its r, s, v. Throws VoucherSignatureError otherwise.
 */
export function parseVoucherSignature(signature: string): { r: string; s: string; v: 27 | 28 } {
  if (!isHexString(signature)) throw new VoucherSignatureError('The signature is not hex.');
  const bytes = getBytes(signature);
  if (bytes.length !== 65)
    throw new VoucherSignatureError(`The signature is ${bytes.length} bytes; a voucher needs 65.`);
  const v = bytes[64]!;
  if (v !== 27 && v !== 28)
    throw new VoucherSignatureError(`The signature's v is ${v}; it must be 27 or 28.`);
  const r = hexlify(bytes.slice(0, 32));
  const s = hexlify(bytes.slice(32, 64));
  if (BigInt(r) === 0n || BigInt(s) === 0n) throw new VoucherSignatureError('The signature has r or s zero.');
  if (BigInt(s) > SECP256K1_HALF_N)
    throw new VoucherSignatureError('The signature is malleable (s in the upper half of the curve order).');
  return { r, s, v };
}

/**
 * The signature as JobEscrow's calls take it: r and vs, the compact form of EIP-2098 (s with the y parity
 * in its top bit). Only the length and v are checked here; the contract refuses a high s itself.
 */
export function compactVoucherSignature(signature: string): { r: string; vs: string } {
  if (!isHexString(signature)) throw new VoucherSignatureError('The signature is not hex.');
  const bytes = getBytes(signature);
  if (bytes.length !== 65)
    throw new VoucherSignatureError(`The signature is ${bytes.length} bytes; a voucher needs 65.`);
  const v = bytes[64]! < 27 ? bytes[64]! + 27 : bytes[64]!;
  if (v !== 27 && v !== 28)
    throw new VoucherSignatureError(`The signature's v is ${bytes[64]}; it must be 27 or 28.`);
  const vs = bytes.slice(32, 64);
  if (v === 28) vs[0]! |= 0x80;
  return { r: hexlify(bytes.slice(0, 32)), vs: hexlify(vs) };
}

/** Who signed the voucher; throws VoucherSignatureError for a signature the contract would refuse. */
export function recoverVoucherSigner(domain: VoucherDomain, voucher: SignedVoucher): string {
  const { r, s, v } = parseVoucherSignature(voucher.signature);
  try {
    return getAddress(recoverAddress(voucherDigest(domain, voucher), { r, s, v }));
  } catch (error) {
    throw new VoucherSignatureError(`The signature does not recover: ${(error as Error).message}`);
  }
}

/** Whether `renter` signed this voucher for this escrow and chain (false for any refused signature). */
export function isVoucherSignedBy(domain: VoucherDomain, voucher: SignedVoucher, renter: string): boolean {
  try {
    return recoverVoucherSigner(domain, voucher) === getAddress(renter);
  } catch (error) {
    if (error instanceof VoucherSignatureError) return false;
    throw error;
  }
}
