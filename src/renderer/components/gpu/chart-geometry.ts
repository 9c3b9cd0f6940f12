import type { GpuHistory } from '../../../shared/schemas/gpu';

/**
 * The plot's own coordinate space. The SVG stretches it to whatever box CSS gives it
 * (preserveAspectRatio="none") and strokes do not scale, so lines stay crisp at any card width while
 * the axis text lives in HTML, where it never stretches.
 */
export const PLOT_WIDTH = 1000;
export const PLOT_HEIGHT = 100;

export interface Domain {
  min: number;
  max: number;
}

/**
 * How far apart two neighbouring points may be and still be joined: a few steps of the tier. A longer
 * silence (the computer was off, Nocturne was not running) breaks the line instead of drawing a
 * straight ramp across hours nothing was measured.
 */
export const MAX_GAP_MS: Record<GpuHistory['tier'], number> = {
  raw: 30_000,
  minute: 150_000,
  hour: 2.5 * 3_600_000,
};

/** Lowest and highest known value; null when every value is unknown. */
export function extent(values: readonly (number | null)[]): Domain | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v === null) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min === Infinity ? null : { min, max };
}

/** The smallest 1, 2 or 5 times a power of ten at or above `value`: 37 -> 50, 230 -> 500. */
export function niceCeil(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}

/** A domain that holds every value plus `margin`, rounded outwards to multiples of `step`. */
export function roundedDomain(values: readonly number[], margin: number, step: number): Domain {
  const lo = Math.min(...values) - margin;
  const hi = Math.max(...values) + margin;
  return { min: Math.floor(lo / step) * step, max: Math.ceil(hi / step) * step };
}

export const scaleX = (atMs: number, startMs: number, endMs: number): number =>
  ((atMs - startMs) / Math.max(1, endMs - startMs)) * PLOT_WIDTH;

export const scaleY = (value: number, domain: Domain): number => {
  const span = domain.max - domain.min || 1;
  const clamped = Math.min(domain.max, Math.max(domain.min, value));
  return PLOT_HEIGHT - ((clamped - domain.min) / span) * PLOT_HEIGHT;
};

const coord = (n: number) => String(Math.round(n * 10) / 10);

/**
 * An SVG path through the known values. An unknown value (null) or a silence longer than `maxGapMs`
 * ends the current run, so the line has a gap there: unknown is never drawn as 0. A run of one point
 * becomes a zero-length segment, which the round line cap shows as a dot.
 */
export function linePath(
  times: readonly number[],
  values: readonly (number | null)[],
  startMs: number,
  endMs: number,
  domain: Domain,
  maxGapMs: number,
): string {
  const parts: string[] = [];
  let previousMs: number | null = null;
  let runLength = 0;
  times.forEach((atMs, i) => {
    const value = values[i] ?? null;
    if (value === null || atMs < startMs) {
      previousMs = null;
      return;
    }
    const x = coord(scaleX(atMs, startMs, endMs));
    const y = coord(scaleY(value, domain));
    const continues = previousMs !== null && atMs - previousMs <= maxGapMs;
    if (!continues && runLength === 1) parts.push('h0');
    parts.push(`${continues ? 'L' : 'M'}${x} ${y}`);
    runLength = continues ? runLength + 1 : 1;
    previousMs = atMs;
  });
  if (runLength === 1) parts.push('h0');
  return parts.join(' ');
}
