import type { Tariff } from '../pricing/market-stream';
import { pricePerKWhAt } from '../pricing/tariff';
import { QUARTER_MS } from './quarters';
import type { Interval } from './running-intervals';

/**
 * A rental's electricity, pure: the GPU's power over each running span, cut at UTC quarter-hours (the
 * unit the earnings are summed in). A quarter-hour lies inside one local hour in every zone, so a
 * time-of-use tariff prices each piece at one price.
 */

export interface PoweredInterval extends Interval {
  watts: number;
}

export interface EnergyQuarter {
  quarter: number;
  kwh: number;
  cost: number;
}

export interface Energy {
  quarters: EnergyQuarter[];
  kwh: number;
  cost: number;
  /** Average power over the running time (0 when it never ran). */
  averageW: number;
}

export function energyOf(intervals: readonly PoweredInterval[], tariff: Tariff, zone: string): Energy {
  const byQuarter = new Map<number, EnergyQuarter>();
  let kwh = 0;
  let cost = 0;
  let runMs = 0;
  for (const { fromMs, toMs, watts } of intervals) {
    if (!(toMs > fromMs) || !(watts >= 0)) continue;
    runMs += toMs - fromMs;
    for (let t = fromMs; t < toMs;) {
      const quarter = Math.floor(t / QUARTER_MS);
      const end = Math.min(toMs, (quarter + 1) * QUARTER_MS);
      const pieceKwh = (watts / 1000) * ((end - t) / 3_600_000);
      const pieceCost = pieceKwh * pricePerKWhAt(tariff, zone, t);
      const entry = byQuarter.get(quarter) ?? { quarter, kwh: 0, cost: 0 };
      entry.kwh += pieceKwh;
      entry.cost += pieceCost;
      byQuarter.set(quarter, entry);
      kwh += pieceKwh;
      cost += pieceCost;
      t = end;
    }
  }
  return {
    quarters: [...byQuarter.values()].sort((a, b) => a.quarter - b.quarter),
    kwh,
    cost,
    averageW: runMs > 0 ? (kwh * 1000) / (runMs / 3_600_000) : 0,
  };
}

/** The mean of the power readings that have one; null without any. */
export function averagePower(points: readonly { powerW: number | null }[]): number | null {
  let sum = 0;
  let n = 0;
  for (const p of points)
    if (p.powerW !== null && Number.isFinite(p.powerW) && p.powerW >= 0) {
      sum += p.powerW;
      n++;
    }
  return n > 0 ? sum / n : null;
}
