import type { MarketContext } from './feasibility';
import type { MarketRequest } from './market-stream';
import { forEachLocalHour } from './tariff';

/**
 * What the requests seen so far say about the demand to come: the work itself (a sample of recent
 * requests: duration, price, memory) and how often it arrives, per local hour of the day, scaled by how
 * busy the current window has been in its last hours (its level). Only requests that arrived inside a
 * window, at or above the floor, and that some GPU could hold count: the rest could never be taken.
 */

const HOUR = 3_600_000;

export interface DemandSample {
  arrivalMs: number;
  durationMs: number;
  pricePerHour: number;
  vramMiB: number;
}

export interface DemandParams {
  /** The most recent requests kept as the sample of what work looks like. */
  maxSamples: number;
  /** Prior weight, in hours of exposure, pulling an hour of the day's rate toward the overall rate. */
  hourPriorHours: number;
  /** Prior weight, in arrivals, pulling the current window's level toward 1 (an ordinary window). */
  windowPriorArrivals: number;
  /** The level looks back this far into the current window. */
  levelHours: number;
}

/**
 * What a DemandModel has learnt, as plain data: kept by the provider across restarts
 * (demand-tracker.ts) and handed to the quote decision. Instants are ms since the epoch; NaN never
 * appears (null before the first request).
 */
export interface DemandState {
  v: 1;
  samples: DemandSample[];
  /** Relevant arrivals per local hour of the day (24 numbers). */
  arrivals: number[];
  /** Window time observed per local hour of the day, ms (24 numbers). */
  exposure: number[];
  firstSeen: number | null;
  observedUntil: number | null;
  /** Arrival instants of the relevant requests of the last levelHours. */
  recent: number[];
}

export const EMPTY_DEMAND: DemandState = {
  v: 1,
  samples: [],
  arrivals: Array.from({ length: 24 }, () => 0),
  exposure: Array.from({ length: 24 }, () => 0),
  firstSeen: null,
  observedUntil: null,
  recent: [],
};

export class DemandModel {
  readonly samples: DemandSample[] = [];
  /** Relevant arrivals and window time observed (ms), per local hour of the day. */
  private readonly arrivals = new Float64Array(24);
  private readonly exposure = new Float64Array(24);
  private firstSeen = Number.NaN;
  private observedUntil = Number.NaN;
  /** Arrival instants of the relevant requests of the last levelHours, oldest first. */
  private recent: number[] = [];

  constructor(
    private readonly context: MarketContext,
    private readonly params: DemandParams,
    state?: DemandState,
  ) {
    if (!state) return;
    this.samples.push(...state.samples.slice(-params.maxSamples).map((s) => ({ ...s })));
    this.arrivals.set(state.arrivals.slice(0, 24));
    this.exposure.set(state.exposure.slice(0, 24));
    this.firstSeen = state.firstSeen ?? Number.NaN;
    this.observedUntil = state.observedUntil ?? Number.NaN;
    this.recent = [...state.recent];
  }

  /** What has been learnt, as plain data (a copy). */
  snapshot(): DemandState {
    const instant = (ms: number) => (Number.isNaN(ms) ? null : ms);
    return {
      v: 1,
      samples: this.samples.map((s) => ({ ...s })),
      arrivals: Array.from(this.arrivals),
      exposure: Array.from(this.exposure),
      firstSeen: instant(this.firstSeen),
      observedUntil: instant(this.observedUntil),
      recent: [...this.recent],
    };
  }

  /**
   * Nothing was watched until `instantMs` (the provider was offline, or the app closed): that time counts
   * as no exposure, rather than as hours in which no request came.
   */
  resumeAt(instantMs: number): void {
    if (Number.isNaN(this.observedUntil) || instantMs <= this.observedUntil) return;
    this.observedUntil = instantMs;
  }

  get sampleCount(): number {
    return this.samples.length;
  }

  /** Window time observed so far, hours. */
  get exposureHours(): number {
    return this.exposure.reduce((s, x) => s + x, 0) / HOUR;
  }

  /**
   * Counts the window time up to `instantMs` as watched (by local hour), with no request in it: between
   * two arrivals, and up to the moment the provider stops listening.
   */
  advanceTo(instantMs: number): void {
    if (Number.isNaN(this.observedUntil) || instantMs <= this.observedUntil) return;
    for (const piece of this.context.calendar.between(this.observedUntil, instantMs))
      forEachLocalHour(this.context.setup.timezone, piece.start, piece.end, (hour, from, to) => {
        this.exposure[hour] = this.exposure[hour]! + (to - from);
      });
    this.observedUntil = instantMs;
  }

  /** Records a request at its arrival (requests come in order of arrival). */
  observe(request: MarketRequest): void {
    const t = request.arrivalMs;
    const { calendar, setup } = this.context;
    if (Number.isNaN(this.firstSeen)) this.firstSeen = this.observedUntil = t;
    this.advanceTo(t);
    const window = calendar.windowAt(t, 0);
    const largest = Math.max(...setup.gpus.map((g) => g.memoryTotalMiB));
    const relevant =
      window !== null && request.pricePerHour >= setup.floorPerHour && request.vramMiB <= largest;
    if (!relevant) return;
    const hour = this.localHour(t);
    this.arrivals[hour] = this.arrivals[hour]! + 1;
    this.recent.push(t);
    const horizon = t - this.params.levelHours * HOUR;
    let drop = 0;
    while (drop < this.recent.length && this.recent[drop]! < horizon) drop++;
    if (drop > 0) this.recent = this.recent.slice(drop);
    this.samples.push({
      arrivalMs: t,
      durationMs: request.durationSeconds * 1000,
      pricePerHour: request.pricePerHour,
      vramMiB: request.vramMiB,
    });
    if (this.samples.length > this.params.maxSamples) this.samples.shift();
  }

  /** Relevant arrivals per hour to expect at each local hour of the day in the window holding `nowMs`. */
  ratesByHour(nowMs: number): Float64Array {
    const totalArrivals = this.arrivals.reduce((s, x) => s + x, 0);
    const totalHours = this.exposureHours;
    const overall = totalHours > 0 ? totalArrivals / totalHours : 0;
    const prior = this.params.hourPriorHours;
    const rates = new Float64Array(24);
    for (let h = 0; h < 24; h++)
      rates[h] = (this.arrivals[h]! + prior * overall) / (this.exposure[h]! / HOUR + prior);
    // The level: arrivals in the current window's last hours against what the hourly rates expected.
    // The window is watched since its start, the first arrival seen, or levelHours ago, the latest.
    const window = this.context.calendar.windowAt(nowMs, 0);
    const since = Math.max(window?.start ?? nowMs, this.firstSeen, nowMs - this.params.levelHours * HOUR);
    let expected = 0;
    if (nowMs > since)
      forEachLocalHour(this.context.setup.timezone, since, nowMs, (hour, from, to) => {
        expected += (rates[hour]! * (to - from)) / HOUR;
      });
    // Arrivals before nowMs only: the one at nowMs is the request being decided, not evidence.
    let seen = 0;
    for (const at of this.recent) if (at >= since && at < nowMs) seen++;
    const alpha = this.params.windowPriorArrivals;
    const level = (seen + alpha) / (expected + alpha);
    for (let h = 0; h < 24; h++) rates[h] = rates[h]! * level;
    return rates;
  }

  localHour(instantMs: number): number {
    let hour = 0;
    forEachLocalHour(this.context.setup.timezone, instantMs, instantMs + 1, (h) => (hour = h));
    return hour;
  }
}
