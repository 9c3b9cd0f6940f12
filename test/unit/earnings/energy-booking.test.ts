import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averagePower, energyOf } from '../../../src/main/earnings/energy-booking';
import { QUARTER_MS } from '../../../src/main/earnings/quarters';
import { energyCost } from '../../../src/main/pricing/tariff';

const HOUR = 3_600_000;
/** Price = the local hour, so a cost says which hours were counted. */
const BY_HOUR = Array.from({ length: 24 }, (_, h) => h);

describe('a rental’s energy', () => {
  it('cuts running spans at quarter-hours and prices each at its local hour', () => {
    const from = Date.UTC(2026, 5, 2, 22, 50); // Berlin 00:50 (UTC+2)
    const energy = energyOf(
      [{ fromMs: from, toMs: from + 40 * 60_000, watts: 600 }],
      BY_HOUR,
      'Europe/Berlin',
    );
    // 10 minutes in local hour 0, 30 in local hour 1, at 0.6 kW.
    expect(energy.kwh).toBeCloseTo(0.4, 12);
    expect(energy.cost).toBeCloseTo(0.6 * (10 / 60) * 0 + 0.6 * (30 / 60) * 1, 12);
    // 22:45-23:00 (from 22:50), 23:00-23:15, 23:15-23:30 UTC.
    const first = Math.floor(from / QUARTER_MS);
    expect(energy.quarters.map((q) => q.quarter)).toEqual([first, first + 1, first + 2]);
    expect(energy.quarters[0]!.kwh).toBeCloseTo(0.6 * (10 / 60), 12);
    expect(energy.averageW).toBeCloseTo(600, 9);
  });

  it('adds up to the tariff’s own arithmetic for any spans, powers and zones', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            start: fc.integer({ min: 0, max: 60 * 24 * 60 }),
            minutes: fc.integer({ min: 1, max: 600 }),
            watts: fc.integer({ min: 0, max: 900 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Lord_Howe'),
        fc.boolean(),
        (spans, zone, timeOfUse) => {
          const base = Date.UTC(2026, 2, 25); // the week of Europe's spring change
          const tariff = timeOfUse ? BY_HOUR : 0.3;
          const intervals = spans.map((s) => ({
            fromMs: base + s.start * 60_000,
            toMs: base + (s.start + s.minutes) * 60_000,
            watts: s.watts,
          }));
          const energy = energyOf(intervals, tariff, zone);
          const expected = intervals.reduce(
            (sum, i) => sum + energyCost(tariff, zone, i.watts, i.fromMs, i.toMs),
            0,
          );
          expect(energy.cost).toBeCloseTo(expected, 6);
          const kwh = intervals.reduce((sum, i) => sum + (i.watts / 1000) * ((i.toMs - i.fromMs) / HOUR), 0);
          expect(energy.kwh).toBeCloseTo(kwh, 9);
          expect(energy.quarters.reduce((sum, q) => sum + q.cost, 0)).toBeCloseTo(energy.cost, 9);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is nothing for a rental that never ran', () => {
    expect(energyOf([], 0.3, 'UTC')).toEqual({ quarters: [], kwh: 0, cost: 0, averageW: 0 });
  });

  it('averages only the readings that have a power', () => {
    expect(averagePower([{ powerW: 300 }, { powerW: null }, { powerW: 100 }])).toBe(200);
    expect(averagePower([{ powerW: null }])).toBeNull();
    expect(averagePower([])).toBeNull();
  });
});
