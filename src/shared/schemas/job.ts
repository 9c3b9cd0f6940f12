import { z } from 'zod';

const relativePath = z
  .string()
  .min(1, 'must not be empty')
  .max(1024, 'must be at most 1024 characters')
  .refine((p) => !p.startsWith('/') && !p.split(/[/\\]/).includes('..') && !p.includes('\0'), {
    message: 'must be a relative path inside the job folder (no leading /, no ..)',
  });

/**
 * A renter's job, version 1. The bundle is a .tar.gz unpacked into the job's workspace, which is the
 * command's working directory. Without `image` the command runs on the host's read-only /usr.
 */
export const JobSpecSchema = z.strictObject({
  version: z.literal(1, 'must be 1 (the only job spec version this Nocturne knows)'),
  name: z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
  bundle: z.union([
    z.strictObject({
      path: relativePath,
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
    }),
    z.strictObject({
      url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
    }),
  ]),
  image: z
    .string()
    .regex(
      /^[a-z0-9]+([._/:@-][a-zA-Z0-9]+)*$/,
      'must be an OCI image reference such as docker.io/library/python:3.12',
    )
    .max(256)
    .optional(),
  command: z.array(z.string().max(4096)).min(1, 'must name a program to run').max(256),
  env: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'),
      z.string().max(32_768),
    )
    .default({}),
  resources: z.strictObject({
    gpus: z.number().int().min(0).max(16),
    memoryMiB: z.number().int().min(16, 'must be at least 16').max(1_048_576),
    cpus: z.number().positive().max(256),
    diskMiB: z.number().int().min(1).max(10_485_760),
    maxSeconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 86_400),
  }),
  network: z.enum(['none', 'outbound']),
  outputs: z.array(relativePath).max(256).default([]),
});
export type JobSpec = z.infer<typeof JobSpecSchema>;

export const JobStatusSchema = z.enum([
  'queued',
  'preparing',
  'running',
  'paused',
  'succeeded',
  'failed',
  'cancelled',
  'lost',
]);
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const JobIdSchema = z
  .string()
  .regex(/^job-\d{8}-[0-9a-f]{8}$/, 'is not a job id (job-YYYYMMDD-xxxxxxxx)');

/** One job as the Jobs page, `nocturne job list` and `job run --json` show it. */
export const JobSummarySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: JobStatusSchema,
  reason: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  /** Which isolation ran it, in words ("bubblewrap; limits by cgroup v1"). */
  sandbox: z.string().nullable(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  outputDir: z.string(),
  logPath: z.string(),
});
export type JobSummary = z.infer<typeof JobSummarySchema>;

/** The self-test's verdict in words: one line per check, and a sentence for the whole. */
export const SelfTestReportSchema = z.strictObject({
  state: z.enum(['running', 'passed', 'failed']),
  checks: z.array(z.strictObject({ passed: z.boolean(), text: z.string() })),
  /** What the test saw but does not judge ("this machine has no GPU device node"). */
  notes: z.array(z.string()),
  sentence: z.string(),
});
export type SelfTestReport = z.infer<typeof SelfTestReportSchema>;
