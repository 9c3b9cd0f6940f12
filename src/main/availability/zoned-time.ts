/**
 * Wall-clock time in an IANA zone, from the runtime's time-zone database (Intl), at minute precision:
 * every zone offset in use is a whole number of minutes.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MINUTE = 60_000;

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

export interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export function wallParts(zone: string, instantMs: number): WallParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(instantMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
  };
}

/** The wall-clock reading at an instant, written as if it were UTC (so wall times can be compared). */
export function wallMs(zone: string, instantMs: number): number {
  const floored = Math.floor(instantMs / MINUTE) * MINUTE;
  const p = wallParts(zone, floored);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
}

const offsetAt = (zone: string, instantMs: number) => {
  const floored = Math.floor(instantMs / MINUTE) * MINUTE;
  return wallMs(zone, floored) - floored;
};

/**
 * The first instant at which the clock in `zone` reads `wall` or later. A wall time the clock shows twice
 * (autumn) resolves to its first showing; one it skips (spring) resolves to the moment of the jump.
 */
export function wallToInstant(zone: string, wall: number): number {
  const offsets = new Set([
    offsetAt(zone, wall - 36 * 3_600_000),
    offsetAt(zone, wall),
    offsetAt(zone, wall + 36 * 3_600_000),
  ]);
  const exact = [...offsets].map((o) => wall - o).filter((i) => wallMs(zone, i) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap: search the minutes between the two readings for the jump.
  let lo = wall - Math.max(...offsets);
  let hi = wall - Math.min(...offsets);
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / MINUTE / 2) * MINUTE;
    if (wallMs(zone, mid) >= wall) hi = mid;
    else lo = mid;
  }
  return wallMs(zone, lo) >= wall ? lo : hi;
}

/** Monday = 0 ... Sunday = 6, for a date written as UTC midnight. */
export function weekdayOf(dateUtcMs: number): number {
  return (new Date(dateUtcMs).getUTCDay() + 6) % 7;
}
