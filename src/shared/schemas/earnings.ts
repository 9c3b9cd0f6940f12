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

export const RentalStatusSchema = z.enum([
  'opened',
  'running',
  'paused',
  'ended',
  'settled',
  'refunded',
  'failed',
]);

/**
 * Where a rental's money stands: nothing signed; signed while the job is live (not yet due); ended and
 * awaiting redemption; settled (all paid out).
 */
export const PaymentStateSchema = z.enum(['none', 'signed', 'pending', 'settled']);
export type PaymentState = z.infer<typeof PaymentStateSchema>;

/** A rental in the owner's currency: electricity and net, fixed when it ended (`booked`), else estimated. */
export const RentalMoneySchema = z.strictObject({
  booked: z.boolean(),
  currency: z.string(),
  /** `currency` per whole token, and whether it came from the owner's setting or a price feed. */
  fiatRate: z.number(),
  rateSource: z.enum(['owner', 'feed']),
  /** Average power while the job ran: measured by the GPU monitor, or assumed (setting, rating, default). */
  powerW: z.number(),
  powerSource: z.enum(['measured', 'setting', 'rated', 'default']),
  energyKWh: z.number(),
  energyCost: z.number(),
  /** What was signed, in `currency`; net = gross - electricity. */
  gross: z.number(),
  net: z.number(),
});
export type RentalMoney = z.infer<typeof RentalMoneySchema>;

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
  payment: PaymentStateSchema,
  /** Since when the renter's vouchers are behind (the job is paused for it); null while they pay. */
  stalledSince: z.iso.datetime().nullable(),
  /** The last transaction that paid this rental out, and its page on the network's explorer if it has one. */
  settleTx: z.string().nullable(),
  txUrl: z.string().nullable(),
  money: RentalMoneySchema,
});
export type RentalView = z.infer<typeof RentalViewSchema>;

/** What one token is worth in the owner's currency, and where that figure comes from. */
export const FiatRateViewSchema = z.strictObject({
  networkId: z.string(),
  networkName: z.string(),
  token: z.string(),
  symbol: z.string(),
  rate: z.number(),
  currency: z.string(),
  source: z.enum(['owner', 'feed']),
  note: z.string(),
});
export type FiatRateView = z.infer<typeof FiatRateViewSchema>;

export const PeriodIdSchema = z.enum(['today', 'week', 'month', 'all']);
export type PeriodId = z.infer<typeof PeriodIdSchema>;

/** Earnings over one period: what renters signed, per network and token, and the money in the owner's currency. */
export const EarningsPeriodSchema = z.strictObject({
  id: PeriodIdSchema,
  /** The first instant of the period (local midnight in the owner's zone); null for all time. */
  from: z.iso.datetime().nullable(),
  earned: z.array(
    z.strictObject({
      networkId: z.string(),
      networkName: z.string(),
      amount: TokenAmountSchema,
      /** In the owner's currency, each rental at its booked rate (live ones at today's). */
      fiat: z.number(),
    }),
  ),
  gross: z.number(),
  energyKWh: z.number(),
  energyCost: z.number(),
  net: z.number(),
});
export type EarningsPeriod = z.infer<typeof EarningsPeriodSchema>;

/** One bar pair of the chart: a local day's earnings against its electricity, in the owner's currency. */
export const EarningsDaySchema = z.strictObject({
  date: z.string(),
  earned: z.number(),
  energyCost: z.number(),
});
export type EarningsDay = z.infer<typeof EarningsDaySchema>;

/** A live rental whose renter stopped paying: its job is paused, and stops unless a voucher comes. */
export const StallAlertSchema = z.strictObject({
  key: z.string(),
  renter: z.string(),
  networkName: z.string(),
  since: z.iso.datetime(),
  message: z.string(),
});
export type StallAlert = z.infer<typeof StallAlertSchema>;

export const EarningsOverviewSchema = z.strictObject({
  /** The owner's currency (setting `currency`) and zone (the schedule's): days are local days there. */
  currency: z.string(),
  timezone: z.string(),
  /** Today, the last 7 days, the last 30 days (today included), all time. */
  periods: z.array(EarningsPeriodSchema),
  /** The last 30 local days, oldest first. */
  days: z.array(EarningsDaySchema),
  /** Signed but not yet paid out by the escrow, all time. */
  pending: z.array(TokenAmountSchema),
  rentals: z.strictObject({ active: z.number().int(), total: z.number().int() }),
  rates: z.array(FiatRateViewSchema),
  alerts: z.array(StallAlertSchema),
  /** What the figures leave out or assume, in words (no electricity price set, another currency). */
  notes: z.array(z.string()),
});
export type EarningsOverview = z.infer<typeof EarningsOverviewSchema>;

/** Local dates (YYYY-MM-DD) in the owner's zone, both included; a missing end is open. */
export const EarningsExportRequestSchema = z.strictObject({
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-01-31')
    .optional(),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-12-31')
    .optional(),
});

export const EarningsExportSchema = z.strictObject({
  filename: z.string(),
  csv: z.string(),
  rows: z.number().int(),
});
export type EarningsExport = z.infer<typeof EarningsExportSchema>;
