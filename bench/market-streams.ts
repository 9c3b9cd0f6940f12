// Generated market streams for bench:market (evaluation seeds) and bench/market-tune.ts (training seeds).
// Each stream is two weeks of requests arriving around the clock (only those inside the owner's windows
// can be taken), from a seeded PRNG, so every run sees the same streams.
//
// What the requests look like: price per hour log-normal (median 0.40, sigma 0.55), a little lower for
// longer work; durations log-normal (median 1.2 h, sigma 0.8) between 5 minutes and 10 hours; electricity
// 0.30 per kWh unless the kind says otherwise; a 24 GiB card drawing 320 W; floor 0.08 per hour. Kinds:
//   quiet       about 0.6 requests an hour: the GPU is mostly idle, there is little to choose from
//   busy        about 5 an hour: always something waiting, one or two GPUs
//   mixed       each day quiet or busy at random (the engine cannot know which in advance)
//   bursts      1.5 an hour, and on most days a burst of 1-3 hours of short work at 2.5x the price
//   mixed-vram  a 24 GiB 350 W card and a 12 GiB 200 W one; requests from 4 to 40 GiB (some fit
//               neither), bigger ones paying more per hour
//   time-of-use a 450 W card on a time-of-use tariff (0.12 at night, 0.28 by day, 0.45 from 17 to 21),
//               for rent on weekday evenings and nights and all weekend, across a daylight-saving change
import type { MarketGpu, MarketRequest, MarketStream, Tariff } from '../src/main/pricing/market-stream';

export const STREAM_KINDS = ['quiet', 'busy', 'mixed', 'bursts', 'mixed-vram', 'time-of-use'] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAYS = 14;

/** mulberry32: small, fast, and the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Arrival instants of a Poisson process of `ratePerHour(t)` (at most `maxRate`) over [from, to). */
function arrivals(
  rand: () => number,
  from: number,
  to: number,
  maxRate: number,
  ratePerHour: (t: number) => number,
) {
  const out: number[] = [];
  for (let t = from; ;) {
    t += (-Math.log(Math.max(rand(), 1e-12)) / maxRate) * HOUR;
    if (t >= to) return out;
    if (rand() * maxRate < ratePerHour(t)) out.push(t);
  }
}

interface Work {
  durationSeconds: number;
  pricePerHour: number;
  vramMiB: number;
}

function ordinaryWork(rand: () => number, vramMiB = 8192, priceFactor = 1): Work {
  const hours = Math.min(10, Math.max(5 / 60, 1.2 * Math.exp(0.8 * normal(rand))));
  const price = 0.4 * priceFactor * Math.exp(0.55 * normal(rand) - 0.2 * Math.log(hours / 1.2));
  return { durationSeconds: Math.round(hours * 3600), pricePerHour: round(price, 4), vramMiB };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

const CARD: MarketGpu = { memoryTotalMiB: 24_576, powerW: 320 };
const NIGHTS = ['mon-sun 22:00-08:00'];

interface Plan {
  timezone: string;
  start: string;
  windows: string[];
  gpus: MarketGpu[];
  tariff: Tariff;
  /** The requests of one day (from `dayStart`, 24 hours). */
  day(rand: () => number, dayStart: number): Array<{ at: number; work: Work }>;
}

const steady =
  (rate: number, vram?: (rand: () => number) => { vramMiB: number; priceFactor: number }) =>
  (rand: () => number, dayStart: number) =>
    arrivals(rand, dayStart, dayStart + DAY, rate, () => rate).map((at) => {
      const v = vram?.(rand);
      return { at, work: ordinaryWork(rand, v?.vramMiB, v?.priceFactor) };
    });

function plan(kind: StreamKind, rand: () => number): Plan {
  const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
  const base = {
    timezone: zones[Math.floor(rand() * zones.length)]!,
    start: ['2025-03-24', '2025-06-02', '2025-10-27'][Math.floor(rand() * 3)]!,
    windows: NIGHTS,
    gpus: [CARD],
    tariff: 0.3 as Tariff,
  };
  switch (kind) {
    case 'quiet':
      return { ...base, day: steady(0.6 * Math.exp(0.3 * normal(rand))) };
    case 'busy':
      return {
        ...base,
        gpus: rand() < 0.5 ? [CARD] : [CARD, CARD],
        day: (r, d) => steady(5 * Math.exp(0.2 * normal(r)))(r, d),
      };
    case 'mixed':
      return { ...base, day: (r, d) => steady(r() < 0.5 ? 0.6 : 5)(r, d) };
    case 'bursts':
      return {
        ...base,
        day: (r, dayStart) => {
          const requests = steady(1.5)(r, dayStart);
          if (r() < 0.7) {
            const from = dayStart + r() * DAY;
            const to = from + (1 + 2 * r()) * HOUR;
            for (const at of arrivals(r, from, to, 8, () => 8)) {
              const work = ordinaryWork(r, 8192, 2.5);
              work.durationSeconds = Math.round(Math.min(work.durationSeconds, (0.2 + 0.6 * r()) * 3600));
              requests.push({ at, work });
            }
          }
          return requests;
        },
      };
    case 'mixed-vram': {
      const sizes = [
        [4096, 0.35],
        [8192, 0.25],
        [16_384, 0.2],
        [24_576, 0.1],
        [40_960, 0.1],
      ] as const;
      return {
        ...base,
        gpus: [
          { memoryTotalMiB: 24_576, powerW: 350 },
          { memoryTotalMiB: 12_288, powerW: 200 },
        ],
        day: steady(4, (r) => {
          let u = r();
          const size = sizes.find(([, p]) => (u -= p) < 0)?.[0] ?? 4096;
          return { vramMiB: size, priceFactor: 0.7 + (0.8 * size) / 24_576 };
        }),
      };
    }
    case 'time-of-use':
      return {
        ...base,
        timezone: 'Europe/Berlin',
        start: rand() < 0.5 ? '2025-03-24' : '2025-10-20',
        windows: ['mon-fri 17:00-09:00', 'sat,sun 00:00-24:00'],
        gpus: [{ memoryTotalMiB: 24_576, powerW: 450 }],
        tariff: Array.from({ length: 24 }, (_, h) => (h < 6 ? 0.12 : h < 17 ? 0.28 : h < 21 ? 0.45 : 0.28)),
        day: steady(2.5),
      };
  }
}

export function generateStream(kind: StreamKind, seed: number): MarketStream {
  const rand = prng(seed * 7919 + STREAM_KINDS.indexOf(kind) * 104_729);
  const p = plan(kind, rand);
  // Midnight UTC of the start date; the days are UTC days (demand does not follow the owner's clock).
  const start = Date.parse(`${p.start}T00:00:00Z`);
  const timed: Array<{ at: number; work: Work }> = [];
  for (let d = 0; d < DAYS; d++) timed.push(...p.day(rand, start + d * DAY));
  timed.sort((a, b) => a.at - b.at);
  const requests: MarketRequest[] = timed.map(({ at, work }, i) => ({
    id: `r${i}`,
    arrivalMs: Math.round(at / 1000) * 1000,
    ...work,
  }));
  return {
    timezone: p.timezone,
    windows: p.windows,
    gpus: p.gpus,
    electricityPerKWh: p.tariff,
    floorPerHour: 0.08,
    requests,
  };
}

/** The same stream as a STREAM.json document (ISO arrivals), for `nocturne market replay`. */
export function streamDocument(stream: MarketStream): unknown {
  return {
    ...stream,
    requests: stream.requests.map(({ arrivalMs, ...r }) => ({
      id: r.id,
      arrival: new Date(arrivalMs).toISOString(),
      durationSeconds: r.durationSeconds,
      pricePerHour: r.pricePerHour,
      vramMiB: r.vramMiB,
    })),
  };
}
