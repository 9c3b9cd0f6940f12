import type { GpuInfo, GpuVendor } from '../../../shared/schemas/gpu';
import { pollingWatch, type GpuProbe } from './gpu-probe';

/** The fields of systeminformation's graphics() controller that we read. */
export interface SiController {
  vendor?: string;
  model?: string;
  bus?: string;
  busAddress?: string;
  pciBus?: string;
  vram?: number | null;
  memoryTotal?: number;
  memoryUsed?: number;
  temperatureGpu?: number;
  powerDraw?: number;
  powerLimit?: number;
  utilizationGpu?: number;
  fanSpeed?: number;
  driverVersion?: string;
  subDeviceId?: string;
}

export function vendorFromText(text: string): GpuVendor {
  const t = text.toLowerCase();
  if (t.includes('nvidia')) return 'nvidia';
  if (t.includes('amd') || t.includes('advanced micro devices') || t.includes('ati ')) return 'amd';
  if (t.includes('intel')) return 'intel';
  if (t.includes('apple')) return 'apple';
  return 'other';
}

const num = (v: number | undefined | null) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * systeminformation drops falsy values, so a 0 % utilization arrives as "missing": we report it as
 * unknown (null) rather than guess 0.
 */
export function controllerToGpuInfo(controller: SiController, index: number): GpuInfo {
  const vendor = vendorFromText(`${controller.vendor ?? ''} ${controller.model ?? ''}`);
  const busId = controller.pciBus || controller.busAddress || null;
  return {
    id: busId ?? `${vendor}:${index}`,
    vendor,
    name: controller.model?.trim() || controller.vendor?.trim() || 'Unknown GPU',
    busId,
    uuid: null,
    index,
    driverVersion: controller.driverVersion || null,
    memoryTotalMiB: num(controller.memoryTotal) ?? num(controller.vram),
    memoryUsedMiB: num(controller.memoryUsed),
    temperatureC: num(controller.temperatureGpu),
    powerDrawW: num(controller.powerDraw),
    powerLimitW: num(controller.powerLimit),
    utilizationPct: num(controller.utilizationGpu),
    fanPct: num(controller.fanSpeed),
  };
}

/**
 * systeminformation spawns lspci (and more) for each reading, ~25 ms of CPU plus its children: the fallback
 * is read at most once a minute, and once every 5 minutes while it finds no GPU at all (one appearing
 * later, a new card or driver, is still noticed). Cards it reads give no power control and rarely a
 * temperature, so there is little for a faster reading to act on.
 */
export const SI_MIN_INTERVAL_MS = 60_000;
export const SI_NO_GPU_INTERVAL_MS = 300_000;

/** The fallback for Intel, Apple and any card without its vendor's tool. */
export function createSystemInformationProbe(
  graphics: () => Promise<{ controllers: SiController[] }>,
): GpuProbe {
  const list = async () => (await graphics()).controllers.map(controllerToGpuInfo);
  return {
    name: 'systeminformation',
    list,
    processes: async () => [],
    watch: (intervalMs, onSample, onError) =>
      pollingWatch(list, intervalMs, onSample, onError, (last) =>
        last !== null && last.length === 0 ? SI_NO_GPU_INTERVAL_MS : Math.max(intervalMs, SI_MIN_INTERVAL_MS),
      ),
    setPowerLimit: async () => ({
      ok: false,
      reason: 'This GPU has no power control that Nocturne can use.',
    }),
  };
}
