import { z } from 'zod';
import { channels, eventNames, type Channel, type EventName } from './channel-names';
import { AppStatusSchema } from './schemas/app-status';
import {
  AvailabilityViewSchema,
  PauseForSchema,
  ScheduleViewSchema,
  SlotsSchema,
  TimeZoneSchema,
} from './schemas/availability';
import {
  BenchmarkFinishedEventSchema,
  BenchmarkProgressEventSchema,
  BenchmarkReportSchema,
} from './schemas/benchmark';
import {
  GpuHistorySchema,
  GpuLimitsSchema,
  GpuListSchema,
  GpuTelemetryEventSchema,
  GpuViewSchema,
  GuardActionEventSchema,
  HistoryRangeSchema,
} from './schemas/gpu';
import {
  EarningsExportRequestSchema,
  EarningsExportSchema,
  EarningsOverviewSchema,
  RentalViewSchema,
} from './schemas/earnings';
import { JobIdSchema, JobSummarySchema, SelfTestReportSchema } from './schemas/job';
import { PriceSuggestionSchema, ProviderNodeStatusSchema } from './schemas/market';
import { OfferPublicationSchema } from './schemas/offer';
import { NetworkAddSchema, NetworkHealthSchema, NetworkIdSchema, NetworkSchema } from './schemas/network';
import { NOTIFICATION_KINDS, SettingsPatchSchema, SettingsSchema } from './schemas/settings';
import {
  BackupAnswersSchema,
  BackupIdSchema,
  BackupWordsSchema,
  BalancesSchema,
  NewPasswordSchema,
  PasswordSchema,
  SecretExportSchema,
  SendEstimateSchema,
  SendRequestSchema,
  WalletStatusSchema,
  WalletTransactionSchema,
} from './schemas/wallet';

/**
 * The one API between the UI and the core: `domain:verb` -> request and response schemas.
 * Electron IPC, the headless HTTP server and the CLI all serve exactly this map, and main validates
 * every request against it before a handler sees it.
 */
export const contract = {
  'app:status': { request: z.strictObject({}), response: AppStatusSchema },
  /** The owner's manual pause: for an hour, until tomorrow (local midnight), or until they resume. */
  'app:pause': { request: z.strictObject({ for: PauseForSchema.optional() }), response: AppStatusSchema },
  'app:resume': { request: z.strictObject({}), response: AppStatusSchema },
  'settings:get': { request: z.strictObject({}), response: SettingsSchema },
  'settings:update': { request: SettingsPatchSchema, response: SettingsSchema },
  'gpu:list': { request: z.strictObject({}), response: GpuListSchema },
  'gpu:history': {
    request: z.strictObject({ gpuId: z.string().min(1), range: HistoryRangeSchema }),
    response: GpuHistorySchema,
  },
  'gpu:setLimits': {
    request: z.strictObject({ gpuId: z.string().min(1), limits: GpuLimitsSchema }),
    response: GpuViewSchema,
  },
  /** Starts the WebGPU benchmark (hidden window or headless Chromium); progress and result come as events. */
  'gpu:benchmark': {
    // Without gpuId: the first GPU, or the browser's default adapter on a machine where no tool sees one.
    request: z.strictObject({ gpuId: z.string().min(1).optional() }),
    response: z.strictObject({ runId: z.string() }),
  },
  /** Sent by the benchmark page only; main checks the run id against the run it started. */
  'gpu:benchReport': { request: BenchmarkReportSchema, response: z.strictObject({}) },
  'schedule:get': { request: z.strictObject({}), response: ScheduleViewSchema },
  'schedule:set': {
    request: z.strictObject({ timezone: TimeZoneSchema, slots: SlotsSchema }),
    response: ScheduleViewSchema,
  },
  'availability:get': { request: z.strictObject({}), response: AvailabilityViewSchema },
  'job:list': {
    request: z.strictObject({}),
    response: z.strictObject({
      jobs: z.array(JobSummarySchema),
      /** Which sandbox jobs run in here, or why none can run. */
      sandbox: z.strictObject({ available: z.boolean(), description: z.string() }),
    }),
  },
  'job:logs': {
    request: z.strictObject({
      id: JobIdSchema,
      tailBytes: z.number().int().min(1).max(1_048_576).optional(),
    }),
    response: z.strictObject({ text: z.string() }),
  },
  'job:cancel': { request: z.strictObject({ id: JobIdSchema }), response: JobSummarySchema },
  'job:pause': { request: z.strictObject({ id: JobIdSchema }), response: JobSummarySchema },
  'job:resume': { request: z.strictObject({ id: JobIdSchema }), response: JobSummarySchema },
  /** Runs the built-in self-test job: sandbox, GPU visibility inside it, and the log stream. */
  'job:selfTest': { request: z.strictObject({}), response: z.strictObject({ id: z.string() }) },
  /** A self-test job's verdict: each check in words, running until the job ends. */
  'job:selfTestReport': { request: z.strictObject({ id: JobIdSchema }), response: SelfTestReportSchema },
  'wallet:status': { request: z.strictObject({}), response: WalletStatusSchema },
  /** A new HD wallet, unlocked; its phrase is fetched once through wallet:backupWords. */
  'wallet:create': {
    request: z.strictObject({ password: NewPasswordSchema }),
    response: z.strictObject({ status: WalletStatusSchema, backupId: BackupIdSchema }),
  },
  /** The new wallet's phrase, once: a second call is refused. */
  'wallet:backupWords': {
    request: z.strictObject({ backupId: BackupIdSchema }),
    response: BackupWordsSchema,
  },
  'wallet:confirmBackup': {
    request: z.strictObject({ backupId: BackupIdSchema, answers: BackupAnswersSchema }),
    response: WalletStatusSchema,
  },
  /** A new backup session for an HD wallet whose first one was lost (closed window, CLI create). */
  'wallet:beginBackup': {
    request: z.strictObject({ password: PasswordSchema }),
    response: z.strictObject({ backupId: BackupIdSchema }),
  },
  /** Exactly one of phrase or privateKey; replaces no existing wallet. */
  'wallet:import': {
    request: z.strictObject({
      phrase: z.string().max(512).optional(),
      privateKey: z.string().max(256).optional(),
      password: NewPasswordSchema,
    }),
    response: WalletStatusSchema,
  },
  'wallet:unlock': {
    request: z.strictObject({ password: PasswordSchema, remember: z.boolean().optional() }),
    response: WalletStatusSchema,
  },
  /** Locks now and forgets a remembered password. */
  'wallet:lock': { request: z.strictObject({}), response: WalletStatusSchema },
  'wallet:changePassword': {
    request: z.strictObject({ current: PasswordSchema, next: NewPasswordSchema }),
    response: WalletStatusSchema,
  },
  /** The phrase or private key, behind the password, for the owner to write down. */
  'wallet:export': { request: z.strictObject({ password: PasswordSchema }), response: SecretExportSchema },
  'wallet:balances': {
    request: z.strictObject({ networkId: NetworkIdSchema.optional() }),
    response: BalancesSchema,
  },
  /** Validates a payment and prices its gas; sends nothing. */
  'wallet:estimateSend': { request: SendRequestSchema, response: SendEstimateSchema },
  /** Signs and sends a payment the owner confirmed; the fee may not exceed the confirmed maximum. */
  'wallet:send': {
    request: SendRequestSchema.extend({ maxFee: z.string().regex(/^\d+(\.\d+)?$/, 'must be a number') }),
    response: WalletTransactionSchema,
  },
  'wallet:transactions': {
    request: z.strictObject({ networkId: NetworkIdSchema.optional() }),
    response: z.strictObject({ transactions: z.array(WalletTransactionSchema) }),
  },
  /** Local devnet only: 10 test ETH and 1000 tUSD from a public test account, mined before it answers. */
  'wallet:faucet': {
    request: z.strictObject({ networkId: NetworkIdSchema.optional() }),
    response: BalancesSchema,
  },
  /**
   * Earnings from the ledger in the owner's zone and currency: today, 7 and 30 days and all time, per
   * network and token; 30 days of earnings against electricity; what awaits payout; renters who stopped paying.
   */
  'earnings:overview': { request: z.strictObject({}), response: EarningsOverviewSchema },
  /** Every rental that ended between two local dates as CSV, for taxes: amounts, the rate used, costs, net. */
  'earnings:exportCsv': { request: EarningsExportRequestSchema, response: EarningsExportSchema },
  /** This machine's rentals, newest first: live ones and past ones. */
  'market:rentals': {
    request: z.strictObject({ limit: z.number().int().min(1).max(1000).default(100) }),
    response: z.strictObject({ rentals: z.array(RentalViewSchema) }),
  },
  /** The provider node (setting providerOnline starts and stops it). */
  'market:status': { request: z.strictObject({}), response: ProviderNodeStatusSchema },
  /** This machine's offer in ProviderRegistry on the selected network: published, pending, failed or not. */
  'market:offer': { request: z.strictObject({}), response: OfferPublicationSchema },
  /**
   * A price for the offer from the benchmark, the market's prices on-chain (offers and recent jobs on the
   * selected network) and the owner's costs, with the reasoning in words. Nothing is saved.
   */
  'market:suggestPrice': { request: z.strictObject({}), response: PriceSuggestionSchema },
  'network:list': {
    request: z.strictObject({}),
    response: z.strictObject({ networks: z.array(NetworkSchema) }),
  },
  /** Adds a network after a health check: its RPC answers and reports the chain id given. */
  'network:add': { request: NetworkAddSchema, response: NetworkSchema },
  'network:remove': {
    request: z.strictObject({ id: NetworkIdSchema }),
    response: z.strictObject({ networks: z.array(NetworkSchema) }),
  },
  'network:select': { request: z.strictObject({ id: NetworkIdSchema }), response: NetworkSchema },
  'network:check': { request: z.strictObject({ id: NetworkIdSchema }), response: NetworkHealthSchema },
} as const satisfies { [C in Channel]: { request: z.ZodType; response: z.ZodType } };

/** Events main pushes to every connected UI: `domain:event` -> payload schema. */
export const events = {
  'app:statusChanged': AppStatusSchema,
  'settings:changed': SettingsSchema,
  'gpu:telemetry': GpuTelemetryEventSchema,
  'gpu:guardAction': GuardActionEventSchema,
  'gpu:benchProgress': BenchmarkProgressEventSchema,
  'gpu:benchFinished': BenchmarkFinishedEventSchema,
  'availability:changed': AvailabilityViewSchema,
  'job:changed': JobSummarySchema,
  /** A batch of a job's terminal output (at most one per 16 ms per job). */
  'job:output': z.strictObject({ id: z.string(), data: z.string() }),
  'wallet:changed': WalletStatusSchema,
  'wallet:transaction': WalletTransactionSchema,
  'network:changed': z.strictObject({ networks: z.array(NetworkSchema) }),
  'market:statusChanged': ProviderNodeStatusSchema,
  'market:offerChanged': OfferPublicationSchema,
  /** A rental started, was paid, paused, ended or settled. */
  'market:rentalChanged': RentalViewSchema,
  /** A notification for the owner; the headless UI shows it (the desktop app shows the OS's own). */
  'app:notification': z.strictObject({
    kind: z.enum(NOTIFICATION_KINDS),
    title: z.string(),
    body: z.string(),
    at: z.iso.datetime(),
  }),
} as const satisfies { [E in EventName]: z.ZodType };

export type Contract = typeof contract;
export { channels, eventNames, type Channel, type EventName };
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<Contract[C]['response']>;

export type Events = typeof events;
export type PayloadOf<E extends EventName> = z.output<Events[E]>;

export function isChannel(name: string): name is Channel {
  return Object.hasOwn(contract, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
