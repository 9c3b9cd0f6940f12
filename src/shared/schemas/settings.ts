import { z } from 'zod';

/** Everything the owner can change in Settings. Stored in SQLite, one row per key. */
export const SettingsSchema = z.strictObject({
  /** How this machine is named to the owner (tray tooltip, later the market offer). */
  deviceName: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  /** Launch Nocturne when the owner logs in. */
  startOnLogin: z.boolean(),
  /** Closing the window keeps Nocturne running in the tray instead of quitting. */
  closeToTray: z.boolean(),
  temperatureUnit: z.enum(['celsius', 'fahrenheit']),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** A partial update; unknown keys are refused so a typo never silently does nothing. */
export const SettingsPatchSchema = SettingsSchema.partial();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = {
  deviceName: 'My GPU rig',
  startOnLogin: false,
  closeToTray: true,
  temperatureUnit: 'celsius',
};
