import { z } from 'zod';
import { BenchmarkRecordSchema } from './benchmark';

export const GpuVendorSchema = z.enum(['nvidia', 'amd', 'intel', 'apple', 'other']);
export type GpuVendor = z.infer<typeof GpuVendorSchema>;

/**
 * One GPU as `nocturne gpu list --json` prints it. Every measured field is `null` when the tool did not
 * report it ([N/A], [Not Supported], missing): unknown is never 0, and a real 0 % stays 0.
 */
export const GpuInfoSchema = z.strictObject({
  /** Stable across restarts: the UUID where the driver gives one, else the PCI bus id, else vendor:index. */
  id: z.string(),
  vendor: GpuVendorSchema,
  name: z.string(),
  /** Normalised PCI address `0000:09:00.0` (lower case, 4-digit domain), or null. */
  busId: z.string().nullable(),
  uuid: z.string().nullable(),
  /** The tool's own index (nvidia-smi -i N, rocm-smi card N), or null. */
  index: z.number().int().nullable(),
  driverVersion: z.string().nullable(),
  memoryTotalMiB: z.number().nullable(),
  memoryUsedMiB: z.number().nullable(),
  temperatureC: z.number().nullable(),
  powerDrawW: z.number().nullable(),
  powerLimitW: z.number().nullable(),
  utilizationPct: z.number().nullable(),
  fanPct: z.number().nullable(),
});
export type GpuInfo = z.infer<typeof GpuInfoSchema>;

/** Another program using a GPU (a game, a miner, someone's training run): availability must know. */
export const GpuProcessSchema = z.strictObject({
  pid: z.number().int().nullable(),
  name: z.string().nullable(),
  /** Matches GpuInfo.uuid or GpuInfo.busId, whichever the tool reported. */
  gpuUuid: z.string().nullable(),
  gpuBusId: z.string().nullable(),
  usedMemoryMiB: z.number().nullable(),
});
export type GpuProcess = z.infer<typeof GpuProcessSchema>;

/** The owner's limits for one card; they take effect at once. */
export const GpuLimitsSchema = z.strictObject({
  temperatureLimitC: z.number().min(50, 'must be at least 50 C').max(95, 'must be at most 95 C'),
  powerCapW: z.number().positive('must be more than 0 W').max(2000, 'must be at most 2000 W').nullable(),
  stopAfterSeconds: z.number().int().min(30, 'must be at least 30 s').max(3600, 'must be at most 3600 s'),
});
export type GpuLimits = z.infer<typeof GpuLimitsSchema>;

export const GuardPhaseSchema = z.enum(['normal', 'capped', 'paused', 'stopped']);

export const GpuViewSchema = z.strictObject({
  info: GpuInfoSchema,
  limits: GpuLimitsSchema,
  guard: z.strictObject({ phase: GuardPhaseSchema, sentence: z.string() }),
  /** The latest benchmark run against this card, or null. */
  benchmark: BenchmarkRecordSchema.nullable(),
  /** The card's theoretical peak from vendors' spec sheets (src/shared/gpu-peaks.ts), when it is a known card. */
  peak: z
    .strictObject({ cardName: z.string(), fp32Tflops: z.number(), memoryBandwidthGBs: z.number() })
    .nullable(),
});
export type GpuView = z.infer<typeof GpuViewSchema>;

export const GpuListSchema = z.strictObject({
  /** Which tools were used (nvidia-smi, rocm-smi, amd-smi, systeminformation). */
  probes: z.array(z.string()),
  /** What failed, in the owner's words, when a tool is present but broken. */
  errors: z.array(z.string()),
  gpus: z.array(GpuViewSchema),
});
export type GpuList = z.infer<typeof GpuListSchema>;

export const HistoryRangeSchema = z.enum(['hour', 'day', 'month']);
export type HistoryRange = z.infer<typeof HistoryRangeSchema>;

export const HistoryPointSchema = z.strictObject({
  atMs: z.number(),
  temperatureC: z.number().nullable(),
  temperatureMaxC: z.number().nullable(),
  powerW: z.number().nullable(),
  utilizationPct: z.number().nullable(),
  memoryUsedMiB: z.number().nullable(),
  fanPct: z.number().nullable(),
});

export const GpuHistorySchema = z.strictObject({
  tier: z.enum(['raw', 'minute', 'hour']),
  points: z.array(HistoryPointSchema),
});
export type GpuHistory = z.infer<typeof GpuHistorySchema>;

export const GuardActionEventSchema = z.strictObject({
  gpuId: z.string(),
  at: z.iso.datetime(),
  action: z.enum(['cap-power', 'pause-job', 'stop-job', 'resume-job', 'restore-power', 'cap-unavailable']),
  reason: z.string(),
  temperatureC: z.number().nullable(),
});
export type GuardActionEvent = z.infer<typeof GuardActionEventSchema>;

export const GpuTelemetryEventSchema = z.strictObject({
  at: z.iso.datetime(),
  gpus: z.array(GpuInfoSchema),
});
