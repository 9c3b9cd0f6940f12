import { z } from 'zod';
import { AddressSchema } from './wallet';

const rpcUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((u) => /^(https?|wss?):\/\/[^\s]+$/.test(u) && URL.canParse(u), {
    message: 'must be an http(s) or ws(s) URL',
  });

export const NetworkIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be lower-case letters, digits and dashes (at most 48)');

export const PaymentTokenSchema = z.strictObject({
  address: AddressSchema,
  symbol: z.string().trim().min(1, 'must not be empty').max(16, 'must be at most 16 characters'),
  decimals: z.number().int().min(0).max(36),
});

/** Market contracts deployed on a network, by name (ProviderRegistry, JobEscrow, ...). */
export const ContractAddressesSchema = z.record(
  z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/),
  AddressSchema,
);

export const NetworkSchema = z.strictObject({
  id: NetworkIdSchema,
  name: z.string(),
  chainId: z.number().int(),
  rpcUrls: z.array(z.string()),
  explorerUrl: z.string().nullable(),
  nativeSymbol: z.string(),
  token: PaymentTokenSchema.nullable(),
  contracts: z.record(z.string(), z.string()),
  /** The embedded devnet: started by the app, cannot be removed. */
  builtin: z.boolean(),
  selected: z.boolean(),
});
export type Network = z.infer<typeof NetworkSchema>;

export const NetworkAddSchema = z.strictObject({
  id: NetworkIdSchema.optional(),
  name: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  chainId: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(2 ** 53 - 1),
  rpcUrls: z.array(rpcUrl).min(1, 'must list at least one RPC URL').max(8, 'must list at most 8 RPC URLs'),
  explorerUrl: z
    .string()
    .trim()
    .max(2048)
    .refine((u) => /^https?:\/\//.test(u) && URL.canParse(u), { message: 'must be an http(s) URL' })
    .optional(),
  nativeSymbol: z.string().trim().min(1).max(16, 'must be at most 16 characters').optional(),
  token: PaymentTokenSchema.optional(),
  contracts: ContractAddressesSchema.optional(),
});
export type NetworkAdd = z.infer<typeof NetworkAddSchema>;

export const NetworkHealthSchema = z.strictObject({
  ok: z.boolean(),
  rpcUrl: z.string(),
  chainId: z.number().int().nullable(),
  blockNumber: z.number().int().nullable(),
  latencyMs: z.number().nullable(),
  /** Why the network is unusable, in words. */
  error: z.string().nullable(),
});
export type NetworkHealth = z.infer<typeof NetworkHealthSchema>;
