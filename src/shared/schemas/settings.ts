import { z } from 'zod';
import { MAX_RELAYS, relayAddressProblem } from '../relay-address';

const kwhPrice = z
  .number({ error: 'must be a price per kWh (0 or more)' })
  .min(0, 'must be 0 or more')
  .max(1000, 'must be at most 1000 per kWh');

/** The kinds of OS notification, each switchable in Settings. */
export const NOTIFICATION_KINDS = [
  'jobStarted',
  'jobFinished',
  'paymentSettled',
  'heatPause',
  'vouchersStalled',
  'updateReady',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const httpsUrl = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .refine((u) => /^https:\/\/[^\s]+$/.test(u) && URL.canParse(u), { message: 'must be an https:// address' });

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
  /** Take renters: run the peer-to-peer node and answer quotes. Off until the owner goes online. */
  providerOnline: z.boolean(),
  /**
   * The first-run setup was finished (online or not): the app opens on the Dashboard, not the setup.
   * Its steps stay reachable from Settings.
   */
  setupDone: z.boolean(),
  /**
   * While renting is on, the wallet does not lock itself after `walletAutoLockMinutes`: the provider signs
   * every quote and settles with it, overnight too. Locking by hand still locks it.
   */
  keepWalletUnlockedOnline: z.boolean(),
  /** The TCP port renters dial (WebSockets on the next one); 0: any free port. */
  p2pPort: z
    .number()
    .int('must be a whole number')
    .min(0, 'must be 0 (any free port) or a port number')
    .max(65534, 'must be at most 65534 (WebSockets take the next port)'),
  /**
   * Circuit relays (v2) to listen through, for a machine renters cannot dial (behind NAT): each a relay's
   * multiaddr ending in /p2p/<its peer id>. The provider listens on `<relay>/p2p-circuit` too.
   */
  p2pRelays: z
    .array(
      z
        .string()
        .trim()
        .superRefine((value, ctx) => {
          const problem = relayAddressProblem(value);
          if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
        }),
    )
    .max(MAX_RELAYS, `must list at most ${MAX_RELAYS} relays`)
    .superRefine((relays, ctx) => {
      relays.forEach((relay, index) => {
        if (relays.indexOf(relay) !== index)
          ctx.addIssue({ code: 'custom', message: `"${relay}" is listed twice`, path: [index] });
      });
    }),
  /** The offer's price per GPU hour, in the selected network's payment token (e.g. "0.5" tUSD). */
  offerPricePerHour: z
    .string()
    .trim()
    .regex(/^\d{1,12}(\.\d{1,18})?$/, 'must be a price such as 0.5'),
  /** The longest job the offer takes, in hours. */
  offerMaxHours: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1 hour')
    .max(168, 'must be at most 168 hours (a week)'),
  /**
   * Electricity, in the owner's currency per kWh: one flat price, or 24 prices by the hour of the day on
   * the schedule's clock (index 0 is 00:00-01:00). 0: no cost known (quotes then weigh no electricity).
   */
  electricityPerKWh: z.union(
    [
      kwhPrice,
      z
        .array(kwhPrice, { error: 'must be a list of 24 prices per kWh, one per hour of the day' })
        .length(24, 'must hold 24 prices, one per hour of the day (00:00 first)'),
    ],
    { error: 'must be a price per kWh (0 or more), or a list of 24 of them, one per hour of the day' },
  ),
  /**
   * The owner's currency, as an ISO 4217 code: electricity is priced in it, and earnings are shown in it
   * beside the tokens they were paid in.
   */
  currency: z
    .string({ error: 'must be a currency code such as EUR' })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as EUR or USD'),
  /** What one payment token is worth in the owner's currency (1 tUSD = 0.92 EUR: 0.92). */
  tokenValue: z
    .number({ error: 'must be a number (what one payment token is worth in your currency)' })
    .positive('must be more than 0')
    .max(1_000_000_000, 'must be at most 1000000000'),
  /** The least the owner takes per GPU hour, in the payment token: quotes below it are refused. */
  floorPricePerHour: z
    .string({ error: 'must be a price such as 0.2' })
    .trim()
    .regex(/^\d{1,12}(\.\d{1,18})?$/, 'must be a price such as 0.2 (0: no floor)'),
  /**
   * The GPU's power under load, watts, used when the monitor has not measured one; null: the card's rated
   * power where the driver reports it, else 250 W.
   */
  gpuPowerW: z
    .number({ error: 'must be a number of watts, or null to use the card’s rated power' })
    .int('must be a whole number of watts')
    .min(1, 'must be at least 1 W')
    .max(2000, 'must be at most 2000 W')
    .nullable(),
  /** Which notifications the desktop app shows (each may be turned off). */
  notifications: z.strictObject(
    Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, z.boolean()])) as Record<
      NotificationKind,
      z.ZodBoolean
    >,
  ),
  /**
   * Where the desktop app looks for updates (an electron-updater "generic" feed: latest.yml and the
   * installers); null: it does not look. Checked every 6 hours.
   */
  updateFeedUrl: httpsUrl.nullable(),
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
  providerOnline: false,
  setupDone: false,
  keepWalletUnlockedOnline: true,
  p2pPort: 4747,
  p2pRelays: [],
  offerPricePerHour: '0.5',
  offerMaxHours: 8,
  electricityPerKWh: 0,
  currency: 'USD',
  tokenValue: 1,
  floorPricePerHour: '0',
  gpuPowerW: null,
  notifications: {
    jobStarted: true,
    jobFinished: true,
    paymentSettled: true,
    heatPause: true,
    vouchersStalled: true,
    updateReady: true,
  },
  updateFeedUrl: null,
  devnetPort: 18545,
};
