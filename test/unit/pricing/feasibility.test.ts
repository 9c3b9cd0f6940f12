import { describe, expect, it } from 'vitest';
import { feasibleGpus, MarketContext } from '../../../src/main/pricing/feasibility';
import { greedyPolicy } from '../../../src/main/pricing/greedy-policy';
import { replayOnline, summarize } from '../../../src/main/pricing/replay';
import { WindowCalendar } from '../../../src/main/pricing/window-calendar';
import { MONDAY, smallStream } from '../../fakes/market-streams';

const HOUR = 3_600_000;

describe('feasibility', () => {
  const nights = { windows: ['mon-sun 01:00-08:00'], floorPerHour: 0.2 };

  it('needs the whole run inside one window, the memory, and the floor', () => {
    const stream = smallStream(
      [
        { id: 'fits', at: 1, hours: 7, price: 1 },
        { id: 'too-early', at: 0.5, hours: 1, price: 1 },
        { id: 'runs-over', at: 7.5, hours: 0.75, price: 1 },
        { id: 'too-big', at: 2, hours: 1, price: 1, vram: 30_000 },
        { id: 'too-cheap', at: 2, hours: 1, price: 0.1 },
        { id: 'at-floor', at: 2, hours: 1, price: 0.2 },
      ],
      nights,
    );
    const context = new MarketContext(stream);
    const refusal = Object.fromEntries(stream.requests.map((r) => [r.id, context.assess(r).refusal]));
    expect(refusal).toEqual({
      fits: null,
      'too-early': 'it does not fit inside a window',
      'runs-over': 'it does not fit inside a window',
      'too-big': 'no GPU has the memory it needs',
      'too-cheap': 'its price is below the floor',
      'at-floor': null,
    });
  });

  it('takes any free GPU with the memory, when there are several', () => {
    const stream = smallStream([{ at: 2, hours: 1, price: 1, vram: 16_000 }], {
      gpus: [
        { memoryTotalMiB: 8192, powerW: 100 },
        { memoryTotalMiB: 24_576, powerW: 300 },
        { memoryTotalMiB: 16_384, powerW: 200 },
      ],
    });
    const a = new MarketContext(stream).assess(stream.requests[0]!);
    expect(a.eligible).toEqual([false, true, true]);
    const start = a.startMs;
    expect(feasibleGpus(a, [0, 0, 0])).toEqual([1, 2]);
    // Busy until exactly its arrival counts as free; busy past it does not.
    expect(feasibleGpus(a, [0, start, start + 1])).toEqual([1]);
    expect(feasibleGpus(a, [0, start + 1, start + 1])).toEqual([]);
  });

  it('counts energy by GPU and revenue by the second', () => {
    const stream = smallStream([{ at: 2, hours: 1.5, price: 0.8 }], {
      gpus: [
        { memoryTotalMiB: 8192, powerW: 250 },
        { memoryTotalMiB: 8192, powerW: 500 },
      ],
      electricityPerKWh: 0.4,
    });
    const a = new MarketContext(stream).assess(stream.requests[0]!);
    expect(a.revenue).toBeCloseTo(1.2, 12);
    expect(a.energy[0]).toBeCloseTo(0.15, 12);
    expect(a.energy[1]).toBeCloseTo(0.3, 12);
    expect(a.net[1]).toBeCloseTo(0.9, 12);
  });

  it('unrolls windows across midnight, week ends and daylight-saving changes', () => {
    const calendar = new WindowCalendar('Europe/Berlin', ['sun 22:00-02:00']);
    // Sunday 2025-03-30 22:00 CEST (20:00 UTC) to Monday 02:00 CEST (00:00 UTC).
    const sunday = Date.UTC(2025, 2, 30, 20);
    expect(calendar.windowAt(sunday + HOUR)).toEqual({ start: sunday, end: sunday + 4 * HOUR });
    expect(calendar.fits(sunday, sunday + 4 * HOUR)).toBe(true);
    expect(calendar.fits(sunday, sunday + 4 * HOUR + 1)).toBe(false);
    expect(calendar.windowAt(sunday - 1)).toBeNull();
    // The night the clock jumps (03:00 CET -> ... the window 01:00-04:00 is 2 real hours long).
    const short = new WindowCalendar('Europe/Berlin', ['sun 01:00-04:00']);
    const jump = Date.UTC(2025, 2, 30, 0); // 01:00 CET
    expect(short.windowAt(jump)).toEqual({ start: jump, end: jump + 2 * HOUR });
    // Always for rent: the window around an instant is cut where asked, whatever was asked before.
    const always = new WindowCalendar('UTC', ['mon-sun 00:00-24:00']);
    expect(always.windowAt(MONDAY, 5 * HOUR)).toEqual({ start: MONDAY - 24 * HOUR, end: MONDAY + 5 * HOUR });
    always.windowAt(MONDAY + 40 * 24 * HOUR);
    expect(always.windowAt(MONDAY, 5 * HOUR)).toEqual({ start: MONDAY - 24 * HOUR, end: MONDAY + 5 * HOUR });
  });
});

describe('greedy', () => {
  it('takes whatever is feasible and pays its electricity, first come first served', () => {
    const stream = smallStream(
      [
        { id: 'long-cheap', at: 1, hours: 6, price: 0.3 },
        { id: 'short-rich', at: 2, hours: 1, price: 3 }, // the GPU is busy
        { id: 'loss', at: 8, hours: 1, price: 0.05 }, // pays less than its electricity
        { id: 'after', at: 9, hours: 1, price: 1 },
      ],
      { gpus: [{ memoryTotalMiB: 8192, powerW: 500 }], electricityPerKWh: 0.2 },
    );
    const context = new MarketContext(stream);
    const result = summarize(context, replayOnline(stream, greedyPolicy, context));
    expect(result.accepted).toEqual(['long-cheap', 'after']);
    expect(result.revenue).toBeCloseTo(1.8 + 1, 6);
    expect(result.energyCost).toBeCloseTo(0.6 + 0.1, 6);
    expect(result.net).toBeCloseTo(2.1, 6);
  });

  it('puts work on the smallest card that fits, keeping the big one for big work', () => {
    const stream = smallStream(
      [
        { id: 'small', at: 1, hours: 2, price: 1, vram: 4096 },
        { id: 'big', at: 1.5, hours: 2, price: 1, vram: 20_000 },
        { id: 'small-2', at: 1.5, hours: 1, price: 1, vram: 4096 },
      ],
      {
        gpus: [
          { memoryTotalMiB: 24_576, powerW: 300 },
          { memoryTotalMiB: 8192, powerW: 200 },
        ],
      },
    );
    const assignments = replayOnline(stream, greedyPolicy);
    expect(assignments.map((a) => [a.request.id, a.gpu])).toEqual([
      ['small', 1],
      ['big', 0],
    ]);
  });

  it('refuses a policy that puts a request where it cannot run', () => {
    const stream = smallStream([
      { at: 1, hours: 2, price: 1 },
      { at: 2, hours: 1, price: 1 },
    ]);
    expect(() => replayOnline(stream, () => ({ decide: () => 0 }))).toThrow(/cannot take it/);
  });
});
