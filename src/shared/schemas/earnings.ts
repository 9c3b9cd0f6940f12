import { z } from 'zod';

/** An amount of one token, exact in base units and readable in whole units. */
export const TokenAmountSchema = z.strictObject({
  token: z.string(),
  /** From the network registry; "?" for a token no known network names. */
  symbol: z.string(),
  decimals: z.number().int(),
  units: z.string(),
  formatted: z.string(),
});
export type TokenAmount = z.infer<typeof TokenAmountSchema>;

export const EarningsSummarySchema = z.strictObject({
  /** What renters signed for since `since` (their vouchers are the provider's to redeem). */
  earned: z.array(TokenAmountSchema),
  /** Signed but not yet paid out by the escrow, all time. */
  pending: z.array(TokenAmountSchema),
  rentals: z.strictObject({ active: z.number().int(), total: z.number().int() }),
});
export type EarningsSummary = z.infer<typeof EarningsSummarySchema>;

export const RentalStatusSchema = z.enum([
  'opened',
  'running',
  'paused',
  'ended',
  'settled',
  'refunded',
  'failed',
]);

/** One rental of this machine, as the Jobs page lists it (from the provider's earnings ledger). */
export const RentalViewSchema = z.strictObject({
  /** `<chainId>:<escrow>:<escrow job id>`: unique across networks. */
  key: z.string(),
  escrowJobId: z.string(),
  networkId: z.string(),
  /** The network's name, or its id when it is no longer in the registry. */
  networkName: z.string(),
  renter: z.string(),
  status: RentalStatusSchema,
  reason: z.string().nullable(),
  /** The job this rental runs on this machine (its log and outputs), once started. */
  localJobId: z.string().nullable(),
  /** The agreed price, per hour. */
  pricePerHour: TokenAmountSchema,
  deposit: TokenAmountSchema,
  /** What the renter has signed for so far: the rental's earnings. */
  earned: TokenAmountSchema,
  /** What the escrow has paid out of it. */
  redeemed: TokenAmountSchema,
  /** Billed running time, seconds (paused time excluded). */
  secondsRun: z.number().int().min(0),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
});
export type RentalView = z.infer<typeof RentalViewSchema>;
