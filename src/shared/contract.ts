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
import { JobIdSchema, JobSummarySchema } from './schemas/job';
import { SettingsPatchSchema, SettingsSchema } from './schemas/settings';

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
