import { randomBytes } from 'node:crypto';
import type {
  BenchmarkFinishedEvent,
  BenchmarkProgress,
  BenchmarkReport,
} from '../../../shared/schemas/benchmark';
import type { GpuInfo } from '../../../shared/schemas/gpu';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import { UserFacingError } from '../../core/router';
import type { BenchmarkRepository } from './benchmark-repository';

/**
 * Opens the benchmark page somewhere that has WebGPU: a hidden window in Electron, headless Chromium in
 * `serve` mode. The page reports back through `gpu:benchReport` with the run id it was given.
 */
export interface BenchmarkLauncher {
  launch(runId: string, options: { quick: boolean }): Promise<{ close(): void }>;
}

export interface BenchmarkServiceDeps {
  launcher: BenchmarkLauncher | null;
  repository: BenchmarkRepository;
  clock: Clock;
  logger: Logger;
  onProgress(event: { runId: string; gpuId: string; progress: BenchmarkProgress }): void;
  onFinished(event: BenchmarkFinishedEvent): void;
  /** The page's own budget is 60 s; past this, start-up included, the run is declared failed. */
  timeoutMs?: number;
  /** Small sizes, for tests on the software adapter. */
  quick?: boolean;
}

interface ActiveRun {
  runId: string;
  gpu: GpuInfo;
  window: { close(): void } | null;
  timer: NodeJS.Timeout;
}

export function createBenchmarkService(deps: BenchmarkServiceDeps) {
  let active: ActiveRun | null = null;
  let launcher = deps.launcher;

  const finish = (run: ActiveRun, outcome: Omit<BenchmarkFinishedEvent, 'runId' | 'gpuId'>) => {
    if (active !== run) return;
    active = null;
    clearTimeout(run.timer);
    run.window?.close();
    deps.onFinished({ runId: run.runId, gpuId: run.gpu.id, ...outcome });
  };

  return {
    async start(gpu: GpuInfo): Promise<{ runId: string }> {
      if (active) throw new UserFacingError('A benchmark is already running; wait for it to finish.');
      if (!launcher) {
        throw new UserFacingError(
          'The benchmark needs Chromium or Chrome on this machine in headless mode: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.',
        );
      }
      const runId = randomBytes(12).toString('hex');
      const run: ActiveRun = {
        runId,
        gpu,
        window: null,
        timer: setTimeout(
          () => finish(run, { record: null, error: 'The benchmark did not finish within its time limit.' }),
          deps.timeoutMs ?? 120_000,
        ),
      };
      active = run;
      try {
        run.window = await launcher.launch(runId, { quick: deps.quick === true });
      } catch (error) {
        finish(run, { record: null, error: `The benchmark could not start: ${(error as Error).message}` });
        throw new UserFacingError(`The benchmark could not start: ${(error as Error).message}`);
      }
      if (active !== run) run.window.close(); // it already finished or failed while launching
      deps.logger.info(`Benchmark ${runId} started for ${gpu.name}`);
      return { runId };
    },

    /** A report for a run that is not the active one is refused: a stale or forged page cannot write results. */
    report(report: BenchmarkReport): Record<string, never> {
      const run = active;
      if (!run || run.runId !== report.runId)
        throw new UserFacingError('No benchmark with that run id is running.', 'runId');
      switch (report.kind) {
        case 'progress':
          deps.onProgress({ runId: run.runId, gpuId: run.gpu.id, progress: report.progress });
          break;
        case 'error':
          finish(run, { record: null, error: report.message });
          break;
        case 'result': {
          if (!report.result.validation.passed) {
            finish(run, { record: null, error: 'The GPU produced wrong results; no figures were kept.' });
            break;
          }
          const record = {
            gpuId: run.gpu.id,
            gpuName: run.gpu.name,
            driverVersion: run.gpu.driverVersion,
            at: deps.clock.now().toISOString(),
            result: report.result,
          };
          deps.repository.save(record);
          finish(run, { record, error: null });
          break;
        }
      }
      return {};
    },

    latest: (gpuId: string) => deps.repository.latest(gpuId),
    /** Set once the place to run the page exists (the headless server's URL, Electron's ready event). */
    setLauncher(next: BenchmarkLauncher | null) {
      launcher = next;
    },
    running: () => active?.runId ?? null,
    stop() {
      if (active) finish(active, { record: null, error: 'Nocturne is shutting down.' });
    },
  };
}

export type BenchmarkService = ReturnType<typeof createBenchmarkService>;
