import type { GpuInfo, GpuVendor } from '../../../shared/schemas/gpu';

/** What every unknown reading shows: the tool said [N/A] or nothing, which is not 0. */
export const UNKNOWN = '—';

const VENDOR_NAMES: Record<GpuVendor, string> = {
  nvidia: 'NVIDIA',
  amd: 'AMD',
  intel: 'Intel',
  apple: 'Apple',
  other: 'Other',
};

export const vendorName = (vendor: GpuVendor): string => VENDOR_NAMES[vendor];

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** "118 W of 350 W"; the limit is left out when unknown, and an unknown draw still shows its limit. */
export function formatPower(info: Pick<GpuInfo, 'powerDrawW' | 'powerLimitW'>): string {
  const draw = info.powerDrawW === null ? UNKNOWN : `${whole.format(info.powerDrawW)} W`;
  return info.powerLimitW === null ? draw : `${draw} of ${whole.format(info.powerLimitW)} W`;
}

export function formatPercent(value: number | null): string {
  return value === null ? UNKNOWN : `${whole.format(value)} %`;
}

/** "22.8 of 24.0 GiB": GiB because that is how cards are sold; either side may be unknown. */
export function formatMemory(info: Pick<GpuInfo, 'memoryUsedMiB' | 'memoryTotalMiB'>): string {
  const gib = (mib: number | null) => (mib === null ? UNKNOWN : oneDecimal.format(mib / 1024));
  if (info.memoryUsedMiB === null && info.memoryTotalMiB === null) return UNKNOWN;
  return `${gib(info.memoryUsedMiB)} of ${gib(info.memoryTotalMiB)} GiB`;
}
