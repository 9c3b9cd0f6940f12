import { niceCeil } from '../gpu/chart-geometry';

/** The chart's own coordinate space (the SVG stretches it; text lives in HTML). */
export const BAR_PLOT_WIDTH = 1000;
export const BAR_PLOT_HEIGHT = 100;

export interface DayBars {
  date: string;
  /** Each day's slot: the earnings bar on the left half, the electricity bar on the right. */
  x: number;
  width: number;
  earned: { y: number; height: number };
  cost: { y: number; height: number };
}

/**
 * Two bars a day on one scale from 0 to a round maximum (1, 2 or 5 times a power of ten). A day of
 * nothing has no bar, not a sliver: 0 is drawn as 0.
 */
export function dayBars(days: readonly { date: string; earned: number; energyCost: number }[]): {
  max: number;
  bars: DayBars[];
} {
  const top = Math.max(0, ...days.flatMap((d) => [d.earned, d.energyCost]));
  const max = top > 0 ? niceCeil(top) : 1;
  const slot = BAR_PLOT_WIDTH / Math.max(1, days.length);
  const gap = slot * 0.2;
  const width = (slot - gap) / 2;
  const bar = (value: number) => {
    const height = (Math.max(0, value) / max) * BAR_PLOT_HEIGHT;
    return { y: BAR_PLOT_HEIGHT - height, height };
  };
  return {
    max,
    bars: days.map((d, i) => ({
      date: d.date,
      x: i * slot + gap / 2,
      width,
      earned: bar(d.earned),
      cost: bar(d.energyCost),
    })),
  };
}
