import type { GpuInfo } from '../../src/shared/schemas/gpu';
import type { GpuProbe, PowerLimitResult } from '../../src/main/gpu/probes/gpu-probe';

export function fakeGpu(overrides: Partial<GpuInfo> = {}): GpuInfo {
  return {
    id: 'GPU-fake-0',
    vendor: 'nvidia',
    name: 'NVIDIA GeForce RTX 3090',
    busId: '0000:09:00.0',
    uuid: 'GPU-fake-0',
    index: 0,
    driverVersion: '560.35.03',
    memoryTotalMiB: 24576,
    memoryUsedMiB: 1024,
    temperatureC: 50,
    powerDrawW: 100,
    powerLimitW: 350,
    utilizationPct: 0,
    fanPct: 30,
    ...overrides,
  };
}

/** A probe driven by the test: it records watch intervals and power-limit calls, and emits on demand. */
export function createFakeProbe(name = 'nvidia-smi', powerLimit: PowerLimitResult = { ok: true }) {
  let emit: ((gpus: GpuInfo[]) => void) | null = null;
  const intervals: number[] = [];
  const powerCalls: number[] = [];
  let current: GpuInfo[] = [fakeGpu()];
  const probe: GpuProbe = {
    name,
    list: async () => current,
    processes: async () => [],
    watch(intervalMs, onSample) {
      intervals.push(intervalMs);
      emit = onSample;
      return { stop: () => void (emit = null) };
    },
    setPowerLimit: async (_gpu, watts) => {
      powerCalls.push(watts);
      return powerLimit;
    },
  };
  return {
    probe,
    intervals,
    powerCalls,
    /** Delivers a sample as the tool would; resolves after the guard's async work. */
    async sample(overrides: Partial<GpuInfo>) {
      current = [fakeGpu(overrides)];
      emit?.(current);
      await new Promise((r) => setTimeout(r, 10));
    },
  };
}
