import type { HistoryRange } from '../../../shared/schemas/gpu';
import { RANGE_MS, type GpuHistoryData } from '../../hooks/use-gpu-history';
import { MAX_GAP_MS, extent, niceCeil, roundedDomain, type Domain } from './chart-geometry';
import type { ChartSeries, LineChartProps } from './line-chart';
import { toDisplayUnit, unitLetter, unitSymbol, type TemperatureUnit } from './temperature';

const RANGE_WORDS: Record<HistoryRange, string> = {
  hour: 'the last hour',
  day: 'the last day',
  month: 'the last month',
};

const TIME_TICKS: Record<HistoryRange, readonly [string, string, string]> = {
  hour: ['60 min ago', '30 min ago', 'now'],
  day: ['24 h ago', '12 h ago', 'now'],
  month: ['30 days ago', '15 days ago', 'now'],
};

export interface ChartContext {
  unit: TemperatureUnit;
  temperatureLimitC: number;
  powerCapW: number | null;
}

/** The three charts of one card: temperature (with its limit), power and utilization. */
export function historyCharts(data: GpuHistoryData, context: ChartContext): LineChartProps[] {
  const endMs = data.endMs;
  const shared = {
    times: data.points.map((p) => p.atMs),
    startMs: endMs - RANGE_MS[data.range],
    endMs,
    maxGapMs: MAX_GAP_MS[data.tier],
    timeTicks: TIME_TICKS[data.range],
  };
  return [temperatureChart(data, context), powerChart(data, context), utilizationChart(data)].map(
    (chart) => ({
      ...shared,
      ...chart,
    }),
  );
}

type ChartParts = Pick<
  LineChartProps,
  'title' | 'ariaLabel' | 'summary' | 'domain' | 'formatTick' | 'series' | 'threshold'
>;

function temperatureChart(data: GpuHistoryData, { unit, temperatureLimitC }: ChartContext): ChartParts {
  const inUnit = (c: number | null) => (c === null ? null : toDisplayUnit(c, unit));
  const average = data.points.map((p) => inUnit(p.temperatureC));
  const peak = data.points.map((p) => inUnit(p.temperatureMaxC));
  // Averaged tiers hide short spikes, and spikes are what the guard reacts to: show the peak as well.
  const showPeak = data.tier !== 'raw' && peak.some((v, i) => v !== null && v - (average[i] ?? v) >= 0.5);
  const series: ChartSeries[] = [{ label: 'Temperature', tone: 'temperature', values: average }];
  if (showPeak) series.push({ label: 'Peak', tone: 'peak', values: peak });

  const limit = toDisplayUnit(temperatureLimitC, unit);
  const known = [...average, ...(showPeak ? peak : [])].filter((v): v is number => v !== null);
  const symbol = unitSymbol(unit);
  return {
    title: 'Temperature',
    series,
    threshold: { value: limit, label: `Limit ${Math.round(limit)} ${symbol}` },
    domain: roundedDomain([...known, limit], 5, 10),
    formatTick: (v) => `${Math.round(v)} ${symbol}`,
    ...describe('Temperature', data.range, known, average, symbol, unitLetter(unit)),
  };
}

function powerChart(data: GpuHistoryData, { powerCapW }: ChartContext): ChartParts {
  const values = data.points.map((p) => p.powerW);
  const known = values.filter((v): v is number => v !== null);
  const top = Math.max(10, powerCapW ?? 0, ...known);
  return {
    title: 'Power',
    series: [{ label: 'Power', tone: 'power', values }],
    ...(powerCapW === null ? {} : { threshold: { value: powerCapW, label: `Cap ${powerCapW} W` } }),
    domain: { min: 0, max: niceCeil(top) },
    formatTick: (v) => `${Math.round(v)} W`,
    ...describe('Power', data.range, known, values, 'W', 'W'),
  };
}

function utilizationChart(data: GpuHistoryData): ChartParts {
  const values = data.points.map((p) => p.utilizationPct);
  const known = values.filter((v): v is number => v !== null);
  const domain: Domain = { min: 0, max: Math.max(100, niceCeil(Math.max(0, ...known))) };
  return {
    title: 'Utilization',
    series: [{ label: 'Utilization', tone: 'utilization', values }],
    domain,
    formatTick: (v) => `${Math.round(v)} %`,
    ...describe('Utilization', data.range, known, values, '%', '%'),
  };
}

/** The visible min/max line and the plot's accessible name, from the same numbers. */
function describe(
  what: string,
  range: HistoryRange,
  known: readonly number[],
  series: readonly (number | null)[],
  symbol: string,
  spokenUnit: string,
): Pick<LineChartProps, 'ariaLabel' | 'summary'> {
  const span = extent(known);
  const over = `${what} over ${RANGE_WORDS[range]}`;
  if (!span) return { ariaLabel: `${over}: no readings`, summary: 'No readings in this range' };
  const latest = series.findLast((v) => v !== null) ?? null;
  const round = (v: number) => Math.round(v);
  const parts = [`Min ${round(span.min)} ${symbol}`, `Max ${round(span.max)} ${symbol}`];
  if (latest !== null) parts.push(`Latest ${round(latest)} ${symbol}`);
  return {
    ariaLabel: `${over}: ${round(span.min)}–${round(span.max)} ${spokenUnit}`,
    summary: parts.join(' · '),
  };
}
