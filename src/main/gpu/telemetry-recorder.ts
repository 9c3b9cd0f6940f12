import type { GpuInfo } from '../../shared/schemas/gpu';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import {
  DEFAULT_RETENTION,
  type Retention,
  type TelemetrySample,
  type TelemetryStore,
} from './telemetry-store';

/**
 * Buffers samples and writes them in one transaction every few seconds: one fsync per batch instead of
 * one per sample, which is what keeps 1 s telemetry cheap on a laptop's disk.
 */
export function createTelemetryRecorder(deps: {
  store: TelemetryStore;
  clock: Clock;
  logger: Logger;
  flushEveryMs?: number;
  maxBuffered?: number;
  pruneEveryMs?: number;
  retention?: Retention;
}) {
  const flushEveryMs = deps.flushEveryMs ?? 5_000;
  const maxBuffered = deps.maxBuffered ?? 500;
  const pruneEveryMs = deps.pruneEveryMs ?? 3_600_000;
  let buffer: TelemetrySample[] = [];
  let lastPrune = 0;

  const flush = () => {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    try {
      deps.store.insertBatch(batch);
      const now = deps.clock.now().getTime();
      if (now - lastPrune >= pruneEveryMs) {
        lastPrune = now;
        deps.store.prune(now, deps.retention ?? DEFAULT_RETENTION);
      }
    } catch (error) {
      deps.logger.error(`Could not store ${batch.length} telemetry samples`, error);
    }
  };
  const timer = setInterval(flush, flushEveryMs);
  timer.unref();

  return {
    add(gpus: readonly GpuInfo[], atMs: number) {
      for (const g of gpus) {
        buffer.push({
          gpuId: g.id,
          atMs,
          temperatureC: g.temperatureC,
          powerW: g.powerDrawW,
          utilizationPct: g.utilizationPct,
          memoryUsedMiB: g.memoryUsedMiB,
          fanPct: g.fanPct,
        });
      }
      if (buffer.length >= maxBuffered) flush();
    },
    flush,
    stop() {
      clearInterval(timer);
      flush();
    },
  };
}

export type TelemetryRecorder = ReturnType<typeof createTelemetryRecorder>;
