import { DAYS, EMPTY_WEEK, SLOT_MINUTES, SLOTS_PER_DAY, dayRuns, withSlots } from './week-slots';

/** A refusal that names the part of the window text at fault. */
export class WindowSyntaxError extends Error {
  constructor(
    message: string,
    readonly part: string,
  ) {
    super(message);
    this.name = 'WindowSyntaxError';
  }
}

function parseDays(text: string, window: string): number[] {
  const days = new Set<number>();
  for (const item of text.split(',')) {
    const [from, to, ...extra] = item.trim().toLowerCase().split('-');
    const dayOf = (name: string | undefined) => {
      const index = DAYS.indexOf((name ?? '') as (typeof DAYS)[number]);
      if (index < 0) {
        throw new WindowSyntaxError(
          `Unknown day "${name ?? ''}" in "${window}": use mon, tue, wed, thu, fri, sat, sun.`,
          name ?? '',
        );
      }
      return index;
    };
    if (extra.length > 0)
      throw new WindowSyntaxError(`"${item}" in "${window}" is not a day or a day range.`, item);
    const start = dayOf(from);
    const end = to === undefined ? start : dayOf(to);
    // A range may wrap the week end: fri-mon is fri, sat, sun, mon.
    for (let d = start; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === end) break;
    }
  }
  return [...days].sort();
}

function parseTime(text: string, window: string, allow24: boolean): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match)
    throw new WindowSyntaxError(`"${text}" in "${window}" is not a time: write HH:MM, e.g. 01:00.`, text);
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  const total = hours * 60 + minutes;
  if (hours > 24 || minutes > 59 || total > 24 * 60 || (total === 24 * 60 && !allow24)) {
    throw new WindowSyntaxError(`"${text}" in "${window}" is not a time of day (00:00 to 24:00).`, text);
  }
  if (minutes % SLOT_MINUTES !== 0) {
    throw new WindowSyntaxError(
      `"${text}" in "${window}" is not on a quarter hour: use :00, :15, :30 or :45.`,
      text,
    );
  }
  return total / SLOT_MINUTES;
}

/**
 * Adds one window ("mon-fri 01:00-08:00", "sat,sun 22:00-02:00") to a week of slots. An end at or before
 * the start runs past midnight into the next day (and from Sunday into Monday).
 */
export function addWindow(slots: string, window: string): string {
  const trimmed = window.trim();
  const match = /^(\S+)\s+(\S+?)-(\S+)$/.exec(trimmed);
  if (!match) {
    throw new WindowSyntaxError(
      `"${window}" is not a window: write DAYS HH:MM-HH:MM, e.g. "mon-fri 01:00-08:00".`,
      window,
    );
  }
  const days = parseDays(match[1]!, trimmed);
  const start = parseTime(match[2]!, trimmed, false);
  const end = parseTime(match[3]!, trimmed, true);
  if (start === end)
    throw new WindowSyntaxError(
      `"${trimmed}" is empty: its start and end are the same.`,
      `${match[2]}-${match[3]}`,
    );
  let next = slots;
  for (const day of days) {
    if (end > start) {
      next = withSlots(next, day, start, end, true);
    } else {
      next = withSlots(next, day, start, SLOTS_PER_DAY, true);
      next = withSlots(next, (day + 1) % 7, 0, end, true);
    }
  }
  return next;
}

export function windowsToSlots(windows: readonly string[]): string {
  return windows.reduce(addWindow, EMPTY_WEEK);
}

const hhmm = (slot: number) => {
  const minutes = slot * SLOT_MINUTES;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};

/** Writes a week of slots back as windows, days with the same hours grouped: "mon-fri 01:00-08:00". */
export function slotsToWindows(slots: string): string[] {
  const byTimes = new Map<string, number[]>();
  for (const run of dayRuns(slots)) {
    const key = `${hhmm(run.start)}-${hhmm(run.end)}`;
    byTimes.set(key, [...(byTimes.get(key) ?? []), run.day]);
  }
  const windows: string[] = [];
  for (const [times, days] of byTimes) {
    const groups: number[][] = [];
    for (const day of days) {
      const last = groups.at(-1);
      if (last && last.at(-1) === day - 1) last.push(day);
      else groups.push([day]);
    }
    const dayText = groups
      .map((g) => (g.length >= 3 ? `${DAYS[g[0]!]}-${DAYS[g.at(-1)!]}` : g.map((d) => DAYS[d]).join(',')))
      .join(',');
    windows.push(`${dayText} ${times}`);
  }
  return windows;
}

export const PRESETS = {
  overnight: { label: 'Overnight (01:00-08:00 every day)', windows: ['mon-sun 01:00-08:00'] },
  workdays: { label: 'Workdays (09:00-17:00 Monday to Friday)', windows: ['mon-fri 09:00-17:00'] },
  always: { label: 'Always', windows: ['mon-sun 00:00-24:00'] },
  never: { label: 'Never', windows: [] },
} as const satisfies Record<string, { label: string; windows: readonly string[] }>;
export type PresetName = keyof typeof PRESETS;

export function presetSlots(name: PresetName): string {
  return windowsToSlots(PRESETS[name].windows);
}
