import { unrollSchedule, type Interval } from '../availability/schedule-intervals';
import { wallParts } from '../availability/zoned-time';
import { windowsToSlots } from '../../shared/schedule/windows';
import { MAX_DURATION_SECONDS } from './market-stream';

const DAY = 86_400_000;
/** How far ahead of an instant its window's end is looked for, by default: past the longest request. */
const REACH_MS = MAX_DURATION_SECONDS * 1000 + DAY;

/**
 * The owner's windows as real time, unrolled on demand from the schedule syntax (the availability
 * schedule's own unrolling: a window follows the clock across daylight-saving changes). Answers depend on
 * the instant asked about only, never on what was asked before: a window found around an instant is cut
 * a day before it and `reachMs` after it, so an online policy cannot learn anything from how far the
 * calendar happens to be unrolled.
 */
export class WindowCalendar {
  private readonly slots: string;
  private firstDate = Number.NaN;
  private lastDate = Number.NaN;
  private intervals: Interval[] = [];

  constructor(
    readonly zone: string,
    windows: readonly string[],
  ) {
    this.slots = windowsToSlots(windows);
  }

  /**
   * The window that holds `instantMs` (start inclusive, end exclusive), or null outside every window.
   * Its start is at most a day back, its end at most `reachMs` ahead.
   */
  windowAt(instantMs: number, reachMs = REACH_MS): Interval | null {
    this.cover(instantMs - DAY, instantMs + reachMs);
    const i = this.lastStartingAtOrBefore(instantMs);
    const found = i >= 0 ? this.intervals[i]! : null;
    if (!found || found.end <= instantMs) return null;
    return { start: Math.max(found.start, instantMs - DAY), end: Math.min(found.end, instantMs + reachMs) };
  }

  /** Whether [startMs, endMs) lies entirely inside one window. */
  fits(startMs: number, endMs: number): boolean {
    const window = this.windowAt(startMs, Math.max(0, endMs - startMs));
    return window !== null && endMs <= window.end;
  }

  /** The parts of windows that overlap [fromMs, toMs), clipped to it. */
  between(fromMs: number, toMs: number): Interval[] {
    if (toMs <= fromMs) return [];
    this.cover(fromMs, toMs);
    const out: Interval[] = [];
    for (let i = Math.max(0, this.lastStartingAtOrBefore(fromMs)); i < this.intervals.length; i++) {
      const { start, end } = this.intervals[i]!;
      if (start >= toMs) break;
      if (end > fromMs) out.push({ start: Math.max(start, fromMs), end: Math.min(end, toMs) });
    }
    return out;
  }

  private lastStartingAtOrBefore(instantMs: number): number {
    let lo = 0;
    let hi = this.intervals.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.intervals[mid]!.start <= instantMs) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Unrolls the local dates around [fromMs, toMs), a day beyond each side, plus a week at a time. */
  private cover(fromMs: number, toMs: number): void {
    const dateOf = (ms: number) => {
      const p = wallParts(this.zone, ms);
      return Date.UTC(p.year, p.month - 1, p.day);
    };
    const first = dateOf(fromMs) - DAY;
    const last = dateOf(toMs) + DAY;
    if (first >= this.firstDate && last <= this.lastDate) return;
    this.firstDate = Number.isNaN(this.firstDate)
      ? first - 7 * DAY
      : Math.min(this.firstDate, first - 7 * DAY);
    this.lastDate = Number.isNaN(this.lastDate) ? last + 7 * DAY : Math.max(this.lastDate, last + 7 * DAY);
    this.intervals = unrollSchedule(this.zone, this.slots, this.firstDate, this.lastDate);
  }
}
