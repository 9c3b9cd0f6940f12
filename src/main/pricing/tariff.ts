import { wallMs } from '../availability/zoned-time';
import type { Tariff } from './market-stream';

/**
 * Electricity arithmetic. A time-of-use tariff prices each hour by the owner's wall clock, so an interval
 * is cut where the local hour changes: at every local full hour, and at daylight-saving changes (where the
 * clock jumps, the hour it shows changes without a full hour passing). Offsets are whole minutes, so the
 * cuts fall on whole minutes; the cost of an interval is exact to the millisecond.
 */

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** UTC offset of `zone` at an instant, ms (wall clock minus UTC). */
function offsetAt(zone: string, instantMs: number): number {
  const floored = Math.floor(instantMs / MINUTE) * MINUTE;
  return wallMs(zone, floored) - floored;
}

/**
 * Calls `each(localHour, fromMs, toMs)` for the consecutive pieces of [fromMs, toMs) during which the
 * clock in `zone` shows one hour (0-23).
 */
export function forEachLocalHour(
  zone: string,
  fromMs: number,
  toMs: number,
  each: (localHour: number, fromMs: number, toMs: number) => void,
): void {
  let t = fromMs;
  while (t < toMs) {
    const offset = offsetAt(zone, t);
    const wall = t + offset;
    const hour = Math.floor(wall / HOUR);
    let cut = Math.min((hour + 1) * HOUR - offset, toMs);
    // A daylight-saving change before the next full hour: cut at the first minute with the new offset.
    if (offsetAt(zone, cut - 1) !== offset) {
      let lo = Math.floor(t / MINUTE) * MINUTE; // offset here is `offset`
      let hi = Math.floor((cut - 1) / MINUTE) * MINUTE; // offset here is not
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / MINUTE / 2) * MINUTE;
        if (offsetAt(zone, mid) === offset) lo = mid;
        else hi = mid;
      }
      cut = hi;
    }
    each(((hour % 24) + 24) % 24, t, cut);
    t = cut;
  }
}

/** The price of a kWh at an instant. */
export function pricePerKWhAt(tariff: Tariff, zone: string, instantMs: number): number {
  if (typeof tariff === 'number') return tariff;
  const hour = new Date(instantMs + offsetAt(zone, instantMs)).getUTCHours();
  return tariff[hour]!;
}

/** What drawing one kilowatt over [fromMs, toMs) costs. */
export function kilowattCost(tariff: Tariff, zone: string, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  if (typeof tariff === 'number') return (tariff * (toMs - fromMs)) / HOUR;
  let priceMs = 0;
  forEachLocalHour(zone, fromMs, toMs, (hour, from, to) => {
    priceMs += tariff[hour]! * (to - from);
  });
  return priceMs / HOUR;
}

/** What a GPU drawing `powerW` over [fromMs, toMs) costs in electricity. */
export function energyCost(
  tariff: Tariff,
  zone: string,
  powerW: number,
  fromMs: number,
  toMs: number,
): number {
  return (powerW / 1000) * kilowattCost(tariff, zone, fromMs, toMs);
}
