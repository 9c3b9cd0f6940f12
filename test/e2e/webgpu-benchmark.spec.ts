import { expect, test, type Page } from '@playwright/test';
import config from '../../playwright.config';
import { WebGpuBenchmarkResultSchema, type WebGpuBenchmarkResult } from '../../src/shared/schemas/benchmark';
import { BENCH_GLOBAL, bundleBenchmark, serveBenchmark, type BenchServer } from './webgpu/bench-server';

/**
 * Runs the renderer's WebGPU benchmark engine (bundled here with esbuild) in headless Chromium. Linux
 * Chromium exposes WebGPU only with --enable-unsafe-webgpu; with no GPU it hands out the SwiftShader
 * (CPU) fallback adapter, which is slow but computes correctly, so sizes and the budget are kept small.
 */

const headless = config.projects?.find((project) => project.name === 'headless')?.use?.launchOptions;
test.use({
  launchOptions: {
    executablePath: headless?.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...(headless?.args ?? ['--headless', '--no-sandbox']), '--enable-unsafe-webgpu'],
  },
});

/**
 * The whole run, shader compilation included (2–3 s for the matmul kernel on SwiftShader with 2 idle
 * cores, several times that on a loaded machine); the engine fits its trials into what is left. Batches
 * are capped short so that an idle machine finishes in about 6 s.
 */
const BUDGET_MS = 12_000;
const MAX_TRIAL_MS = 250;

const PHASES = ['adapter', 'validate', 'warmup', 'matmul', 'bandwidth', 'done'] as const;

interface Progress {
  phase: (typeof PHASES)[number];
  fraction: number;
  message: string;
}

interface PageRun {
  result: WebGpuBenchmarkResult | null;
  error: { name: string; message: string; code: string | null } | null;
  events: Progress[];
}

interface RunOptions {
  budgetMs?: number;
  matmulSize?: number;
  bandwidthMiB?: number;
  trials?: number;
  maxTrialMs?: number;
  corruptForTest?: boolean;
  /** Abort (through an AbortSignal) on the first progress event of this phase. */
  abortAtPhase?: Progress['phase'];
  /** Pass `gpu: undefined`, as in a browser without WebGPU. */
  withoutGpu?: boolean;
}

/** What the page's globals look like to the code passed to page.evaluate (this file compiles without DOM types). */
interface PageGlobals {
  navigator: { gpu?: { requestAdapter: () => Promise<unknown> } };
  [BENCH_GLOBAL]: {
    runWebGpuBenchmark: (options: Record<string, unknown>) => Promise<WebGpuBenchmarkResult>;
  };
}

function runInPage(page: Page, options: RunOptions): Promise<PageRun> {
  return page.evaluate(
    async ({ name, options: { abortAtPhase, withoutGpu, ...rest } }) => {
      const g = globalThis as unknown as PageGlobals;
      const events: Progress[] = [];
      const controller = new AbortController();
      try {
        const result = await (g as unknown as Record<string, PageGlobals[typeof BENCH_GLOBAL]>)[
          name
        ]!.runWebGpuBenchmark({
          ...rest,
          gpu: withoutGpu ? undefined : g.navigator.gpu,
          signal: controller.signal,
          onProgress: (p: Progress) => {
            events.push(p);
            if (p.phase === abortAtPhase) controller.abort();
          },
        });
        return { result, error: null, events };
      } catch (e) {
        const error = e as { name?: string; message?: string; code?: string };
        return {
          result: null,
          error: { name: String(error.name), message: String(error.message), code: error.code ?? null },
          events,
        };
      }
    },
    { name: BENCH_GLOBAL, options },
  );
}

let bundle = '';
let server: BenchServer;

test.beforeAll(async () => {
  bundle = await bundleBenchmark();
  server = await serveBenchmark(bundle);
});

test.afterAll(async () => {
  await server?.close();
});

test.beforeEach(async ({ page }) => {
  await page.goto(server.url);
  const probe = await page.evaluate(async () => {
    const g = globalThis as unknown as PageGlobals;
    if (!g.navigator.gpu) return 'no navigator.gpu';
    return (await g.navigator.gpu.requestAdapter()) ? 'ok' : 'no adapter';
  });
  expect(probe, 'navigator.gpu should exist with --enable-unsafe-webgpu on a 127.0.0.1 page').not.toBe(
    'no navigator.gpu',
  );
  test.skip(
    probe === 'no adapter',
    'navigator.gpu.requestAdapter() returned null: this machine gives Chromium no WebGPU adapter, not even SwiftShader',
  );
});

test('measures FP32 matmul and memory bandwidth after validating the kernel', async ({ page }) => {
  const started = Date.now();
  const { result, error, events } = await runInPage(page, { budgetMs: BUDGET_MS, maxTrialMs: MAX_TRIAL_MS });
  const wallMs = Date.now() - started;
  expect(error).toBeNull();
  const r = WebGpuBenchmarkResultSchema.parse(result);

  console.log(
    [
      `adapter: ${JSON.stringify(r.adapter)}`,
      `validation ${r.validation.size.m}x${r.validation.size.k}·${r.validation.size.k}x${r.validation.size.n}: ` +
        `max abs error ${r.validation.maxAbsError.toExponential(2)}, max rel error ${r.validation.maxRelError.toExponential(2)}`,
      `matmul ${r.matmul.size}x${r.matmul.size}: ${r.matmul.gflops.toFixed(3)} GFLOP/s (trials ${r.matmul.trialsGflops.map((x) => x.toFixed(3)).join(', ')})`,
      `bandwidth ${(r.bandwidth.bytes / 2 ** 20).toFixed(1)} MiB copy: ${r.bandwidth.gbPerSecond.toFixed(3)} GB/s (trials ${r.bandwidth.trialsGbPerSecond.map((x) => x.toFixed(3)).join(', ')})`,
      `benchmark took ${r.durationMs.toFixed(0)} ms (budget ${BUDGET_MS} ms), ${wallMs} ms wall in the test`,
    ].join('\n'),
  );

  expect(r.validation.passed).toBe(true);
  expect(r.validation.maxRelError).toBeLessThan(1e-4);
  expect(r.validation.maxAbsError).toBeLessThan(1e-3);
  expect(Number.isFinite(r.matmul.gflops) && r.matmul.gflops > 0).toBe(true);
  expect(Number.isFinite(r.bandwidth.gbPerSecond) && r.bandwidth.gbPerSecond > 0).toBe(true);
  expect(r.trials).toBe(3);
  expect(r.matmul.trialsGflops).toHaveLength(3);
  expect(r.bandwidth.trialsGbPerSecond).toHaveLength(3);
  expect(r.durationMs).toBeLessThanOrEqual(BUDGET_MS);
  expect(r.adapter.isFallbackAdapter).toBe(true); // No GPU on CI: SwiftShader.
  expect(r.matmul.size).toBeGreaterThanOrEqual(64);

  // Progress: every phase, in order, with a fraction that never goes back and ends at 1.
  const order = events.map((e) => e.phase).filter((phase, i, all) => i === 0 || all[i - 1] !== phase);
  expect(order).toEqual([...PHASES]);
  for (let i = 1; i < events.length; i++)
    expect(events[i]!.fraction).toBeGreaterThanOrEqual(events[i - 1]!.fraction);
  expect(events.at(-1)).toMatchObject({ phase: 'done', fraction: 1 });
});

test('explicit small sizes are honoured', async ({ page }) => {
  // A roomy budget, so a loaded machine's slow shader compile leaves no reason to shrink; short
  // batches, so the run stays quick.
  const { result, error } = await runInPage(page, {
    budgetMs: 30_000,
    maxTrialMs: 150,
    matmulSize: 128,
    bandwidthMiB: 4,
    trials: 3,
  });
  expect(error).toBeNull();
  const r = WebGpuBenchmarkResultSchema.parse(result);
  console.log(
    `explicit sizes: matmul ${r.matmul.size}: ${r.matmul.gflops.toFixed(3)} GFLOP/s; ` +
      `bandwidth ${r.bandwidth.bytes / 2 ** 20} MiB: ${r.bandwidth.gbPerSecond.toFixed(3)} GB/s; ${r.durationMs.toFixed(0)} ms`,
  );
  expect(r.matmul.size).toBe(128);
  expect(r.bandwidth.bytes).toBe(4 * 2 ** 20);
  expect(r.matmul.trialsGflops).toHaveLength(3);
  expect(r.bandwidth.trialsGbPerSecond).toHaveLength(3);
});

test('a wrong GPU result is caught and no figures are reported', async ({ page }) => {
  const { result, error, events } = await runInPage(page, { budgetMs: 4000, corruptForTest: true });
  expect(result).toBeNull();
  expect(error?.code).toBe('wrong-results');
  expect(error?.message).toContain('The GPU produced wrong results');
  console.log(`corrupted run rejected: ${error?.message}`);
  expect(events.map((e) => e.phase)).not.toContain('matmul');
});

test('plain-words errors: no WebGPU, and a cancelled run', async ({ page }) => {
  const noGpu = await runInPage(page, { withoutGpu: true });
  expect(noGpu.error?.message).toBe(
    'This browser has no WebGPU (Chromium needs --enable-unsafe-webgpu on Linux)',
  );

  const aborted = await runInPage(page, { budgetMs: 4000, abortAtPhase: 'warmup' });
  expect(aborted.result).toBeNull();
  expect(aborted.error?.name).toBe('AbortError');
  expect(aborted.events.map((e) => e.phase)).not.toContain('matmul');
});
