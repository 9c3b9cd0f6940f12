import type {
  GpuInfo,
  GpuLimits,
  GpuList,
  GpuProcess,
  GpuView,
  GuardActionEvent,
} from '../../shared/schemas/gpu';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { GpuLimitsRepository } from './gpu-limits-repository';
import type { GpuProbe, TelemetryWatch } from './probes/gpu-probe';
import type { TelemetryRecorder } from './telemetry-recorder';
import {
  DEFAULT_THERMAL_LIMITS,
  INITIAL_GUARD_STATE,
  decideThermal,
  describeGuard,
  type GuardState,
  type ThermalLimits,
} from './thermal-policy';

export interface GpuMonitorDeps {
  probes: GpuProbe[];
  limits: GpuLimitsRepository;
  recorder: TelemetryRecorder;
  clock: Clock;
  logger: Logger;
  onTelemetry(at: Date, gpus: GpuInfo[]): void;
  onGuardAction(event: GuardActionEvent): void;
  /** Other programs on the GPUs changed (polled every 30 s): availability hands the GPU back to them. */
  onProcesses?(processes: GpuProcess[]): void;
  /** What the view adds beyond live readings: the latest benchmark and the card's known peak. */
  describe(info: GpuInfo): Pick<GpuView, 'benchmark' | 'peak'>;
  idleIntervalMs?: number;
  busyIntervalMs?: number;
  processPollMs?: number;
}

const toThermal = (l: GpuLimits): ThermalLimits => ({ ...DEFAULT_THERMAL_LIMITS, ...l });

/**
 * Watches every GPU through its probe, records telemetry, and runs the thermal guard on each sample.
 * Sampling is every 10 s at rest and every 1 s while a job runs (setBusy).
 */
export function createGpuMonitor(deps: GpuMonitorDeps) {
  let idleMs = deps.idleIntervalMs ?? 10_000;
  let busyMs = deps.busyIntervalMs ?? 1_000;
  const latest = new Map<GpuProbe, GpuInfo[]>();
  const errors = new Map<GpuProbe, string>();
  const guard = new Map<string, GuardState>();
  /** The card's own limit before we capped it, to restore it afterwards. */
  const originalPowerLimit = new Map<string, number>();
  const guardBusy = new Set<string>();
  let processes: GpuProcess[] = [];
  let watches: TelemetryWatch[] = [];
  let processTimer: NodeJS.Timeout | undefined;
  let busy = false;
  let running = false;

  const all = () => [...latest.values()].flat();
  const probeOf = (gpuId: string) => [...latest].find(([, gpus]) => gpus.some((g) => g.id === gpuId))?.[0];

  const record = (gpu: GpuInfo, action: GuardActionEvent['action'], reason: string) => {
    const event: GuardActionEvent = {
      gpuId: gpu.id,
      at: deps.clock.now().toISOString(),
      action,
      reason,
      temperatureC: gpu.temperatureC,
    };
    deps.limits.recordEvent(event);
    deps.logger.info(`Thermal guard, ${gpu.name}: ${reason}`);
    deps.onGuardAction(event);
  };

  const runGuard = async (gpu: GpuInfo, probe: GpuProbe) => {
    if (guardBusy.has(gpu.id)) return; // a power change is still in flight; the next sample decides
    guardBusy.add(gpu.id);
    try {
      const limits = toThermal(deps.limits.get(gpu.id));
      const sample = {
        temperatureC: gpu.temperatureC,
        powerLimitW: originalPowerLimit.get(gpu.id) ?? gpu.powerLimitW,
      };
      const now = deps.clock.now().getTime();
      const canCap = probe.name === 'nvidia-smi';
      let decision = decideThermal(guard.get(gpu.id) ?? INITIAL_GUARD_STATE, sample, limits, now, canCap);
      if (decision.action?.type === 'cap-power') {
        if (gpu.powerLimitW !== null && !originalPowerLimit.has(gpu.id))
          originalPowerLimit.set(gpu.id, gpu.powerLimitW);
        const result = await probe.setPowerLimit(gpu, decision.action.watts!);
        if (!result.ok) {
          record(gpu, 'cap-unavailable', result.reason);
          const refused: GuardState = { ...decision.state, phase: 'normal', capUnavailable: true };
          decision = decideThermal(refused, sample, limits, now, canCap);
        }
      } else if (decision.action?.type === 'restore-power') {
        const original = originalPowerLimit.get(gpu.id);
        if (original !== undefined) {
          const result = await probe.setPowerLimit(gpu, original);
          if (result.ok) originalPowerLimit.delete(gpu.id);
        }
      }
      guard.set(gpu.id, decision.state);
      if (decision.action) record(gpu, decision.action.type, decision.action.reason);
    } catch (error) {
      deps.logger.error(`Thermal guard failed for ${gpu.name}`, error);
    } finally {
      guardBusy.delete(gpu.id);
    }
  };

  const onSample = (probe: GpuProbe) => (gpus: GpuInfo[]) => {
    latest.set(probe, gpus);
    errors.delete(probe);
    const at = deps.clock.now();
    deps.recorder.add(gpus, at.getTime());
    deps.onTelemetry(at, all());
    for (const gpu of gpus) void runGuard(gpu, probe);
  };

  const startWatches = () => {
    for (const w of watches) w.stop();
    const interval = busy ? busyMs : idleMs;
    watches = deps.probes.map((probe) =>
      probe.watch(interval, onSample(probe), (message) => {
        errors.set(probe, message);
        deps.logger.warn(`${probe.name}: ${message}`);
      }),
    );
  };

  const pollProcesses = async () => {
    const found: GpuProcess[] = [];
    for (const probe of deps.probes) {
      try {
        found.push(...(await probe.processes()));
      } catch {
        // The watch reports a broken tool; other processes are simply unknown until it recovers.
      }
    }
    const changed = JSON.stringify(found) !== JSON.stringify(processes);
    processes = found;
    if (changed) deps.onProcesses?.(found);
    if (running) processTimer = setTimeout(() => void pollProcesses(), deps.processPollMs ?? 30_000);
  };

  const view = (info: GpuInfo): GpuView => {
    const limits = deps.limits.get(info.id);
    const phase = (guard.get(info.id) ?? INITIAL_GUARD_STATE).phase;
    return {
      info,
      limits,
      guard: { phase, sentence: describeGuard(phase, info.temperatureC, toThermal(limits)) },
      ...deps.describe(info),
    };
  };

  return {
    start() {
      if (running) return;
      running = true;
      startWatches();
      void pollProcesses();
    },
    stop() {
      running = false;
      for (const w of watches) w.stop();
      watches = [];
      clearTimeout(processTimer);
      deps.recorder.stop();
    },
    /** 1 s samples while a renter's job runs, 10 s otherwise. */
    setBusy(next: boolean) {
      if (next === busy) return;
      busy = next;
      if (running) startWatches();
    },
    /** New sampling intervals (from Settings) take effect at once. */
    setIntervals(next: { idleMs: number; busyMs: number }) {
      if (next.idleMs === idleMs && next.busyMs === busyMs) return;
      idleMs = next.idleMs;
      busyMs = next.busyMs;
      if (running) startWatches();
    },
    /** Latest known state; asks the tools directly when nothing was sampled yet. */
    async list(): Promise<GpuList> {
      for (const probe of deps.probes) {
        if (latest.has(probe)) continue;
        try {
          latest.set(probe, await probe.list());
        } catch (error) {
          errors.set(probe, (error as Error).message);
        }
      }
      return { probes: deps.probes.map((p) => p.name), errors: [...errors.values()], gpus: all().map(view) };
    },
    view(gpuId: string): GpuView | null {
      const info = all().find((g) => g.id === gpuId);
      return info ? view(info) : null;
    },
    info: (gpuId: string): GpuInfo | null => all().find((g) => g.id === gpuId) ?? null,
    /** The latest views without asking any tool: for callers that must not wait. */
    currentViews: (): GpuView[] => all().map(view),
    /** New limits take effect at once: the guard re-decides on the latest sample. */
    async setLimits(gpuId: string, limits: GpuLimits): Promise<GpuView | null> {
      const info = all().find((g) => g.id === gpuId);
      if (!info) return null;
      deps.limits.set(gpuId, limits, deps.clock.now());
      const probe = probeOf(gpuId);
      if (probe) await runGuard(info, probe);
      return view(info);
    },
    otherProcesses: () => processes,
  };
}

export type GpuMonitor = ReturnType<typeof createGpuMonitor>;
