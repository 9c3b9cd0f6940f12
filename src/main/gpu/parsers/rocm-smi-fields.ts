import type { GpuInfo } from '../../../shared/schemas/gpu';
import { buildGpuInfo } from './build-gpu-info';
import { bytesToMiB, normalizeBusId, parseMeasure, reportedText } from './tool-values';

/**
 * rocm-smi's per-card key/value pairs (from --json, or from the `GPU[n] : key: value` text report) to a
 * GpuInfo. Keys are matched case-insensitively: rocm-smi has changed their case across releases
 * ("(c)" in 2019, "(C)" now; "Fan Speed" vs "Fan speed"; "Card series" vs "Card Series").
 */
export function rocmFieldsToGpuInfo(
  fields: Readonly<Record<string, string>>,
  index: number,
  driverVersion: string | null,
): GpuInfo {
  const byKey = new Map<string, string>();
  for (const [key, value] of Object.entries(fields)) byKey.set(key.trim().toLowerCase(), value);
  // The first key the card reports with a real value: the same quantity has had several names.
  const pick = (...keys: string[]): string | null => {
    for (const key of keys) {
      const value = reportedText(byKey.get(key));
      if (value !== null) return value;
    }
    return null;
  };
  const measure = (label: string, ...keys: string[]) => parseMeasure(pick(...keys), label);

  return buildGpuInfo(
    'amd',
    {
      name: pick('card series', 'marketing name', 'device name', 'card model'),
      busId: normalizeBusId(pick('pci bus')),
      uuid: pick('unique id'),
      index,
      driverVersion: pick('driver version') ?? driverVersion,
      // VRAM is in bytes. The "GPU memory available"/"GPU memory use" pair comes from a patched rocm-smi
      // (ROCm/rocm_smi_lib#120); there "available" is the card's total: 17163091968 B on a 16 GB RX 6800.
      memoryTotalMiB: bytesToMiB(measure('VRAM total', 'vram total memory (b)', 'gpu memory available')),
      memoryUsedMiB: bytesToMiB(measure('VRAM used', 'vram total used memory (b)', 'gpu memory use')),
      // Edge is the sensor closest to what nvidia-smi calls the GPU temperature; datacenter parts
      // (MI300X) have no edge sensor and report only junction/hotspot.
      temperatureC: measure(
        'temperature',
        'temperature (sensor edge) (c)',
        'temperature_edge (c)',
        'temperature (sensor junction) (c)',
        'temperature_hotspot (c)',
      ),
      powerDrawW: measure(
        'power draw',
        'current socket graphics package power (w)',
        'average graphics package power (w)',
        'current_socket_power (w)',
        'average_socket_power (w)',
      ),
      powerLimitW: measure('power limit', 'max graphics package power (w)'),
      utilizationPct: measure('GPU use', 'gpu use (%)', 'average_gfx_activity (%)'),
      fanPct: measure('fan speed', 'fan speed (%)'),
    },
    index,
  );
}
