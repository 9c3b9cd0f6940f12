import { z } from 'zod';

/** What the renderer's WebGPU benchmark measured, as the page reports it to main (which validates it). */

// z.number() refuses NaN and ±Infinity in zod 4.
const finitePositive = z.number().positive();
const finiteNonNegative = z.number().nonnegative();

export const WebGpuAdapterSummarySchema = z.strictObject({
  /** GPUAdapterInfo fields as the browser gives them; often empty strings (browsers hide them for privacy). */
  vendor: z.string(),
  architecture: z.string(),
  device: z.string(),
  description: z.string(),
  /** A software or otherwise limited adapter (SwiftShader, llvmpipe): its figures say nothing about the card. */
  isFallbackAdapter: z.boolean(),
});
export type WebGpuAdapterSummary = z.infer<typeof WebGpuAdapterSummarySchema>;

export const WebGpuBenchmarkResultSchema = z.strictObject({
  adapter: WebGpuAdapterSummarySchema,
  matmul: z.strictObject({
    /** N of the square N×N FP32 matrices multiplied (C = A×B). */
    size: z.number().int().positive(),
    /** Median of the trials, 2·N³ floating-point operations per product. */
    gflops: finitePositive,
    trialsGflops: z.array(finitePositive).min(1),
  }),
  bandwidth: z.strictObject({
    /** Size of the buffer copied; each copy reads and writes it once. */
    bytes: z.number().int().positive(),
    /** Median of the trials, counting read + write (2 · bytes per copy). */
    gbPerSecond: finitePositive,
    trialsGbPerSecond: z.array(finitePositive).min(1),
  }),
  validation: z.strictObject({
    /** Shape the kernel was checked on against a CPU reference: (m×k)·(k×n), none a multiple of the tile. */
    size: z.strictObject({
      m: z.number().int().positive(),
      k: z.number().int().positive(),
      n: z.number().int().positive(),
    }),
    maxAbsError: finiteNonNegative,
    maxRelError: finiteNonNegative,
    passed: z.boolean(),
  }),
  durationMs: finiteNonNegative,
  /** Trials asked for; a trial array is shorter only when the time budget ran out. */
  trials: z.number().int().positive(),
});
export type WebGpuBenchmarkResult = z.infer<typeof WebGpuBenchmarkResultSchema>;

export const BenchmarkPhaseSchema = z.enum(['adapter', 'validate', 'warmup', 'matmul', 'bandwidth', 'done']);

export const BenchmarkProgressSchema = z.strictObject({
  phase: BenchmarkPhaseSchema,
  fraction: z.number().min(0).max(1),
  message: z.string().max(500),
});
export type BenchmarkProgress = z.infer<typeof BenchmarkProgressSchema>;

/** A stored benchmark: which card and driver it ran on, when, and what it measured. */
export const BenchmarkRecordSchema = z.strictObject({
  gpuId: z.string(),
  gpuName: z.string(),
  driverVersion: z.string().nullable(),
  at: z.iso.datetime(),
  result: WebGpuBenchmarkResultSchema,
});
export type BenchmarkRecord = z.infer<typeof BenchmarkRecordSchema>;

/** What the benchmark page sends main while it runs: progress, then a result or an error. */
export const BenchmarkReportSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    runId: z.string().min(1).max(64),
    kind: z.literal('progress'),
    progress: BenchmarkProgressSchema,
  }),
  z.strictObject({
    runId: z.string().min(1).max(64),
    kind: z.literal('result'),
    result: WebGpuBenchmarkResultSchema,
  }),
  z.strictObject({
    runId: z.string().min(1).max(64),
    kind: z.literal('error'),
    message: z.string().max(2000),
  }),
]);
export type BenchmarkReport = z.infer<typeof BenchmarkReportSchema>;

export const BenchmarkProgressEventSchema = z.strictObject({
  runId: z.string(),
  gpuId: z.string(),
  progress: BenchmarkProgressSchema,
});

export const BenchmarkFinishedEventSchema = z.strictObject({
  runId: z.string(),
  gpuId: z.string(),
  record: BenchmarkRecordSchema.nullable(),
  /** Why it failed, in words; null when it succeeded. */
  error: z.string().nullable(),
});
export type BenchmarkFinishedEvent = z.infer<typeof BenchmarkFinishedEventSchema>;
