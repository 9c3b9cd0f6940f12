import { ApiError } from '../../shared/envelope';
import { SLOT_MINUTES, SLOTS_PER_DAY } from '../../shared/schedule/week-slots';
import { toError } from '../hooks/use-api-data';

/** Full day names, Monday first like the slot strings. */
export const DAY_NAMES = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;
export const DAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** "01:15" for slot 5; slot 96 is "24:00", the end of the day. */
export function slotTime(slot: number): string {
  const minutes = slot * SLOT_MINUTES;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "Monday 01:00–01:15": how a screen reader names one quarter-hour of the grid. */
export function slotLabel(day: number, slot: number): string {
  return `${DAY_NAMES[day] ?? ''} ${slotTime(slot)}–${slotTime(slot + 1)}`;
}

/** "No hours", "15 minutes", "1 hour", "7 hours 30 minutes" for a number of quarter-hours. */
export function slotsDuration(count: number): string {
  const hours = Math.floor((count * SLOT_MINUTES) / 60);
  const minutes = (count * SLOT_MINUTES) % 60;
  if (hours === 0 && minutes === 0) return 'No hours';
  const parts: string[] = [];
  if (hours > 0) parts.push(`${hours} ${hours === 1 ? 'hour' : 'hours'}`);
  if (minutes > 0) parts.push(`${minutes} minutes`);
  return parts.join(' ');
}

export const HOURS_PER_LABEL = 2;
/** The hour labels above the grid: one every HOURS_PER_LABEL hours. */
export const HOUR_LABELS = Array.from({ length: 24 / HOURS_PER_LABEL }, (_, i) =>
  slotTime((i * HOURS_PER_LABEL * SLOTS_PER_DAY) / 24),
);

/**
 * Main's messages for one field read like "is not a known time zone" or "must be at most 240 minutes";
 * beside the field they read better with its name in front.
 */
export function withFieldName(label: string, message: string): string {
  return /^[a-z]/.test(message) ? `${label} ${message}` : message;
}

/** An error split into per-field messages (by the first part of the field's path) and the rest. */
export interface DescribedError<F extends string> {
  message: string;
  fields: Partial<Record<F, string>>;
}

export function describeError<F extends string>(error: unknown, known: readonly F[]): DescribedError<F> {
  if (!(error instanceof ApiError)) return { message: toError(error).message, fields: {} };
  const fieldOf = (path: string | undefined): F | undefined => {
    const head = path?.split('.')[0];
    return known.find((f) => f === head);
  };
  const fields: Partial<Record<F, string>> = {};
  for (const issue of error.issues) {
    const field = fieldOf(issue.field);
    if (field !== undefined) fields[field] ??= issue.message;
  }
  // A refusal without issues (the service itself said no) still names its field.
  const field = fieldOf(error.field);
  if (field !== undefined) fields[field] ??= error.message;
  return { message: error.message, fields };
}
