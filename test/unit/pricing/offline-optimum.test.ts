import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MarketContext } from '../../../src/main/pricing/feasibility';
import type { MarketStream } from '../../../src/main/pricing/market-stream';
import { intervalFlow, intervalScheduling, offlineOptimum } from '../../../src/main/pricing/offline-optimum';
import type { Assignment } from '../../../src/main/pricing/replay';
import { smallStream } from '../../fakes/market-streams';

/** Every way of putting each request on a GPU or nowhere; the best net. */
function bruteForce(stream: MarketStream): number {
  const context = new MarketContext(stream);
  const assessed = stream.requests.map((r) => context.assess(r));
  let best = 0;
  const busy = stream.gpus.map(() => Number.NEGATIVE_INFINITY);
  const visit = (i: number, net: number) => {
    if (i === assessed.length) {
      best = Math.max(best, net);
      return;
    }
    visit(i + 1, net);
    const a = assessed[i]!;
    for (let g = 0; g < busy.length; g++) {
      if (!a.eligible[g] || busy[g]! > a.startMs) continue;
      const before = busy[g]!;
      busy[g] = a.endMs;
      visit(i + 1, net + a.net[g]!);
      busy[g] = before;
    }
  };
  visit(0, 0);
  return best;
}

/** The schedule is one a GPU could run: eligible, no overlaps on a GPU; returns its net. */
function checkSchedule(stream: MarketStream, assignments: Assignment[]): number {
  const context = new MarketContext(stream);
  const byGpu = new Map<number, Array<[number, number]>>();
  let net = 0;
  for (const { request, gpu } of assignments) {
    const a = context.assess(request);
    expect(a.eligible[gpu], `${request.id} on GPU ${gpu}`).toBe(true);
    byGpu.set(gpu, [...(byGpu.get(gpu) ?? []), [a.startMs, a.endMs]]);
    net += a.net[gpu]!;
  }
  for (const runs of byGpu.values()) {
    runs.sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < runs.length; i++) expect(runs[i]![0]).toBeGreaterThanOrEqual(runs[i - 1]![1]);
  }
  return net;
}

describe('weighted interval scheduling', () => {
  it('picks the best disjoint set by hand', () => {
    // 0-3 (5), 1-4 (1)... the classic: a long job worth less than the two it overlaps.
    const jobs = [
      { start: 0, end: 10, w: 7 },
      { start: 0, end: 4, w: 4 },
      { start: 4, end: 10, w: 4 },
      { start: 9, end: 12, w: 2 },
    ];
    expect(intervalScheduling(jobs).sort()).toEqual([1, 2]);
    // Touching ends do not overlap.
    expect(
      intervalScheduling([
        { start: 0, end: 5, w: 1 },
        { start: 5, end: 6, w: 1 },
      ]),
    ).toEqual([0, 1]);
  });

  it('runs k machines with a min-cost flow', () => {
    const jobs = [
      { start: 0, end: 10, w: 7 },
      { start: 0, end: 4, w: 4 },
      { start: 4, end: 10, w: 4 },
      { start: 2, end: 6, w: 3 },
    ];
    // Two machines: 7 on one, 4 + 4 on the other.
    expect(intervalFlow(jobs, 2).sort()).toEqual([0, 1, 2]);
    expect(intervalFlow(jobs, 1).sort()).toEqual([1, 2]);
    expect(intervalFlow(jobs, 3).sort()).toEqual([0, 1, 2, 3]);
  });
});

describe('offline optimum', () => {
  it('holds one GPU for the two better jobs rather than the long one (hand-checked)', () => {
    const stream = smallStream([
      { at: 1, hours: 6, price: 1 }, // 6
      { at: 2, hours: 2, price: 2.5 }, // 5
      { at: 4, hours: 3, price: 1.5 }, // 4.5
    ]);
    const result = offlineOptimum(stream, new MarketContext(stream));
    expect(result.method).toBe('interval-scheduling');
    expect(result.exact).toBe(true);
    expect(result.net).toBeCloseTo(9.5, 9);
    expect(result.assignments.map((a) => a.request.id)).toEqual(['r1', 'r2']);
  });

  it('leaves out requests that do not pay their electricity, and uses the cheaper card', () => {
    const stream = smallStream(
      [
        { at: 1, hours: 2, price: 0.1 }, // electricity 0.2/h on the 1 kW card, 0.1/h on the 0.5 kW one
        { at: 1, hours: 2, price: 0.5, vram: 20_000 }, // only the big card
      ],
      {
        gpus: [
          { memoryTotalMiB: 24_576, powerW: 1000 },
          { memoryTotalMiB: 12_288, powerW: 500 },
        ],
        electricityPerKWh: 0.2,
      },
    );
    const result = offlineOptimum(stream, new MarketContext(stream));
    expect(result.method).toBe('gpu-state-dp');
    // r1 on the big card: (0.5 - 0.2) x 2 = 0.6; r0 nets 0 on the small card (0.1 - 0.1), so it is left out.
    expect(result.net).toBeCloseTo(0.6, 9);
    expect(result.assignments).toEqual([{ request: stream.requests[1], gpu: 0 }]);
  });

  const gpuArb = fc.record({
    memoryTotalMiB: fc.constantFrom(8192, 16_384),
    powerW: fc.constantFrom(100, 300),
  });
  const requestArb = fc.record({
    at: fc.integer({ min: 0, max: 20 * 4 }).map((q) => q / 4),
    hours: fc.integer({ min: 1, max: 24 }).map((q) => q / 4),
    price: fc.integer({ min: 0, max: 40 }).map((c) => c / 20),
    vram: fc.constantFrom(4096, 12_288, 20_000),
  });
  const streamArb = fc
    .record({
      requests: fc.array(requestArb, { minLength: 0, maxLength: 8 }),
      gpus: fc.oneof(
        fc.array(gpuArb, { minLength: 1, maxLength: 3 }),
        gpuArb.chain((g) => fc.integer({ min: 2, max: 3 }).map((k) => Array.from({ length: k }, () => g))),
      ),
      windows: fc.constantFrom(['mon-sun 00:00-24:00'], ['mon-sun 02:00-10:00', 'mon 14:00-20:00']),
      tariff: fc.constantFrom<number | number[]>(
        0.25,
        Array.from({ length: 24 }, (_, h) => (h < 6 ? 0.1 : 0.4)),
      ),
      timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kolkata'),
      floor: fc.constantFrom(0, 0.3),
    })
    .map((s) =>
      smallStream(s.requests, {
        gpus: s.gpus,
        windows: s.windows,
        electricityPerKWh: s.tariff,
        timezone: s.timezone,
        floorPerHour: s.floor,
      }),
    );

  it('equals brute force on random small streams (1 GPU, identical GPUs, different GPUs)', () => {
    fc.assert(
      fc.property(streamArb, (stream) => {
        const result = offlineOptimum(stream, new MarketContext(stream));
        expect(result.exact).toBe(true);
        expect(checkSchedule(stream, result.assignments)).toBeCloseTo(result.net, 9);
        expect(result.net).toBeCloseTo(bruteForce(stream), 9);
      }),
      { numRuns: 300, seed: 20_250_602 },
    );
  });

  it('says so when the state budget cuts the search, and bounds the optimum from both sides', () => {
    fc.assert(
      fc.property(streamArb, (stream) => {
        const result = offlineOptimum(stream, new MarketContext(stream), 2);
        const best = bruteForce(stream);
        expect(checkSchedule(stream, result.assignments)).toBeCloseTo(result.net, 9);
        expect(result.net).toBeLessThanOrEqual(best + 1e-9);
        expect(result.upperBound).toBeGreaterThanOrEqual(best - 1e-9);
        if (!result.exact) expect(result.method).toBe('gpu-state-dp-pruned');
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
