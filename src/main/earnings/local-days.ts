import { wallMs, wallToInstant } from '../availability/zoned-time';

/**
 * The owner's days: "today", "the last 7 days" and the chart's bars are local dates in the owner's zone
 * (the schedule's), whatever zone the machine or the browser showing the UI is in.
 */

const DAY = 86_400_000;

/** "2026-12-06": the date the clock in `zone` shows at an instant. */
export function localDate(zone: string, instantMs: number): string {
  return new Date(wallMs(zone, instantMs)).toISOString().slice(0, 10);
}

export interface LocalDay {
  date: string;
  /** The first instant of the day, and of the next (23 or 25 hours later across a daylight-saving change). */
  fromMs: number;
  toMs: number;
}

/** The local day of `date` ("2026-12-06") in `zone`. */
export function localDay(zone: string, date: string): LocalDay {
  const midnight = Date.parse(`${date}T00:00:00Z`);
  return {
    date,
    fromMs: wallToInstant(zone, midnight),
    toMs: wallToInstant(zone, midnight + DAY),
  };
}

/** The `count` local days that end with the one holding `nowMs`, oldest first. */
export function lastDays(zone: string, nowMs: number, count: number): LocalDay[] {
  const today = Date.parse(`${localDate(zone, nowMs)}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) =>
    localDay(zone, new Date(today - (count - 1 - i) * DAY).toISOString().slice(0, 10)),
  );
}

/** True for a calendar date written as YYYY-MM-DD that exists ("2026-02-30" does not). */
export function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === text;
}

/** An instant as the owner's clock shows it, with the zone's offset: "2026-12-06T14:02:11+01:00". */
export function zonedIso(zone: string, instantMs: number): string {
  const seconds = Math.floor(instantMs / 1000) * 1000;
  const minute = Math.floor(seconds / 60_000) * 60_000;
  const offsetMin = Math.round((wallMs(zone, minute) - minute) / 60_000);
  const abs = Math.abs(offsetMin);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  const wall = new Date(seconds + offsetMin * 60_000).toISOString().slice(0, 19);
  return `${wall}${offsetMin < 0 ? '-' : '+'}${hhmm}`;
}
