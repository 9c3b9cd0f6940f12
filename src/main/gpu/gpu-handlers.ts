import type { GpuInfo } from '../../shared/schemas/gpu';
import type { Clock } from '../core/clock';
import { UserFacingError, type Handlers } from '../core/router';
import type { BenchmarkService } from './benchmark/benchmark-service';
import type { GpuMonitor } from './gpu-monitor';
import { unreportedFields } from './parsers/build-gpu-info';
import type { TelemetryStore } from './telemetry-store';

/** What a benchmark is filed under where no tool sees a GPU: whatever adapter the browser picks. */
const DEFAULT_ADAPTER: GpuInfo = {
  ...unreportedFields(),
  id: 'webgpu-default',
  vendor: 'other',
  name: 'WebGPU default adapter',
};

const RANGE_MS = { hour: 3_600_000, day: 86_400_000, month: 30 * 86_400_000 } as const;

export function gpuHandlers(deps: {
  monitor: GpuMonitor;
  telemetry: TelemetryStore;
  benchmark: BenchmarkService;
  clock: Clock;
}): Pick<Handlers, 'gpu:list' | 'gpu:history' | 'gpu:setLimits' | 'gpu:benchmark' | 'gpu:benchReport'> {
  return {
    'gpu:list': () => deps.monitor.list(),
    'gpu:history': ({ gpuId, range }) => {
      const now = deps.clock.now().getTime();
      return deps.telemetry.history(gpuId, now - RANGE_MS[range], now, now);
    },
    'gpu:setLimits': async ({ gpuId, limits }) => {
      const view = await deps.monitor.setLimits(gpuId, limits);
      if (!view) throw new UserFacingError(`No GPU with id "${gpuId}" is present.`, 'gpuId');
      return view;
    },
    'gpu:benchmark': async ({ gpuId }) => {
      const { gpus } = await deps.monitor.list();
      if (gpuId === undefined) return deps.benchmark.start(gpus[0]?.info ?? DEFAULT_ADAPTER);
      const gpu = gpus.find((g) => g.info.id === gpuId);
      if (!gpu) throw new UserFacingError(`No GPU with id "${gpuId}" is present.`, 'gpuId');
      return deps.benchmark.start(gpu.info);
    },
    'gpu:benchReport': (report) => deps.benchmark.report(report),
  };
}
