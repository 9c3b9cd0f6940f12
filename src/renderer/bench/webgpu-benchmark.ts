/**
 * The browser side of Nocturne's GPU benchmark: how fast this card really is, measured in WebGPU.
 *
 * 1. adapter   — ask for the high-performance adapter and a device with its real buffer limits.
 * 2. validate  — run the exact matmul kernel on an awkward small shape (no side a multiple of the tile)
 *                and compare with a CPU reference; a wrong answer throws and no figure is reported.
 * 3. warmup    — pick the matrix size that fits the time budget, and let the clocks ramp up.
 * 4. matmul    — FP32 tiled matmul, `trials` timed batches, GFLOP/s = 2·N³ per product; the median counts.
 * 5. bandwidth — a vec4<f32> copy kernel over a large buffer, GB/s counts read + write; a sample of the
 *                copy is read back and checked; the median counts.
 *
 * Timing uses `queue.onSubmittedWorkDone()` around a batch of dispatches long enough (hundreds of ms on a
 * real GPU) that submit latency is noise. Everything created here is destroyed before returning.
 */
import type { WebGpuBenchmarkResult } from '../../shared/schemas/benchmark';
import {
  COPY_WGSL,
  FILL_WGSL,
  MATMUL_TILE,
  MATMUL_WGSL,
  checkMatmul,
  linearGrid,
  pseudoRandomArray,
  pseudoRandomValue,
} from './kernels';

export type { WebGpuBenchmarkResult } from '../../shared/schemas/benchmark';

export type BenchmarkPhase = 'adapter' | 'validate' | 'warmup' | 'matmul' | 'bandwidth' | 'done';

export interface BenchmarkProgress {
  phase: BenchmarkPhase;
  /** Of the whole run, 0…1, never decreasing. */
  fraction: number;
  message: string;
}

export interface WebGpuBenchmarkOptions {
  /** `navigator.gpu` (undefined where the browser has no WebGPU: the run then fails in plain words). */
  gpu: GPU | undefined;
  /** Most time the run may take, ms. Default and hard cap 60 000. Sizes shrink to fit it. */
  budgetMs?: number;
  /**
   * N of the N×N matmul. Default: picked to fit the budget (1024 on a real GPU, grown while the GPU is
   * very fast; 256 on a software adapter). A given N is still halved when one product would not fit.
   */
  matmulSize?: number;
  /** Size of the copied buffer, MiB. Default 256 (32 on a software adapter); capped by the adapter's limits. */
  bandwidthMiB?: number;
  /** Timed batches per measurement; the median is reported. Default 3. */
  trials?: number;
  /**
   * Longest timed batch, ms (default 1500): the run uses its budget up to this per batch. Lower it for a
   * quick run (CI); each batch still holds at least one product or copy.
   */
  maxTrialMs?: number;
  onProgress?: (progress: BenchmarkProgress) => void;
  signal?: AbortSignal;
  /**
   * TEST ONLY: perturbs one element of the GPU's validation output (in an edge tile) after it is read back
   * and before it is checked, so tests can prove a wrong result is caught. Never set it in the app.
   */
  corruptForTest?: boolean;
}

export const BENCHMARK_MAX_BUDGET_MS = 60_000;
export const BENCHMARK_DEFAULT_TRIALS = 3;
/** Largest relative error (per element, against Σ|a·b|) the validation accepts for FP32. */
export const VALIDATION_TOLERANCE = 1e-3;
/** The validation shape (m×k)·(k×n): no side is a multiple of the 64-wide tile or the 16-deep K step. */
export const VALIDATION_SHAPE = { m: 131, k: 67, n: 70 } as const;

export type WebGpuBenchmarkErrorCode =
  'no-webgpu' | 'no-adapter' | 'device-lost' | 'gpu-error' | 'wrong-results' | 'bad-options';

/** A failure the owner can read: `message` is a plain sentence; `code` is for the program. */
export class WebGpuBenchmarkError extends Error {
  readonly code: WebGpuBenchmarkErrorCode;
  constructor(code: WebGpuBenchmarkErrorCode, message: string) {
    super(message);
    this.name = 'WebGpuBenchmarkError';
    this.code = code;
  }
}

const MIB = 1024 * 1024;
const MATMUL_AUTO_SIZE = 1024;
const MATMUL_AUTO_SIZE_SOFTWARE = 256;
/** A real GPU that finishes one product faster than this gets a bigger N (up to MATMUL_AUTO_MAX). */
const MATMUL_GROW_BELOW_MS = 2;
const MATMUL_AUTO_MAX = 4096;
const MATMUL_MIN = 64;
const MATMUL_MAX = 8192;
const BANDWIDTH_AUTO_MIB = 256;
const BANDWIDTH_AUTO_MIB_SOFTWARE = 32;
const BANDWIDTH_MIN_BYTES = MIB;
/** No timed batch needs to be longer than this to be steady (`maxTrialMs`). */
const DEFAULT_MAX_TRIAL_MS = 1500;
/** Kept free at the end of the budget for reading back and cleaning up. */
const RESERVE_FRACTION = 0.05;
/** Bytes of the copy read back and checked at each of its start, middle and end. */
const COPY_SAMPLE_BYTES = 64 * 1024;
const MATMUL_SEED_A = 0x5eed_a001;
const MATMUL_SEED_B = 0x5eed_b002;
const COPY_SEED = 0x5eed_c003;

/** GPUBufferUsage / GPUMapMode flag values from the WebGPU spec (TypeScript's DOM lib types them but has no values). */
const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;
const MAP_MODE_READ = 0x0001;

const PHASE_SPAN: Record<BenchmarkPhase, [number, number]> = {
  adapter: [0, 0.05],
  validate: [0.05, 0.15],
  warmup: [0.15, 0.25],
  matmul: [0.25, 0.6],
  bandwidth: [0.6, 0.99],
  done: [1, 1],
};

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The benchmark was cancelled', 'AbortError');
}

function describeLoss(info: GPUDeviceLostInfo): string {
  const why = info.message ? `: ${info.message}` : '';
  return `The GPU device was lost during the benchmark (${info.reason})${why}. A driver reset, sleep or another program can cause this; try again.`;
}

/** The device, its lifetime, and everything made on it (destroyed by `dispose`). */
class Session {
  readonly device: GPUDevice;
  private readonly buffers = new Set<GPUBuffer>();
  private readonly interrupted: Promise<never>;
  private disposed = false;
  private lostError: WebGpuBenchmarkError | null = null;
  private removeAbortListener: () => void = () => {};

  constructor(device: GPUDevice, signal: AbortSignal | undefined) {
    this.device = device;
    this.interrupted = new Promise<never>((_, reject) => {
      void device.lost.then((info) => {
        if (this.disposed) return;
        this.lostError = new WebGpuBenchmarkError('device-lost', describeLoss(info));
        reject(this.lostError);
      });
      device.addEventListener('uncapturederror', (event) => {
        if (this.disposed) return;
        const error = (event as GPUUncapturedErrorEvent).error;
        reject(
          new WebGpuBenchmarkError(
            'gpu-error',
            `The GPU reported an error during the benchmark: ${error.message}`,
          ),
        );
      });
      if (signal) {
        const onAbort = () => reject(abortError(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        this.removeAbortListener = () => signal.removeEventListener('abort', onAbort);
      }
    });
    // Whoever awaits `wait` sees the rejection; this only keeps an unawaited one from being reported.
    this.interrupted.catch(() => {});
  }

  /** Awaits GPU work, but gives up at once if the device is lost or the run is aborted. */
  wait<T>(work: Promise<T>): Promise<T> {
    if (this.lostError) return Promise.reject(this.lostError);
    return Promise.race([work, this.interrupted]);
  }

  /** Runs `make` inside validation and out-of-memory error scopes; a captured error throws. */
  async guarded<T>(what: string, make: () => T): Promise<T> {
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    let value: T;
    try {
      value = make();
    } finally {
      const validation = await this.wait(this.device.popErrorScope());
      const memory = await this.wait(this.device.popErrorScope());
      const error = validation ?? memory;
      if (error) {
        const kind = error instanceof GPUOutOfMemoryError ? 'ran out of memory' : 'refused';
        // Thrown from finally on purpose: the GPU's error is the one worth reporting.
        // eslint-disable-next-line no-unsafe-finally
        throw new WebGpuBenchmarkError('gpu-error', `The GPU ${kind} while ${what}: ${error.message}`);
      }
    }
    return value;
  }

  buffer(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const buffer = this.device.createBuffer({ label, size, usage });
    this.buffers.add(buffer);
    return buffer;
  }

  uniform(label: string, words: readonly number[]): GPUBuffer {
    const buffer = this.buffer(label, 16, BufferUsage.UNIFORM | BufferUsage.COPY_DST);
    this.device.queue.writeBuffer(buffer, 0, new Uint32Array([...words, 0, 0, 0, 0].slice(0, 4)));
    return buffer;
  }

  release(...buffers: GPUBuffer[]): void {
    for (const buffer of buffers) {
      buffer.destroy();
      this.buffers.delete(buffer);
    }
  }

  /** Waits for everything submitted so far. */
  idle(): Promise<void> {
    return this.wait(this.device.queue.onSubmittedWorkDone());
  }

  /** Copies `size` bytes at `offset` of `source` back to the CPU. */
  async readBack(source: GPUBuffer, offset: number, size: number): Promise<ArrayBuffer> {
    const staging = this.buffer('readback', size, BufferUsage.MAP_READ | BufferUsage.COPY_DST);
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, offset, staging, 0, size);
    this.device.queue.submit([encoder.finish()]);
    await this.wait(staging.mapAsync(MAP_MODE_READ));
    const copy = staging.getMappedRange().slice(0);
    staging.unmap();
    this.release(staging);
    return copy;
  }

  dispose(): void {
    this.disposed = true;
    this.removeAbortListener();
    for (const buffer of this.buffers) buffer.destroy();
    this.buffers.clear();
    this.device.destroy();
  }
}

/** Runs the benchmark; resolves with figures only if the GPU's matmul matched the CPU's. */
export async function runWebGpuBenchmark(options: WebGpuBenchmarkOptions): Promise<WebGpuBenchmarkResult> {
  const started = performance.now();
  const budgetMs = Math.min(options.budgetMs ?? BENCHMARK_MAX_BUDGET_MS, BENCHMARK_MAX_BUDGET_MS);
  const trials = options.trials ?? BENCHMARK_DEFAULT_TRIALS;
  const maxTrialMs = options.maxTrialMs ?? DEFAULT_MAX_TRIAL_MS;
  if (!(budgetMs > 0))
    throw new WebGpuBenchmarkError('bad-options', `budgetMs must be positive, got ${budgetMs}`);
  if (!Number.isInteger(trials) || trials < 1 || trials > 100)
    throw new WebGpuBenchmarkError(
      'bad-options',
      `trials must be a whole number from 1 to 100, got ${trials}`,
    );
  if (options.matmulSize !== undefined && !(options.matmulSize >= 1))
    throw new WebGpuBenchmarkError('bad-options', `matmulSize must be positive, got ${options.matmulSize}`);
  if (options.bandwidthMiB !== undefined && !(options.bandwidthMiB > 0))
    throw new WebGpuBenchmarkError(
      'bad-options',
      `bandwidthMiB must be positive, got ${options.bandwidthMiB}`,
    );
  if (!(maxTrialMs > 0))
    throw new WebGpuBenchmarkError('bad-options', `maxTrialMs must be positive, got ${maxTrialMs}`);

  const deadline = started + budgetMs;
  const reserveMs = budgetMs * RESERVE_FRACTION;
  const signal = options.signal;
  let lastFraction = 0;
  const progress = (phase: BenchmarkPhase, within: number, message: string) => {
    const [from, to] = PHASE_SPAN[phase];
    const fraction = Math.max(lastFraction, from + (to - from) * Math.min(1, Math.max(0, within)));
    lastFraction = fraction;
    options.onProgress?.({ phase, fraction, message });
  };
  const checkAbort = () => {
    if (signal?.aborted) throw abortError(signal);
  };

  checkAbort();
  progress('adapter', 0, 'Looking for a WebGPU adapter');
  const gpu = options.gpu;
  if (!gpu || typeof gpu.requestAdapter !== 'function') {
    throw new WebGpuBenchmarkError(
      'no-webgpu',
      'This browser has no WebGPU (Chromium needs --enable-unsafe-webgpu on Linux)',
    );
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    throw new WebGpuBenchmarkError('no-adapter', `No WebGPU adapter was found (${(error as Error).message})`);
  }
  if (!adapter) throw new WebGpuBenchmarkError('no-adapter', 'No WebGPU adapter was found');
  checkAbort();

  // `adapter.info` is missing in browsers older than 2024; every field may be an empty string.
  const info: Partial<GPUAdapterInfo> = (adapter.info as GPUAdapterInfo | undefined) ?? {};
  const legacyFallback = (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const names = [info.vendor, info.architecture, info.device, info.description].join(' ');
  const isFallbackAdapter =
    info.isFallbackAdapter === true || legacyFallback === true || SOFTWARE_ADAPTER.test(names);
  const adapterSummary = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter,
  };

  const maxBinding = Math.min(adapter.limits.maxStorageBufferBindingSize, adapter.limits.maxBufferSize);
  let device: GPUDevice;
  try {
    // The adapter's own limits: the defaults (128 MiB bindings) would cap the bandwidth buffer.
    device = await adapter.requestDevice({
      label: 'nocturne-benchmark',
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
  } catch (error) {
    throw new WebGpuBenchmarkError(
      'gpu-error',
      `The WebGPU adapter would not open a device: ${(error as Error).message}`,
    );
  }
  checkAbort();
  const session = new Session(device, signal);
  try {
    progress(
      'adapter',
      1,
      `Using ${adapterSummary.description || adapterSummary.vendor || 'an unnamed adapter'}` +
        (isFallbackAdapter ? ' (a software/fallback adapter: figures will be small)' : ''),
    );

    // Pipelines, created once: the kernel validated is the kernel timed.
    progress('validate', 0, 'Compiling the benchmark kernels');
    const makePipeline = async (label: string, code: string): Promise<GPUComputePipeline> => {
      const module = device.createShaderModule({ label, code });
      try {
        return await session.wait(
          device.createComputePipelineAsync({ label, layout: 'auto', compute: { module } }),
        );
      } catch (error) {
        if (error instanceof WebGpuBenchmarkError || signal?.aborted) throw error;
        const details = (await session.wait(module.getCompilationInfo())).messages
          .map((m) => `${m.lineNum}:${m.linePos} ${m.message}`)
          .join('; ');
        throw new WebGpuBenchmarkError(
          'gpu-error',
          `The GPU could not build the ${label} kernel: ${(error as Error).message}` +
            (details ? ` (${details})` : ''),
        );
      }
    };
    const [matmulPipeline, fillPipeline, copyPipeline] = await Promise.all([
      makePipeline('matmul', MATMUL_WGSL),
      makePipeline('fill', FILL_WGSL),
      makePipeline('copy', COPY_WGSL),
    ]);

    /** Fills `count` floats of `buffer` with the deterministic pseudo-random values for `seed`. */
    const encodeFill = (encoder: GPUCommandEncoder, buffer: GPUBuffer, count: number, seed: number) => {
      const params = session.uniform('fill-params', [count, seed]);
      const pass = encoder.beginComputePass();
      pass.setPipeline(fillPipeline);
      pass.setBindGroup(
        0,
        device.createBindGroup({
          layout: fillPipeline.getBindGroupLayout(0),
          entries: [
            { binding: 0, resource: { buffer } },
            { binding: 1, resource: { buffer: params } },
          ],
        }),
      );
      pass.dispatchWorkgroups(...linearGrid(count));
      pass.end();
      return params;
    };

    interface Matmul {
      m: number;
      k: number;
      n: number;
      buffers: GPUBuffer[];
      bindGroup: GPUBindGroup;
      c: GPUBuffer;
    }
    const makeMatmul = (m: number, k: number, n: number): Promise<Matmul> =>
      session.guarded(`setting up a ${m}×${k}·${k}×${n} matmul`, () => {
        const storage = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
        const a = session.buffer('matmul-a', m * k * 4, storage);
        const b = session.buffer('matmul-b', k * n * 4, storage);
        const c = session.buffer('matmul-c', m * n * 4, storage);
        const dims = session.uniform('matmul-dims', [m, n, k]);
        const encoder = device.createCommandEncoder();
        const fillA = encodeFill(encoder, a, m * k, MATMUL_SEED_A);
        const fillB = encodeFill(encoder, b, k * n, MATMUL_SEED_B);
        device.queue.submit([encoder.finish()]);
        session.release(fillA, fillB);
        const bindGroup = device.createBindGroup({
          layout: matmulPipeline.getBindGroupLayout(0),
          entries: [a, b, c, dims].map((buffer, binding) => ({ binding, resource: { buffer } })),
        });
        return { m, k, n, buffers: [a, b, c, dims], bindGroup, c };
      });
    /** Submits `reps` products of `mm` in one compute pass. */
    const submitMatmul = (mm: Matmul, reps: number) => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(matmulPipeline);
      pass.setBindGroup(0, mm.bindGroup);
      for (let r = 0; r < reps; r++)
        pass.dispatchWorkgroups(Math.ceil(mm.n / MATMUL_TILE), Math.ceil(mm.m / MATMUL_TILE));
      pass.end();
      device.queue.submit([encoder.finish()]);
    };
    /** Submits `reps` products and returns the wall time until the GPU finished them, ms. */
    const timeMatmul = async (mm: Matmul, reps: number): Promise<number> => {
      await session.idle();
      const t0 = performance.now();
      submitMatmul(mm, reps);
      await session.idle();
      return performance.now() - t0;
    };

    const usableEnd = deadline - reserveMs;
    /** How long one timed batch may be when `batches` more of them (plus set-up) must fit before `end`. */
    const trialLength = (end: number, batches: number) =>
      Math.min(maxTrialMs, Math.max(0, end - performance.now()) / batches);
    /**
     * A warm-up batch, then `trials` timed batches of `time(reps)`. Each batch's length is planned from the
     * latest time per rep so that warm-up and trials fill what is left before `end`; after the first trial,
     * a batch planned to finish past `hardEnd` is not started (the run stops early rather than overrun).
     */
    const measure = async (
      time: (reps: number) => Promise<number>,
      firstPerRepMs: number,
      end: number,
      hardEnd: number,
      onWarmUp: (reps: number) => void,
      onTrial: (trial: number, reps: number) => void,
    ): Promise<Array<{ reps: number; ms: number }>> => {
      let perRepMs = firstPerRepMs;
      const repsFor = (batchesLeft: number) =>
        Math.max(1, Math.min(100_000, Math.round(trialLength(end, batchesLeft) / perRepMs)));
      checkAbort();
      const warmUpReps = repsFor(trials + 1);
      onWarmUp(warmUpReps);
      perRepMs = Math.max((await time(warmUpReps)) / warmUpReps, 0.001);
      const runs: Array<{ reps: number; ms: number }> = [];
      for (let t = 0; t < trials; t++) {
        checkAbort();
        const reps = repsFor(trials - t);
        if (t > 0 && performance.now() + perRepMs * reps > hardEnd) break;
        onTrial(t, reps);
        const ms = await time(reps);
        perRepMs = Math.max(ms / reps, 0.001);
        runs.push({ reps, ms });
      }
      return runs;
    };

    // ---- validate -------------------------------------------------------------------------------
    checkAbort();
    const { m: vm, k: vk, n: vn } = VALIDATION_SHAPE;
    progress('validate', 0.5, `Checking the matmul kernel against the CPU on ${vm}×${vk}·${vk}×${vn}`);
    const check = await makeMatmul(vm, vk, vn);
    await session.guarded('running the validation matmul', () => submitMatmul(check, 1));
    await session.idle();
    const gpuC = new Float32Array(await session.readBack(check.c, 0, vm * vn * 4));
    session.release(...check.buffers);
    if (options.corruptForTest) gpuC[vm * vn - 1]! += 1; // TEST ONLY: the last element, in an edge tile.
    const verdict = checkMatmul(
      pseudoRandomArray(vm * vk, MATMUL_SEED_A),
      pseudoRandomArray(vk * vn, MATMUL_SEED_B),
      gpuC,
      vm,
      vk,
      vn,
    );
    const passed = verdict.allFinite && verdict.maxRelError <= VALIDATION_TOLERANCE;
    if (!passed) {
      const w = verdict.worst;
      const where = w ? ` At C[${w.row}][${w.col}] the GPU gave ${w.gpu} where the CPU gives ${w.cpu}.` : '';
      throw new WebGpuBenchmarkError(
        'wrong-results',
        `The GPU produced wrong results in the matmul check (max relative error ${verdict.allFinite ? verdict.maxRelError.toExponential(2) : 'not a number'}, ` +
          `tolerance ${VALIDATION_TOLERANCE}).${where} No speed is reported for a GPU that computes wrongly.`,
      );
    }
    const validation = {
      size: { m: vm, k: vk, n: vn },
      maxAbsError: verdict.maxAbsError,
      maxRelError: verdict.maxRelError,
      passed,
    };
    progress(
      'validate',
      1,
      `Matmul kernel correct (max relative error ${verdict.maxRelError.toExponential(2)})`,
    );

    // ---- warm-up and size choice ----------------------------------------------------------------
    checkAbort();
    // Matmul (size choice and warm-up included) gets half of what is left; bandwidth gets what it leaves.
    const matmulEnd = performance.now() + Math.max(0, usableEnd - performance.now()) / 2;
    // Set-up, probes and warm-up cost about two batches more than the trials themselves.
    const sizingMatmulMs = trialLength(matmulEnd, trials + 3);
    const maxMatmulN = Math.max(MATMUL_MIN, Math.min(MATMUL_MAX, Math.floor(Math.sqrt(maxBinding / 4))));
    const autoSize = options.matmulSize === undefined;
    let n = Math.min(
      maxMatmulN,
      Math.max(
        16,
        Math.round(options.matmulSize ?? (isFallbackAdapter ? MATMUL_AUTO_SIZE_SOFTWARE : MATMUL_AUTO_SIZE)),
      ),
    );
    progress('warmup', 0, `Warming up with ${n}×${n} matrices`);
    let mm = await makeMatmul(n, n, n);
    await timeMatmul(mm, 1); // First use: allocation, upload, lazy compilation.
    let oneMs = await timeMatmul(mm, 1);
    // Shrink while one product would not fit a trial; grow while a real GPU is far too quick for N.
    // An asked-for N gives way only when even one product per batch would not fit; an automatic N
    // also when a batch could not hold one product.
    const matmulTooBig = (ms: number) =>
      autoSize ? ms > sizingMatmulMs : ms * (trials + 2) > matmulEnd - performance.now();
    while (matmulTooBig(oneMs) && n > MATMUL_MIN) {
      session.release(...mm.buffers);
      n = Math.max(MATMUL_MIN, Math.floor(n / 2));
      progress('warmup', 0.3, `One product took ${oneMs.toFixed(0)} ms; trying ${n}×${n}`);
      mm = await makeMatmul(n, n, n);
      await timeMatmul(mm, 1);
      oneMs = await timeMatmul(mm, 1);
      checkAbort();
    }
    while (
      autoSize &&
      !isFallbackAdapter &&
      oneMs < MATMUL_GROW_BELOW_MS &&
      n * 2 <= Math.min(MATMUL_AUTO_MAX, maxMatmulN)
    ) {
      session.release(...mm.buffers);
      n *= 2;
      progress('warmup', 0.3, `One product took ${oneMs.toFixed(2)} ms; trying ${n}×${n}`);
      mm = await makeMatmul(n, n, n);
      await timeMatmul(mm, 1);
      oneMs = await timeMatmul(mm, 1);
      checkAbort();
    }
    // A steadier per-product time from a short batch; then warm-up (clocks ramp up) and the trials.
    const probeReps = Math.max(
      1,
      Math.min(64, Math.round(Math.min(sizingMatmulMs / 4, 50) / Math.max(oneMs, 0.01))),
    );
    const perProductMs = Math.max((await timeMatmul(mm, probeReps)) / probeReps, 0.001);
    const flopsPerProduct = 2 * n ** 3;
    const matmulRuns = await measure(
      (reps) => timeMatmul(mm, reps),
      perProductMs,
      matmulEnd,
      // Finishing its trials comes first: matmul may take half of bandwidth's share before it stops early.
      matmulEnd + (usableEnd - matmulEnd) / 2,
      (reps) => progress('warmup', 0.6, `Warming up: ${reps} products of ${n}×${n}`),
      (t, reps) => {
        if (t === 0) progress('warmup', 1, 'Warm-up done');
        progress('matmul', t / trials, `Matmul trial ${t + 1} of ${trials}: ${reps} products of ${n}×${n}`);
      },
    );
    const trialsGflops = matmulRuns.map(({ reps, ms }) => (flopsPerProduct * reps) / (ms / 1000) / 1e9);
    session.release(...mm.buffers);
    const gflops = median(trialsGflops);
    progress('matmul', 1, `Matmul: ${gflops.toFixed(1)} GFLOP/s (FP32, ${n}×${n})`);

    // ---- bandwidth ----------------------------------------------------------------------------------
    checkAbort();
    const sizingCopyMs = trialLength(usableEnd, trials + 3);
    const maxBytes = Math.floor(maxBinding / MIB) * MIB || Math.floor(maxBinding / 16) * 16;
    let bytes = Math.min(
      maxBytes,
      Math.max(
        BANDWIDTH_MIN_BYTES,
        Math.round(
          ((options.bandwidthMiB ?? (isFallbackAdapter ? BANDWIDTH_AUTO_MIB_SOFTWARE : BANDWIDTH_AUTO_MIB)) *
            MIB) /
            16,
        ) * 16,
      ),
    );

    interface Copy {
      bytes: number;
      buffers: GPUBuffer[];
      bindGroup: GPUBindGroup;
      dst: GPUBuffer;
    }
    const makeCopy = async (size: number): Promise<Copy> => {
      const vec4s = size / 16;
      return session.guarded(`setting up a ${(size / MIB).toFixed(0)} MiB copy`, () => {
        const src = session.buffer('copy-src', size, BufferUsage.STORAGE | BufferUsage.COPY_SRC);
        const dst = session.buffer('copy-dst', size, BufferUsage.STORAGE | BufferUsage.COPY_SRC);
        const params = session.uniform('copy-params', [vec4s]);
        const encoder = device.createCommandEncoder();
        const fill = encodeFill(encoder, src, size / 4, COPY_SEED);
        device.queue.submit([encoder.finish()]);
        session.release(fill);
        const bindGroup = device.createBindGroup({
          layout: copyPipeline.getBindGroupLayout(0),
          entries: [src, dst, params].map((buffer, binding) => ({ binding, resource: { buffer } })),
        });
        return { bytes: size, buffers: [src, dst, params], bindGroup, dst };
      });
    };
    const timeCopy = async (copy: Copy, reps: number): Promise<number> => {
      await session.idle();
      const t0 = performance.now();
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(copyPipeline);
      pass.setBindGroup(0, copy.bindGroup);
      const [gx, gy] = linearGrid(copy.bytes / 16);
      for (let r = 0; r < reps; r++) pass.dispatchWorkgroups(gx, gy);
      pass.end();
      device.queue.submit([encoder.finish()]);
      await session.idle();
      return performance.now() - t0;
    };
    /** Reads back the start, middle and end of the copy; every float must equal what was filled. */
    const verifyCopy = async (copy: Copy) => {
      const sample = Math.min(COPY_SAMPLE_BYTES, copy.bytes);
      const offsets = [...new Set([0, Math.floor(copy.bytes / 2 / 16) * 16, copy.bytes - sample])];
      for (const offset of offsets) {
        const got = new Float32Array(await session.readBack(copy.dst, offset, sample));
        const first = offset / 4;
        for (let i = 0; i < got.length; i++) {
          const want = pseudoRandomValue(first + i, COPY_SEED);
          if (got[i] !== want) {
            throw new WebGpuBenchmarkError(
              'wrong-results',
              `The GPU produced wrong results in the memory copy: float ${first + i} is ${got[i]} where ${want} was written. No speed is reported for a GPU that computes wrongly.`,
            );
          }
        }
      }
    };

    progress('bandwidth', 0, `Measuring memory bandwidth with a ${(bytes / MIB).toFixed(0)} MiB copy`);
    let copy: Copy | null = null;
    let oneCopyMs = Infinity;
    for (;;) {
      checkAbort();
      try {
        copy = await makeCopy(bytes);
      } catch (error) {
        // Too big for this GPU's free memory: halve and try again.
        if (
          error instanceof WebGpuBenchmarkError &&
          error.code === 'gpu-error' &&
          bytes / 2 >= BANDWIDTH_MIN_BYTES
        ) {
          bytes = Math.floor(bytes / 2 / 16) * 16;
          continue;
        }
        throw error;
      }
      await timeCopy(copy, 1); // First use.
      oneCopyMs = await timeCopy(copy, 1);
      const tooBig =
        options.bandwidthMiB === undefined
          ? oneCopyMs > sizingCopyMs
          : oneCopyMs * (trials + 2) > usableEnd - performance.now();
      if (!tooBig || bytes / 2 < BANDWIDTH_MIN_BYTES) break;
      session.release(...copy.buffers);
      bytes = Math.floor(bytes / 2 / 16) * 16;
      progress(
        'bandwidth',
        0.1,
        `One copy took ${oneCopyMs.toFixed(0)} ms; trying ${(bytes / MIB).toFixed(1)} MiB`,
      );
    }
    await verifyCopy(copy);
    const copyProbeReps = Math.max(
      1,
      Math.min(64, Math.round(Math.min(sizingCopyMs / 4, 50) / Math.max(oneCopyMs, 0.01))),
    );
    const perCopyMs = Math.max((await timeCopy(copy, copyProbeReps)) / copyProbeReps, 0.001);
    const copyRuns = await measure(
      (reps) => timeCopy(copy, reps),
      perCopyMs,
      usableEnd,
      // Half the reserve may go to a last trial; the other half is for cleaning up.
      deadline - reserveMs / 2,
      (reps) => progress('bandwidth', 0.2, `Warming up: ${reps} copies of ${(bytes / MIB).toFixed(1)} MiB`),
      (t, reps) =>
        progress(
          'bandwidth',
          0.25 + (0.75 * t) / trials,
          `Bandwidth trial ${t + 1} of ${trials}: ${reps} copies of ${(bytes / MIB).toFixed(1)} MiB`,
        ),
    );
    const trialsGbPerSecond = copyRuns.map(({ reps, ms }) => (2 * bytes * reps) / (ms / 1000) / 1e9);
    session.release(...copy.buffers);
    const gbPerSecond = median(trialsGbPerSecond);
    progress('bandwidth', 1, `Memory bandwidth: ${gbPerSecond.toFixed(1)} GB/s (read + write)`);

    const result: WebGpuBenchmarkResult = {
      adapter: adapterSummary,
      matmul: { size: n, gflops, trialsGflops },
      bandwidth: { bytes, gbPerSecond, trialsGbPerSecond },
      validation,
      durationMs: performance.now() - started,
      trials,
    };
    progress('done', 1, `Done in ${(result.durationMs / 1000).toFixed(1)} s`);
    return result;
  } finally {
    session.dispose();
  }
}
