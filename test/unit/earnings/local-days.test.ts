import { describe, expect, it } from 'vitest';
import { isDate, lastDays, localDate, localDay, zonedIso } from '../../../src/main/earnings/local-days';

const HOUR = 3_600_000;

describe("the owner's local days", () => {
  it('names the date the clock shows in the zone, not in UTC', () => {
    const instant = Date.UTC(2026, 11, 5, 23, 30); // 23:30 UTC on the 5th
    expect(localDate('UTC', instant)).toBe('2026-12-05');
    expect(localDate('Europe/Berlin', instant)).toBe('2026-12-06'); // 00:30 there
    expect(localDate('America/New_York', instant)).toBe('2026-12-05'); // 18:30 there
  });

  it('gives days of 23 and 25 hours across daylight-saving changes', () => {
    const spring = localDay('Europe/Berlin', '2026-03-29');
    expect(spring.toMs - spring.fromMs).toBe(23 * HOUR);
    expect(spring.fromMs).toBe(Date.UTC(2026, 2, 28, 23));
    const autumn = localDay('Europe/Berlin', '2026-10-25');
    expect(autumn.toMs - autumn.fromMs).toBe(25 * HOUR);
  });

  it('lists the last days up to today, each starting where the one before ends', () => {
    const now = Date.UTC(2026, 2, 30, 12); // Monday after the spring change
    const days = lastDays('Europe/Berlin', now, 7);
    expect(days.map((d) => d.date)).toEqual([
      '2026-03-24',
      '2026-03-25',
      '2026-03-26',
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
    ]);
    for (let i = 1; i < days.length; i++) expect(days[i]!.fromMs).toBe(days[i - 1]!.toMs);
    expect(days.at(-1)!.fromMs).toBeLessThanOrEqual(now);
    expect(days.at(-1)!.toMs).toBeGreaterThan(now);
  });

  it("writes an instant with the zone's offset, quarter-hour and negative offsets included", () => {
    const instant = Date.UTC(2026, 11, 6, 13, 2, 11, 900);
    expect(zonedIso('Europe/Berlin', instant)).toBe('2026-12-06T14:02:11+01:00');
    expect(zonedIso('Asia/Kathmandu', instant)).toBe('2026-12-06T18:47:11+05:45');
    expect(zonedIso('America/St_Johns', instant)).toBe('2026-12-06T09:32:11-03:30');
    expect(zonedIso('UTC', instant)).toBe('2026-12-06T13:02:11+00:00');
  });

  it('accepts only calendar dates that exist', () => {
    expect(isDate('2026-02-28')).toBe(true);
    expect(isDate('2028-02-29')).toBe(true);
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-01', '26-01-01', '2026-01-01T00:00', ''])
      expect(isDate(bad), bad).toBe(false);
  });
});
