import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { energyCost, kilowattCost, pricePerKWhAt } from '../../../src/main/pricing/tariff';

const HOUR = 3_600_000;
/** Price = the local hour itself, so each sum says which hours were counted. */
const BY_HOUR = Array.from({ length: 24 }, (_, h) => h);
const utc = (y: number, m: number, d: number, h: number, min = 0, s = 0) => Date.UTC(y, m - 1, d, h, min, s);

describe('tariff arithmetic', () => {
  it('prices a flat tariff by time alone', () => {
    const from = utc(2025, 6, 2, 22, 30);
    // 500 W for 90 minutes at 0.30 per kWh.
    expect(energyCost(0.3, 'Europe/Berlin', 500, from, from + 1.5 * HOUR)).toBeCloseTo(0.225, 12);
    expect(energyCost(0.3, 'UTC', 500, from, from)).toBe(0);
  });

  it('prices a time-of-use tariff by the local hour, across midnight', () => {
    // UTC 22:30 -> 01:15: half of 22, all of 23, all of 0, a quarter of 1.
    const cost = kilowattCost(BY_HOUR, 'UTC', utc(2025, 6, 2, 22, 30), utc(2025, 6, 3, 1, 15));
    expect(cost).toBeCloseTo(0.5 * 22 + 23 + 0 + 0.25 * 1, 12);
    // Berlin in June is UTC+2: the same instants are 00:30 -> 03:15 local.
    const berlin = kilowattCost(BY_HOUR, 'Europe/Berlin', utc(2025, 6, 2, 22, 30), utc(2025, 6, 3, 1, 15));
    expect(berlin).toBeCloseTo(0.5 * 0 + 1 + 2 + 0.25 * 3, 12);
    expect(energyCost(BY_HOUR, 'UTC', 2000, utc(2025, 6, 2, 5), utc(2025, 6, 2, 7))).toBeCloseTo(
      2 * (5 + 6),
      12,
    );
  });

  it('is exact to the second at an hour boundary', () => {
    // 10:59:59 -> 11:00:01 UTC: one second at 10, one at 11.
    expect(kilowattCost(BY_HOUR, 'UTC', utc(2025, 6, 2, 10, 59, 59), utc(2025, 6, 2, 11, 0, 1))).toBeCloseTo(
      21 / 3600,
      15,
    );
    // Half-hour zone (India, UTC+5:30): 00:00 -> 01:00 UTC is 05:30 -> 06:30 local.
    expect(kilowattCost(BY_HOUR, 'Asia/Kolkata', utc(2025, 6, 2, 0), utc(2025, 6, 2, 1))).toBeCloseTo(
      5.5,
      12,
    );
  });

  it('follows the clock across daylight-saving changes', () => {
    // Berlin, 2025-03-30: at 01:00 UTC the clock jumps from 02:00 to 03:00; local hour 2 never runs.
    // 00:30 -> 01:30 UTC is local 01:30 -> 02:00 (hour 1), then 03:00 -> 03:30 (hour 3).
    expect(
      kilowattCost(BY_HOUR, 'Europe/Berlin', utc(2025, 3, 30, 0, 30), utc(2025, 3, 30, 1, 30)),
    ).toBeCloseTo(0.5 * 1 + 0.5 * 3, 12);
    // Berlin, 2025-10-26: at 01:00 UTC the clock goes back from 03:00 to 02:00; hour 2 runs twice.
    expect(kilowattCost(BY_HOUR, 'Europe/Berlin', utc(2025, 10, 26, 0), utc(2025, 10, 26, 2))).toBeCloseTo(
      4,
      12,
    );
    // That local day has 25 hours: every price once and hour 2 twice.
    const day = kilowattCost(BY_HOUR, 'Europe/Berlin', utc(2025, 10, 25, 22), utc(2025, 10, 26, 23));
    expect(day).toBeCloseTo(276 + 2, 9);
    // Lord Howe Island moves its clock by half an hour (02:00 -> 02:30 local at 15:30 UTC on 2025-10-04):
    // 15:00 -> 16:00 UTC is local 01:30 -> 02:00 (hour 1), then 02:30 -> 03:00 (hour 2).
    expect(
      kilowattCost(BY_HOUR, 'Australia/Lord_Howe', utc(2025, 10, 4, 15), utc(2025, 10, 4, 16)),
    ).toBeCloseTo(0.5 * 1 + 0.5 * 2, 12);
  });

  it('gives the price in force at an instant', () => {
    expect(pricePerKWhAt(0.2, 'UTC', utc(2025, 1, 1, 3))).toBe(0.2);
    expect(pricePerKWhAt(BY_HOUR, 'Europe/Berlin', utc(2025, 1, 1, 3))).toBe(4);
    expect(pricePerKWhAt(BY_HOUR, 'Europe/Berlin', utc(2025, 3, 30, 1))).toBe(3);
  });

  it('adds up: the cost of two touching intervals is the cost of both together', () => {
    const start = utc(2025, 3, 28, 0);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 * 86_400 }),
        fc.integer({ min: 0, max: 86_400 }),
        fc.integer({ min: 0, max: 86_400 }),
        fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC'),
        (a, b, c, zone) => {
          const t0 = start + a * 1000;
          const t1 = t0 + b * 1000;
          const t2 = t1 + c * 1000;
          const whole = kilowattCost(BY_HOUR, zone, t0, t2);
          expect(kilowattCost(BY_HOUR, zone, t0, t1) + kilowattCost(BY_HOUR, zone, t1, t2)).toBeCloseTo(
            whole,
            9,
          );
          // Between the cheapest and the dearest hour.
          expect(whole).toBeLessThanOrEqual((23 * (t2 - t0)) / HOUR + 1e-9);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });
});
