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
