import type { GpuInfo, GpuProcess } from '../../../shared/schemas/gpu';

export interface TelemetryWatch {
  stop(): void;
}

export type PowerLimitResult = { ok: true } | { ok: false; reason: string };

/** One way of seeing GPUs (a vendor tool, or a generic library). The GPU monitor holds one or more. */
export interface GpuProbe {
  readonly name: string;
  list(): Promise<GpuInfo[]>;
  /** Other programs using the GPUs. Expensive on NVIDIA: poll it slowly. */
  processes(): Promise<GpuProcess[]>;
  /** Samples every `intervalMs` until stopped. Errors are reported, and the probe keeps trying. */
  watch(
    intervalMs: number,
    onSample: (gpus: GpuInfo[]) => void,
    onError: (message: string) => void,
  ): TelemetryWatch;
  setPowerLimit(gpu: GpuInfo, watts: number): Promise<PowerLimitResult>;
}

/** A tool is present but failed; the message says what failed in the owner's words. */
export class GpuProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuProbeError';
  }
}

/**
 * Watch by calling list() on a timer, never overlapping: for tools that cannot stream (rocm-smi,
 * amd-smi, systeminformation).
 */
export function pollingWatch(
  list: () => Promise<GpuInfo[]>,
  intervalMs: number,
  onSample: (gpus: GpuInfo[]) => void,
  onError: (message: string) => void,
  /** The wait before the next poll, from the last answer (null after an error); `intervalMs` by default. */
  nextDelayMs: (last: GpuInfo[] | null) => number = () => intervalMs,
): TelemetryWatch {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    let last: GpuInfo[] | null = null;
    try {
      last = await list();
      if (!stopped) onSample(last);
    } catch (error) {
      if (!stopped) onError((error as Error).message);
    }
    if (!stopped) timer = setTimeout(() => void tick(), nextDelayMs(last));
  };
  void tick();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
