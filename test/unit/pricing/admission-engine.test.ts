import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateStream } from '../../../bench/market-streams';
import {
  AdmissionEngine,
  admissionEngine,
  type EngineParams,
} from '../../../src/main/pricing/admission-engine';
import { MarketContext } from '../../../src/main/pricing/feasibility';
import { greedyPolicy } from '../../../src/main/pricing/greedy-policy';
import type { MarketStream } from '../../../src/main/pricing/market-stream';
import { replayOnline, summarize } from '../../../src/main/pricing/replay';
import { smallStream, type SmallRequest } from '../../fakes/market-streams';

const eager: Partial<EngineParams> = { minSamples: 3, minExposureHours: 0 };

function decisions(stream: MarketStream, params: Partial<EngineParams> = eager): string[] {
  return replayOnline(stream, (c) => admissionEngine(c, params)).map((a) => `${a.request.id}@${a.gpu}`);
}

/** Every decision with its reason, in order of arrival. */
function considered(stream: MarketStream, params: Partial<EngineParams> = eager) {
  const context = new MarketContext(stream);
  const engine = new AdmissionEngine(context, params);
  const busy = stream.gpus.map(() => Number.NEGATIVE_INFINITY);
  return stream.requests.map((r) => {
    const a = context.assess(r);
    const d = engine.consider(a, busy);
    if (d.gpu !== null) busy[d.gpu] = a.endMs;
    return { id: r.id, ...d };
  });
}

/** Nights of frequent short well-paid work: what the engine learns from. */
function busyNights(nights: number): SmallRequest[] {
  const out: SmallRequest[] = [];
  for (let n = 0; n < nights; n++)
    for (let k = 0; k < 24; k++)
      out.push({ id: `n${n}-${k}`, at: n * 24 + 1 + k * 0.25, hours: 0.2, price: 2 });
  return out;
}

describe('admission engine', () => {
  it('acts greedily while its history is short', () => {
    const stream = smallStream([
      { id: 'first', at: 1, hours: 6, price: 0.3 },
      { id: 'second', at: 8, hours: 1, price: 0.5 },
    ]);
    const steps = considered(stream, {});
    expect(steps.map((s) => s.gpu)).toEqual([0, 0]);
    expect(steps[0]!.reason).toMatch(/too little history/);
  });

  it('holds the GPU for better-paying work once it has seen that such work keeps coming', () => {
    const windows = { windows: ['mon-sun 01:00-08:00'] };
    // Two nights of short work at 2 per hour, then a long job at 0.3 per hour at the start of night three.
    const stream = smallStream(
      [
        ...busyNights(2),
        { id: 'long-cheap', at: 48 + 1, hours: 5, price: 0.3 },
        ...busyNights(3).slice(48 + 1),
      ],
      windows,
    );
    const steps = considered(stream);
    const long = steps.find((s) => s.id === 'long-cheap')!;
    expect(long.gpu).toBeNull();
    expect(long.reason).toMatch(/^Refused: nets 0\.300 per hour; the GPU is held for work expected to pay/);
    expect(long.opportunityCost! / 5).toBeGreaterThan(0.3);
    // Greedy takes it, and earns less.
    const context = new MarketContext(stream);
    const greedy = summarize(context, replayOnline(stream, greedyPolicy, context));
    expect(greedy.accepted).toContain('long-cheap');
    const engine = summarize(
      context,
      replayOnline(stream, (c) => admissionEngine(c, eager), context),
    );
    expect(engine.net).toBeGreaterThan(greedy.net);
  });

  it('takes the same work near the end of a window, when nothing better can still fit', () => {
    const windows = { windows: ['mon-sun 01:00-08:00'] };
    const stream = smallStream(
      [...busyNights(2), { id: 'late', at: 48 + 7.2, hours: 0.75, price: 0.3 }],
      windows,
    );
    expect(considered(stream).at(-1)).toMatchObject({ id: 'late', gpu: 0 });
  });

  it('takes what pays when demand is thin', () => {
    // One request a night, at a different hour each night: holding out would wait for work that does
    // not come.
    const rare: SmallRequest[] = Array.from({ length: 10 }, (_, n) => ({
      at: n * 24 + 1 + ((n * 37) % 60) / 10,
      hours: 1,
      price: n % 2 ? 0.4 : 1.5,
    }));
    const stream = smallStream(rare, { windows: ['mon-sun 01:00-08:00'] });
    expect(decisions(stream)).toEqual(
      replayOnline(stream, greedyPolicy).map((a) => `${a.request.id}@${a.gpu}`),
    );
  });

  it('refuses what no GPU can run, and says why', () => {
    const stream = smallStream(
      [
        { id: 'big', at: 1, hours: 1, price: 1, vram: 50_000 },
        { id: 'loss', at: 2, hours: 1, price: 0.01 },
        { id: 'ok', at: 3, hours: 2, price: 1 },
        { id: 'busy', at: 4, hours: 1, price: 1 },
      ],
      { gpus: [{ memoryTotalMiB: 24_576, powerW: 300 }], electricityPerKWh: 0.3 },
    );
    expect(considered(stream, {}).map((s) => [s.id, s.gpu, s.reason.replace(/:.*/, '')])).toEqual([
      ['big', null, 'Refused'],
      ['loss', null, 'Refused'],
      ['ok', 0, 'Accepted'],
      ['busy', null, 'Refused'],
    ]);
  });

  it('never sees the future: its decisions on a prefix do not change when later requests are appended', () => {
    const requestArb = fc.record({
      at: fc.integer({ min: 0, max: 4 * 24 * 4 }).map((q) => q / 4),
      hours: fc.integer({ min: 1, max: 24 }).map((q) => q / 4),
      price: fc.integer({ min: 0, max: 40 }).map((c) => c / 20),
      vram: fc.constantFrom(4096, 12_288, 20_000),
    });
    fc.assert(
      fc.property(
        fc.array(requestArb, { minLength: 1, maxLength: 60 }),
        fc.constantFrom(1, 2),
        fc.nat(),
        (requests, gpuCount, cutSeed) => {
          const setup = {
            windows: ['mon-sun 01:00-09:00', 'sat,sun 12:00-18:00'],
            gpus: [
              { memoryTotalMiB: 24_576, powerW: 300 },
              { memoryTotalMiB: 12_288, powerW: 150 },
            ].slice(0, gpuCount),
            electricityPerKWh: Array.from({ length: 24 }, (_, h) => (h < 6 ? 0.1 : 0.3)),
            timezone: 'Europe/Berlin',
          };
          const full = smallStream(requests, setup);
          const cut = 1 + (cutSeed % full.requests.length);
          const prefix = { ...full, requests: full.requests.slice(0, cut) };
          const kept = new Set(prefix.requests.map((r) => r.id));
          expect(decisions(prefix)).toEqual(decisions(full).filter((d) => kept.has(d.split('@')[0]!)));
        },
      ),
      { numRuns: 40, seed: 11 },
    );
  });

  it('does the same on a generated stream, cut anywhere', () => {
    const full = generateStream('mixed-vram', 900);
    const stream = { ...full, requests: full.requests.slice(0, 400) };
    const all = decisions(stream, {});
    for (const cut of [37, 150, 311]) {
      const prefix = { ...stream, requests: stream.requests.slice(0, cut) };
      const kept = new Set(prefix.requests.map((r) => r.id));
      expect(decisions(prefix, {})).toEqual(all.filter((d) => kept.has(d.split('@')[0]!)));
    }
  });

  it('earns more than greedy on a generated busy stream', () => {
    const stream = generateStream('busy', 901);
    const context = new MarketContext(stream);
    const greedy = summarize(context, replayOnline(stream, greedyPolicy, context)).net;
    const engine = summarize(context, replayOnline(stream, admissionEngine, context)).net;
    expect(engine).toBeGreaterThan(1.1 * greedy);
  });
});
