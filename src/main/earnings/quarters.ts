/**
 * Earnings and energy are summed per UTC quarter-hour: every zone's offset from UTC is a whole number of
 * quarter-hours, so quarters add up to the owner's local days (and hours) in any zone, also after the
 * owner moves to another one.
 */
export const QUARTER_MS = 900_000;

export const quarterOf = (ms: number) => Math.floor(ms / QUARTER_MS);
