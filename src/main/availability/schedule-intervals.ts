import { SLOT_MINUTES, dayRuns } from '../../shared/schedule/week-slots';
import { wallParts, wallToInstant, weekdayOf } from './zoned-time';

const DAY = 86_400_000;

export interface Interval {
  start: number;
  end: number;
}

/** How far ahead a schedule is unrolled: past a full week, so every window's next start is seen. */
export const HORIZON_DAYS = 8;

/**
 * The schedule's windows as real-time intervals around `nowMs`, merged where they touch (Monday 22:00-24:00
 * and Tuesday 00:00-02:00 are one stretch). Each window is wall-clock time in its zone: across a
 * daylight-saving change it starts and ends when the clock says so, a skipped hour is skipped, and a
 * repeated hour is in the window once.
 */
export function scheduleIntervals(zone: string, slots: string, nowMs: number): Interval[] {
  const today = wallParts(zone, nowMs);
  const todayUtc = Date.UTC(today.year, today.month - 1, today.day);
  return unrollSchedule(zone, slots, todayUtc - DAY, todayUtc + HORIZON_DAYS * DAY);
}

/**
 * The schedule's windows on the local dates from `firstDateUtc` to `lastDateUtc` (both written as UTC
 * midnight of the wall-clock date, inclusive) as real-time intervals, merged where they touch. A window
 * that runs past midnight ends on the date after `lastDateUtc`.
 */
export function unrollSchedule(
  zone: string,
  slots: string,
  firstDateUtc: number,
  lastDateUtc: number,
): Interval[] {
  const runs = dayRuns(slots);
  const raw: Interval[] = [];
  for (let date = firstDateUtc; date <= lastDateUtc; date += DAY) {
    const weekday = weekdayOf(date);
    for (const run of runs) {
      if (run.day !== weekday) continue;
      const start = wallToInstant(zone, date + run.start * SLOT_MINUTES * 60_000);
      const end = wallToInstant(zone, date + run.end * SLOT_MINUTES * 60_000);
      if (end > start) raw.push({ start, end });
    }
  }
  raw.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of raw) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

export function horizonEnd(zone: string, nowMs: number): number {
  const today = wallParts(zone, nowMs);
  return wallToInstant(zone, Date.UTC(today.year, today.month - 1, today.day) + (HORIZON_DAYS + 1) * DAY);
}
