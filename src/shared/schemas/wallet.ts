import { z } from 'zod';

/**
 * What the UI may know of the wallet: addresses, balances and statuses. Keys, phrases and passwords go
 * the other way only (typed by the owner); the one exception is the backup view, which asks main for
 * the phrase once and forgets it when the owner has confirmed it.
 */
export const AddressSchema = z
  .string()
  .trim()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be an address: 0x followed by 40 hex digits');

/** Passwords are checked for strength only when one is chosen; unlocking accepts whatever was typed. */
export const PasswordSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(1024, 'must be at most 1024 characters');
export const NewPasswordSchema = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(1024, 'must be at most 1024 characters');

export const WalletStatusSchema = z.strictObject({
  exists: z.boolean(),
  address: z.string().nullable(),
  locked: z.boolean(),
  /** An HD wallet from a BIP-39 phrase, or a single imported private key. */
  kind: z.enum(['mnemonic', 'privateKey']).nullable(),
  /** False until the owner has repeated three words of a new wallet's phrase. */
  backupConfirmed: z.boolean(),
  autoLockMinutes: z.number().int(),
  /** Auto-lock is held off while renting is on (setting keepWalletUnlockedOnline): quotes need the keys. */
  autoLockPaused: z.boolean(),
  /** "Remember on this device" (the OS keychain through Electron's safeStorage). */
  remember: z.strictObject({
    available: z.boolean(),
    /** Why it is unavailable, in words; null when available. */
    reason: z.string().nullable(),
    enabled: z.boolean(),
  }),
});
export type WalletStatus = z.infer<typeof WalletStatusSchema>;

export const BackupIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be a backup id');

export const BackupWordsSchema = z.strictObject({
  words: z.array(z.string()),
  /** The 1-based positions of the three words the owner must repeat. */
  ask: z.array(z.number().int().min(1)).length(3),
});

export const BackupAnswersSchema = z
  .array(
    z.strictObject({
      position: z.number().int().min(1).max(24),
      word: z.string().trim().toLowerCase().max(32),
    }),
  )
  .length(3, 'must answer exactly three words');

/** Amounts cross the API as decimal strings in whole units ("12.5"), never as floats. */
export const AmountTextSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(80, 'is too long')
  .regex(/^\d+(\.\d+)?$/, 'must be a positive number such as 12.5');

export const AssetSchema = z.enum(['native', 'token']);
export type Asset = z.infer<typeof AssetSchema>;

export const AssetBalanceSchema = z.strictObject({
  asset: AssetSchema,
  symbol: z.string(),
  decimals: z.number().int(),
  /** Base units (wei, or the token's smallest unit) as a decimal string. */
  units: z.string(),
  /** The same amount in whole units, exact. */
  formatted: z.string(),
  /** The token contract; null for the chain's native coin. */
  contract: z.string().nullable(),
});
export type AssetBalance = z.infer<typeof AssetBalanceSchema>;

export const BalancesSchema = z.strictObject({
  networkId: z.string(),
  address: z.string(),
  blockNumber: z.number().int(),
  balances: z.array(AssetBalanceSchema),
});
export type Balances = z.infer<typeof BalancesSchema>;

export const SendRequestSchema = z.strictObject({
  networkId: z.string().min(1).optional(),
  asset: AssetSchema,
  to: AddressSchema,
  amount: AmountTextSchema,
});
export type SendRequest = z.infer<typeof SendRequestSchema>;

/** What a payment will cost, shown before the owner confirms it. */
export const SendEstimateSchema = z.strictObject({
  networkId: z.string(),
  asset: AssetSchema,
  symbol: z.string(),
  /** The recipient, checksummed. */
  to: z.string(),
  amount: z.string(),
  amountUnits: z.string(),
  gasLimit: z.string(),
  maxFeePerGas: z.string(),
  /** The most the fee can be, in the native coin (whole units). */
  maxFee: z.string(),
  nativeSymbol: z.string(),
});
export type SendEstimate = z.infer<typeof SendEstimateSchema>;

export const TxStatusSchema = z.enum(['pending', 'confirmed', 'failed', 'replaced']);
export type TxStatus = z.infer<typeof TxStatusSchema>;

export const WalletTransactionSchema = z.strictObject({
  hash: z.string(),
  networkId: z.string(),
  from: z.string(),
  to: z.string(),
  asset: AssetSchema,
  symbol: z.string(),
  amount: z.string(),
  nonce: z.number().int(),
  status: TxStatusSchema,
  blockNumber: z.number().int().nullable(),
  /** The fee actually paid once mined, in the native coin. */
  fee: z.string().nullable(),
  /** The transaction that took this one's nonce, when replaced. */
  replacedBy: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** A link to the network's block explorer, when it has one. */
  explorerUrl: z.string().nullable(),
});
export type WalletTransaction = z.infer<typeof WalletTransactionSchema>;

export const SecretExportSchema = z.strictObject({
  kind: z.enum(['mnemonic', 'privateKey']),
  secret: z.string(),
});
