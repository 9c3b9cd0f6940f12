import { describe, expect, it } from 'vitest';
import {
  BAR_PLOT_HEIGHT,
  BAR_PLOT_WIDTH,
  dayBars,
} from '../../../src/renderer/components/earnings/bar-geometry';
import { formatDay, formatKWh, formatMoney } from '../../../src/renderer/format/money';
import { formatOwnerTime } from '../../../src/renderer/format/owner-time';
import { paymentWords } from '../../../src/renderer/format/payment-words';

describe('earnings formatting', () => {
  it('writes money in the owner’s currency, with more digits for tiny amounts', () => {
    expect(formatMoney(1.384, 'EUR', 'en-GB')).toBe('€1.38');
    expect(formatMoney(0.00123, 'USD', 'en-US')).toBe('$0.0012');
    expect(formatMoney(-2.5, 'USD', 'en-US')).toBe('-$2.50');
    expect(formatMoney(0, 'USD', 'en-US')).toBe('$0.00');
    expect(formatMoney(3, 'ZZZ', 'en-US')).toMatch(/^ZZZ\s3\.00$/); // Intl writes an unknown code as it is
    expect(formatKWh(0.26667, 'en')).toBe('0.267 kWh');
  });

  it('shows a local date as itself and a time in the owner’s zone', () => {
    expect(formatDay('2026-12-06', 'en-GB')).toBe('Sun 6 Dec');
    // The owner's zone, named where the browser's own zone differs (this test's process: its TZ).
    const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const away = here === 'Europe/Berlin' ? 'Asia/Tokyo' : 'Europe/Berlin';
    expect(formatOwnerTime('2026-12-06T13:02:00Z', away, 'when', 'en-GB')).toMatch(
      /^6 Dec 2026, (14:02 CET|22:02 GMT\+9)$/,
    );
    expect(formatOwnerTime('2026-12-06T13:02:05Z', here, 'time', 'en-GB')).not.toMatch(/[A-Z]{3}|GMT/);
    expect(formatOwnerTime('2026-12-07T13:00:00Z', 'Asia/Kathmandu', 'until', 'en-GB')).toMatch(
      /^Mon,? 18:45( GMT\+5:45)?$/,
    );
    expect(paymentWords('pending')).toBe('Awaiting redemption');
  });

  it('draws two bars a day on one round scale, nothing for a day of nothing', () => {
    const { max, bars } = dayBars([
      { date: 'a', earned: 3.7, energyCost: 0.5 },
      { date: 'b', earned: 0, energyCost: 0 },
    ]);
    expect(max).toBe(5);
    expect(bars[0]!.earned.height).toBeCloseTo((3.7 / 5) * BAR_PLOT_HEIGHT, 9);
    expect(bars[0]!.earned.y + bars[0]!.earned.height).toBeCloseTo(BAR_PLOT_HEIGHT, 9);
    expect(bars[0]!.cost.height).toBeCloseTo(10, 9);
    expect(bars[1]!.earned.height).toBe(0);
    expect(bars[1]!.x).toBeGreaterThan(bars[0]!.x + 2 * bars[0]!.width);
    expect(bars[1]!.x + 2 * bars[1]!.width).toBeLessThanOrEqual(BAR_PLOT_WIDTH);
    expect(dayBars([{ date: 'c', earned: 0, energyCost: 0 }]).max).toBe(1);
  });
});
