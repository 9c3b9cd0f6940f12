/** The two fields of systeminformation's `battery()` that say whether the machine runs on battery. */
export interface BatteryReading {
  hasBattery: boolean;
  acConnected: boolean;
}

/** Whether the machine runs on battery now: true/false, or null when it cannot be told. */
export type BatterySource = () => Promise<boolean | null>;

// Loaded at the first read: systeminformation is large, and most machines read it once a minute at most.
const systeminformationBattery = async (): Promise<BatteryReading> =>
  (await import('systeminformation')).default.battery();

/**
 * Reads the battery through `read` (systeminformation's `battery()` by default; tests pass a fake).
 * A machine with no battery is on mains (false). A failed read is "unknown" (null), so a broken probe
 * never blocks rentals: the decision only stops for `onBattery === true`.
 */
export function createBatterySource(
  read: () => Promise<BatteryReading> = systeminformationBattery,
): BatterySource {
  return async () => {
    try {
      const b = await read();
      if (typeof b?.hasBattery !== 'boolean') return null;
      if (!b.hasBattery) return false;
      return typeof b.acConnected === 'boolean' ? !b.acConnected : null;
    } catch {
      return null;
    }
  };
}
