import type { GpuInfo, GpuVendor } from '../../../shared/schemas/gpu';

export type GpuInfoFields = Omit<GpuInfo, 'id' | 'vendor' | 'name'> & { name: string | null };

/**
 * Fills in the two derived fields every parser needs the same way. `position` is the GPU's place in the
 * tool's output: it stands in for the index in the id when the tool was not asked for one, since
 * nvidia-smi and rocm-smi both list GPUs in index order.
 */
export function buildGpuInfo(vendor: GpuVendor, fields: GpuInfoFields, position: number): GpuInfo {
  const id = fields.uuid ?? fields.busId ?? `${vendor}:${fields.index ?? position}`;
  const name = fields.name ?? `${VENDOR_LABEL[vendor]} GPU ${fields.index ?? position}`;
  return { id, vendor, ...fields, name };
}

const VENDOR_LABEL: Record<GpuVendor, string> = {
  nvidia: 'NVIDIA',
  amd: 'AMD',
  intel: 'Intel',
  apple: 'Apple',
  other: 'Unknown',
};

/** Every measured field null: the starting point for tools that report only some of them. */
export function unreportedFields(): GpuInfoFields {
  return {
    name: null,
    busId: null,
    uuid: null,
    index: null,
    driverVersion: null,
    memoryTotalMiB: null,
    memoryUsedMiB: null,
    temperatureC: null,
    powerDrawW: null,
    powerLimitW: null,
    utilizationPct: null,
    fanPct: null,
  };
}
