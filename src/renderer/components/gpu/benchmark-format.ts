import type { GpuView } from '../../../shared/schemas/gpu';
import { formatOwnerTime } from '../../format/owner-time';

export type GpuPeakView = NonNullable<GpuView['peak']>;

// Numbers in the same en-US style as the live readings; only the date follows the owner's locale.
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const threeDigits = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
// Spec sheets give one or two decimals ("35.6 TFLOPS", "82.58 TFLOPS"): show them as printed.
const specFigure = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/**
 * Large rates as whole numbers, small ones (a software adapter manages a few GFLOP/s) with three
 * significant digits, so neither shows spurious precision nor rounds down to 0.
 */
export function formatRate(value: number): string {
  return value >= 100 ? whole.format(value) : threeDigits.format(value);
}

export const formatGflops = (gflops: number): string => `${formatRate(gflops)} GFLOP/s`;
export const formatGbPerSecond = (gbPerSecond: number): string => `${formatRate(gbPerSecond)} GB/s`;
export const formatTflops = (tflops: number): string => `${specFigure.format(tflops)} TFLOPS`;
export const formatPeakGbPerSecond = (gbPerSecond: number): string =>
  `${specFigure.format(gbPerSecond)} GB/s`;

/** "34.7 %": measured as a share of the peak, both in the same unit. */
export function formatShare(measured: number, peak: number): string {
  return `${oneDecimal.format((measured / peak) * 100)} %`;
}

/** "256 MiB": the copied buffer's size, in the binary units buffers are sized in. */
export function formatBytes(bytes: number): string {
  const mib = bytes / 1024 ** 2;
  if (mib >= 1024) return `${threeDigits.format(mib / 1024)} GiB`;
  if (mib >= 1) return `${threeDigits.format(mib)} MiB`;
  return `${threeDigits.format(bytes / 1024)} KiB`;
}

/** When the run was stored, in the owner's own locale and time zone. */
export function formatMeasuredAt(iso: string, zone?: string): string {
  return formatOwnerTime(iso, zone, 'when');
}

/** The sentence after "of": "35.6 TFLOPS peak (NVIDIA GeForce RTX 3090 spec sheet)". */
export const peakSource = (peak: GpuPeakView, figure: string): string =>
  `${figure} peak (${peak.cardName} spec sheet)`;
