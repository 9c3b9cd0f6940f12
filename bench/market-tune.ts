// How the admission engine's parameters were chosen: on training streams, generated like bench:market's
// but from other seeds (101 and up; bench:market reports seeds 1 to 6), never on the streams the bench
// reports. Run: node scripts/run-ts.js bench/market-tune.ts [seeds per kind, default 8]
// It varies one parameter at a time around the defaults and prints, for each value, the engine's net
// against greedy's (mean and worst stream) and against the optimum's, and the same for a fixed
// threshold on net per hour (the best such threshold, for comparison).
import {
  DEFAULT_ENGINE_PARAMS,
  admissionEngine,
  type EngineParams,
} from '../src/main/pricing/admission-engine';
import { bestFitGpu, feasibleGpus, MarketContext } from '../src/main/pricing/feasibility';
import type { MarketStream } from '../src/main/pricing/market-stream';
import { runPolicy } from '../src/main/pricing/policies';
import { replayOnline, summarize, type OnlinePolicy } from '../src/main/pricing/replay';
import { generateStream, STREAM_KINDS } from './market-streams';

const perKind = Number(process.argv[2] ?? 8);
const cases: Array<{
  kind: string;
  stream: MarketStream;
  context: MarketContext;
  greedy: number;
  optimum: number;
}> = [];
for (const kind of STREAM_KINDS)
  for (let seed = 101; seed < 101 + perKind; seed++) {
    const stream = generateStream(kind, seed);
    const context = new MarketContext(stream);
    cases.push({
      kind,
      stream,
      context,
      greedy: runPolicy(stream, 'greedy', context).summary.net,
      optimum: runPolicy(stream, 'optimum', context).summary.net,
    });
  }

function score(make: (context: MarketContext) => OnlinePolicy) {
  const vsGreedy: number[] = [];
  const vsOptimum: number[] = [];
  for (const c of cases) {
    const net = summarize(c.context, replayOnline(c.stream, make, c.context)).net;
    vsGreedy.push(c.greedy > 0 ? net / c.greedy : 1);
    vsOptimum.push(c.optimum > 0 ? net / c.optimum : 1);
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return `x greedy ${mean(vsGreedy).toFixed(3)} (worst ${Math.min(...vsGreedy).toFixed(3)})   x optimum ${mean(vsOptimum).toFixed(3)}`;
}

const grid: { [K in keyof EngineParams]?: number[] } = {
  opportunityWeight: [0.7, 0.85, 0.95, 1, 1.05, 1.15],
  windowPriorArrivals: [1, 3, 8],
  levelHours: [3, 6, 12],
  hourPriorHours: [2, 6, 20],
  maxSamples: [150, 400, 1000],
  minSamples: [10, 20, 40],
  minExposureHours: [0, 8, 24],
  stepMinutes: [2, 5, 10],
};
const only = process.env.TUNE_ONLY?.split(',');
console.log(`${cases.length} training streams; defaults: ${score((c) => admissionEngine(c))}`);
for (const [name, values] of Object.entries(grid)) {
  if (only && !only.includes(name)) continue;
  for (const value of values!) {
    const t0 = performance.now();
    const line = score((c) => admissionEngine(c, { [name]: value }));
    const mark = DEFAULT_ENGINE_PARAMS[name as keyof EngineParams] === value ? ' (default)' : '';
    console.log(`${name} = ${value}${mark}: ${line}   ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

// For comparison: one fixed threshold on net per hour, the best one found on these same streams.
if (!only) {
  const fixed =
    (threshold: number) =>
    (context: MarketContext): OnlinePolicy => ({
      decide(a, busyUntil) {
        const hours = (a.endMs - a.startMs) / 3_600_000;
        const ok = feasibleGpus(a, busyUntil).filter((g) => a.net[g]! > 0 && a.net[g]! / hours >= threshold);
        return bestFitGpu(a, ok, context.setup.gpus);
      },
    });
  for (const threshold of [0.2, 0.3, 0.4, 0.5, 0.6])
    console.log(`fixed threshold ${threshold}/h: ${score(fixed(threshold))}`);
}
