import si from 'systeminformation';
import type { RunMode } from '../../shared/schemas/app-status';
import { acquireInstanceLock } from '../data-dir/instance-lock';
import { dataPaths } from '../data-dir/resolve-data-dir';
import { findGpuPeak } from '../../shared/gpu-peaks';
import { createBenchmarkRepository } from '../gpu/benchmark/benchmark-repository';
import { createBenchmarkService } from '../gpu/benchmark/benchmark-service';
import { createGpuLimitsRepository } from '../gpu/gpu-limits-repository';
import { gpuHandlers } from '../gpu/gpu-handlers';
import { createGpuMonitor } from '../gpu/gpu-monitor';
import { detectProbes } from '../gpu/probes/detect-probes';
import type { GpuProbe } from '../gpu/probes/gpu-probe';
import { createTelemetryRecorder } from '../gpu/telemetry-recorder';
import { createTelemetryStore } from '../gpu/telemetry-store';
import { createProcessRunner } from '../os/process-runner';
import { createSettingsRepository } from '../settings/settings-repository';
import { settingsHandlers } from '../settings/settings-handlers';
import { createSettingsService } from '../settings/settings-service';
import { statusHandlers } from '../status/status-handlers';
import { createStatusService } from '../status/status-service';
import { openDatabase } from '../store/open-database';
import { systemClock, type Clock } from './clock';
import { createEventBus } from './event-bus';
import { createFileLogger, type Logger } from './logger';
import { createRouter } from './router';

export interface CoreOptions {
  dataDir: string;
  mode: RunMode;
  version?: string;
  clock?: Clock;
  logger?: Logger;
  /** GPU probes; by default those whose tools are on PATH (see detect-probes). */
  gpuProbes?: GpuProbe[];
  /** Start GPU monitoring at once (the app); CLI one-shots leave it off. */
  monitorGpus?: boolean;
  /** Benchmark with small sizes (tests on a software adapter). */
  quickBenchmark?: boolean;
}

/**
 * The composition root: the only place that picks real adapters. Electron (`src/main/app`) and the
 * headless server both start the product through here, so they run the same core.
 */
export function createCore(options: CoreOptions) {
  const clock = options.clock ?? systemClock;
  const paths = dataPaths(options.dataDir);
  const lock = acquireInstanceLock(paths.lock);
  try {
    const logger = options.logger ?? createFileLogger(paths.log);
    const { db, migration } = openDatabase(paths.database, { now: () => clock.now() });
    if (migration.applied.length > 0)
      logger.info(`Database migrated from schema ${migration.from} to ${migration.to}`);

    const events = createEventBus();
    const settings = createSettingsService({
      repository: createSettingsRepository(db),
      clock,
      logger,
      onChange: (next) => events.emit('settings:changed', next),
    });
    const status = createStatusService({
      clock,
      mode: options.mode,
      version: options.version ?? __APP_VERSION__,
      dataDir: options.dataDir,
      schemaVersion: migration.to,
      onChange: (next) => events.emit('app:statusChanged', next),
    });
    const telemetry = createTelemetryStore(db);
    const benchmarks = createBenchmarkRepository(db);
    const gpus = createGpuMonitor({
      probes: options.gpuProbes ?? detectProbes(createProcessRunner(), () => si.graphics()),
      limits: createGpuLimitsRepository(db),
      recorder: createTelemetryRecorder({ store: telemetry, clock, logger }),
      clock,
      logger,
      onTelemetry: (at, list) => events.emit('gpu:telemetry', { at: at.toISOString(), gpus: list }),
      onGuardAction: (event) => events.emit('gpu:guardAction', event),
      describe: (info) => {
        const peak = findGpuPeak(info.name);
        return {
          benchmark: benchmarks.latest(info.id),
          peak: peak && {
            cardName: peak.name,
            fp32Tflops: peak.fp32Tflops,
            memoryBandwidthGBs: peak.memoryBandwidthGBs,
          },
        };
      },
    });
    const benchmark = createBenchmarkService({
      launcher: null,
      repository: benchmarks,
      clock,
      logger,
      onProgress: (event) => events.emit('gpu:benchProgress', event),
      onFinished: (event) => events.emit('gpu:benchFinished', event),
      quick: options.quickBenchmark === true,
    });
    const applyIntervals = () => {
      const { telemetryIdleSeconds, telemetryBusySeconds } = settings.get();
      gpus.setIntervals({ idleMs: telemetryIdleSeconds * 1000, busyMs: telemetryBusySeconds * 1000 });
    };
    applyIntervals();
    events.subscribe((event) => {
      if (event === 'settings:changed') applyIntervals();
    });
    if (options.monitorGpus) gpus.start();
    const router = createRouter(
      {
        ...statusHandlers(status),
        ...settingsHandlers(settings),
        ...gpuHandlers({ monitor: gpus, telemetry, benchmark, clock }),
      },
      logger,
    );

    let closed = false;
    return {
      dataDir: options.dataDir,
      router,
      events,
      settings,
      status,
      gpus,
      benchmark,
      logger,
      close() {
        if (closed) return;
        closed = true;
        benchmark.stop();
        gpus.stop();
        db.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

export type Core = ReturnType<typeof createCore>;
