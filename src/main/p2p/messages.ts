import { getAddress, isAddress } from 'ethers';
import { z } from 'zod';

/**
 * Wire messages of `/nocturne/quote/1` (see docs/protocol.md, section 2). Every message carries `v: 1`; fields
 * a receiver does not know are ignored (stripped), so a later minor addition does not break old peers.
 * Amounts are decimal strings of token base units (JSON numbers lose precision past 2^53).
 */

export const MAX_UINT256 = (1n << 256n) - 1n;
/** JSON numbers are exact up to here; every integer field is capped at it. */
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** An EVM address in any case; parsed to its EIP-55 checksummed form. A mixed-case one must checksum. */
export const AddressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, { message: 'must be a 0x-prefixed 20-byte hex address', abort: true })
  .refine((value) => isAddress(value), 'has a wrong EIP-55 checksum')
  .transform((value) => getAddress(value));

export const ChainIdSchema = z.number().int().positive().max(MAX_SAFE);

const DECIMAL = /^(0|[1-9][0-9]{0,77})$/;

/** A non-negative integer in token base units, as a decimal string without leading zeros. */
export const AmountSchema = z
  .string()
  .regex(DECIMAL, { message: 'must be a decimal integer string (token base units)', abort: true })
  .refine((value) => DECIMAL.test(value) && BigInt(value) <= MAX_UINT256, 'is above 2^256 - 1');

export const RuntimeSchema = z.enum(['host', 'image']);
export type Runtime = z.infer<typeof RuntimeSchema>;

/** The longest job a request may ask about: 30 days (a provider answers with what it can give). */
export const MAX_REQUEST_SECONDS = 30 * 24 * 3600;

export const QuoteRequirementsSchema = z
  .object({
    /** Memory needed on each GPU, MiB. */
    vramMiB: z
      .number()
      .int()
      .min(0)
      .max(16 * 1024 * 1024),
    /** The job's duration the renter wants, seconds. */
    seconds: z.number().int().positive().max(MAX_REQUEST_SECONDS),
    gpuCount: z.number().int().min(1).max(64),
    runtime: RuntimeSchema,
    /** The container image (runtime 'image' only). */
    image: z.string().min(1).max(512).optional(),
  })
  .refine((r) => r.runtime !== 'image' || r.image !== undefined, {
    message: "is required when runtime is 'image'",
    path: ['image'],
  })
  .refine((r) => r.runtime === 'image' || r.image === undefined, {
    message: "is only allowed when runtime is 'image'",
    path: ['image'],
  });
export type QuoteRequirements = z.infer<typeof QuoteRequirementsSchema>;

export const QuoteRequestSchema = z.object({
  v: z.literal(1),
  chainId: ChainIdSchema,
  /** The ERC-20 the renter will pay in. */
  token: AddressSchema,
  /** The renter's EVM address; the quote is signed for it alone. */
  renter: AddressSchema,
  requirements: QuoteRequirementsSchema,
});
export type QuoteRequest = z.infer<typeof QuoteRequestSchema>;

export const QuoteSchema = z.object({
  /** The provider's libp2p peer id (base58btc), the one the renter is connected to. */
  provider: z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{40,100}$/, 'must be a base58btc peer id'),
  /** The EVM address that signed the quote and is paid by the escrow. */
  providerAddress: AddressSchema,
  chainId: ChainIdSchema,
  token: AddressSchema,
  /** Token base units per second of the job, decimal string. */
  pricePerSecond: AmountSchema,
  /** The longest job the provider takes under this quote, seconds. */
  maxSeconds: z.number().int().positive().max(MAX_SAFE),
  /** Unix time, seconds, after which the provider need not honour the quote. */
  expiresAt: z.number().int().positive().max(MAX_SAFE),
  /** 32 random bytes, 0x-hex. */
  quoteId: z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be 32 bytes of 0x-hex'),
  /** EIP-712 signature by providerAddress, 65 bytes of 0x-hex (r, s, v). */
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, 'must be a 65-byte 0x-hex signature'),
});
export type Quote = z.infer<typeof QuoteSchema>;

export const REFUSAL_CODES = [
  'unavailable',
  'insufficient-gpu',
  'unsupported-runtime',
  'wrong-network',
  'bad-request',
  'busy',
  'unprofitable',
] as const;
export const RefusalCodeSchema = z.enum(REFUSAL_CODES);
export type RefusalCode = z.infer<typeof RefusalCodeSchema>;

export const QuoteOfferedSchema = z.object({ v: z.literal(1), ok: z.literal(true), quote: QuoteSchema });
export const QuoteRefusedSchema = z.object({
  v: z.literal(1),
  ok: z.literal(false),
  code: RefusalCodeSchema,
  reason: z.string().min(1).max(1000),
});
export const QuoteResponseSchema = z.discriminatedUnion('ok', [QuoteOfferedSchema, QuoteRefusedSchema]);
export type QuoteResponse = z.infer<typeof QuoteResponseSchema>;
export type QuoteRefused = z.infer<typeof QuoteRefusedSchema>;

export function refusal(code: RefusalCode, reason: string): QuoteRefused {
  return { v: 1, ok: false, code, reason: reason.length > 1000 ? `${reason.slice(0, 997)}...` : reason };
}
