import { z } from 'zod';

export const RunModeSchema = z.enum(['electron', 'headless']);
export type RunMode = z.infer<typeof RunModeSchema>;

/** The whole app's state as the owner sees it in the tray, the Dashboard and `nocturne status`. */
export const AppStatusSchema = z.strictObject({
  version: z.string(),
  mode: RunModeSchema,
  /** `paused` is the owner's manual pause: nothing is rented out until they resume. */
  state: z.enum(['active', 'paused']),
  /** One plain sentence for the tray's status line and the Dashboard's headline. */
  sentence: z.string(),
  startedAt: z.iso.datetime(),
  pausedAt: z.iso.datetime().nullable(),
  /** When a timed pause ends; null for no pause or a pause until resumed. */
  pausedUntil: z.iso.datetime().nullable(),
  /** Whether the GPU is for rent right now (schedule, idle, games, heat, battery, pause). */
  available: z.boolean(),
  dataDir: z.string(),
  schemaVersion: z.number().int().nonnegative(),
});
export type AppStatus = z.infer<typeof AppStatusSchema>;
