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
  /** GPU sampling while the card is idle; a long interval costs less. */
  telemetryIdleSeconds: z
    .number()
    .int('must be a whole number')
    .min(2, 'must be at least 2 s')
    .max(300, 'must be at most 300 s'),
  /** GPU sampling while a renter's job runs; the thermal guard reacts this fast. */
  telemetryBusySeconds: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1 s')
    .max(60, 'must be at most 60 s'),
  /** When the GPU is for rent: inside the schedule, inside it and idle, or whenever idle. */
  availabilityMode: z.enum(['schedule', 'schedule-and-idle', 'idle']),
  /** Minutes without keyboard or mouse before the owner counts as away. */
  idleMinutes: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1 minute')
    .max(240, 'must be at most 240 minutes'),
  /** The owner's own games or apps that take the GPU back (executable names, e.g. "eldenring.exe"). */
  ownGames: z
    .array(z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters'))
    .max(200, 'must list at most 200 programs'),
  /** Minutes without wallet use before the wallet locks itself. */
  walletAutoLockMinutes: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1 minute')
    .max(1440, 'must be at most 1440 minutes (a day)'),
  /** Where the embedded devnet listens on 127.0.0.1 (0: any free port). */
  devnetPort: z
    .number()
    .int('must be a whole number')
    .min(0, 'must be 0 (any free port) or a port number')
    .max(65535, 'must be at most 65535'),
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
  telemetryIdleSeconds: 10,
  telemetryBusySeconds: 1,
  availabilityMode: 'schedule',
  idleMinutes: 10,
  ownGames: [],
  walletAutoLockMinutes: 15,
  devnetPort: 18545,
};
