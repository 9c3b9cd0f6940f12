import { z } from 'zod';
import { isKnownTimeZone } from '../schedule/time-zones';
import { SLOTS_PER_WEEK } from '../schedule/week-slots';

export const TimeZoneSchema = z
  .string()
  .refine(isKnownTimeZone, { message: 'is not a known time zone (e.g. Europe/Berlin)' });

/** 7 x 96 quarter-hours of local wall-clock time, Monday first, '1' = for rent. */
export const SlotsSchema = z
  .string()
  .regex(new RegExp(`^[01]{${SLOTS_PER_WEEK}}$`), `must be ${SLOTS_PER_WEEK} characters of 0 and 1`);

export const ScheduleViewSchema = z.strictObject({
  timezone: z.string(),
  slots: SlotsSchema,
  /** The same grid written as windows, e.g. "mon-fri 01:00-08:00". */
  windows: z.array(z.string()),
});
export type ScheduleView = z.infer<typeof ScheduleViewSchema>;

export const AvailabilityModeSchema = z.enum(['schedule', 'schedule-and-idle', 'idle']);

export const AvailabilityViewSchema = z.strictObject({
  available: z.boolean(),
  reasons: z.array(z.string()),
  nextChange: z.iso.datetime().nullable(),
  sentence: z.string(),
  mode: AvailabilityModeSchema,
  idleMinutes: z.number(),
  /** The owner's manual pause: null when not paused; `until` null when until they resume. */
  pause: z.strictObject({ until: z.iso.datetime().nullable() }).nullable(),
});
export type AvailabilityView = z.infer<typeof AvailabilityViewSchema>;

export const PauseForSchema = z.enum(['hour', 'tomorrow', 'indefinitely']);
export type PauseFor = z.infer<typeof PauseForSchema>;
