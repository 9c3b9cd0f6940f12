import type { BatterySource } from './battery-source';
import { detectGames } from './detect-games';
import type { ProcessLister } from './process-lister';

/** What the poller reports: a part of the availability signals, only the part that changed. */
export type SignalPatch = { games: string[] } | { onBattery: boolean | null };

export interface SignalPollerOptions {
  lister: ProcessLister;
  /** null/omitted where another source owns `onBattery` (Electron's powerMonitor in the desktop app). */
  battery?: BatterySource | null;
  /** The owner's own list of games, read at every scan so an edit takes effect on the next one. */
  ownGames: () => string[];
  onPatch: (patch: SignalPatch) => void;
  /**
   * Process scan period. 3 s: a game needs seconds to open a window and claim the GPU, so a game is
   * noticed within one period (1.5 s on average). Cost measured on the 2-core dev VM (71 processes,
   * Node 20/22): one /proc scan takes ~2 ms of CPU (p50 2.0 ms, p99 6 ms wall; p50 4 ms, p99 16 ms while
   * a busy job holds one of the two cores); detectGames over it takes 0.1 ms (0.4 ms for 426
   * processes). A desktop with ~400 processes should be near 10 ms a scan: ~0.3 % of one core at 3 s.
   * A function is asked before each wait (the app scans slower while renting is off: nothing is handed
   * back then, and the agent should cost next to nothing at rest).
   */
  intervalMs?: number | (() => number);
  /** Battery period: systeminformation reads sysfs (or spawns pmset/WMI elsewhere); mains changes are rare. */
  batteryIntervalMs?: number;
  onError?: (message: string) => void;
}

export interface SignalPoller {
  start(): void;
  stop(): void;
  /** Scans (and reads the battery) now, e.g. after the owner edits their list; resolves when done. */
  refresh(): Promise<void>;
  /** The last values reported. */
  current(): { games: string[]; onBattery: boolean | null };
}

export const DEFAULT_SCAN_INTERVAL_MS = 3_000;
/** While renting is off: games only change what the Dashboard says, not a renter's job. */
export const RESTING_SCAN_INTERVAL_MS = 15_000;
export const DEFAULT_BATTERY_INTERVAL_MS = 30_000;

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Polls the process list and the battery, and reports a patch only when a value changed. The first
 * values are compared with the availability service's starting point (no games, battery unknown), so
 * a quiet machine reports nothing at all. Polls never overlap: the next one is timed from the end of
 * the last.
 */
export function createSignalPoller(options: SignalPollerOptions): SignalPoller {
  const interval = options.intervalMs ?? DEFAULT_SCAN_INTERVAL_MS;
  const intervalMs = () => (typeof interval === 'function' ? interval() : interval);
  const batteryIntervalMs = options.batteryIntervalMs ?? DEFAULT_BATTERY_INTERVAL_MS;
  let games: string[] = [];
  let onBattery: boolean | null = null;
  let stopped = false;
  let running = false;
  let scanTimer: NodeJS.Timeout | undefined;
  let batteryTimer: NodeJS.Timeout | undefined;
  let scanning: Promise<void> | null = null;
  let reading: Promise<void> | null = null;

  const report = (message: string) => options.onError?.(message);

  const scanOnce = (): Promise<void> => {
    scanning ??= (async () => {
      try {
        const processes = await options.lister.list();
        const found = detectGames(processes, options.ownGames(), { platform: options.lister.platform });
        if (!stopped && !sameList(found, games)) {
          games = found;
          options.onPatch({ games: found });
        }
      } catch (error) {
        report(`Could not list processes (${options.lister.kind}): ${(error as Error).message}`);
      } finally {
        scanning = null;
      }
    })();
    return scanning;
  };

  const readBattery = (): Promise<void> => {
    if (!options.battery) return Promise.resolve();
    const source = options.battery;
    reading ??= (async () => {
      try {
        const value = await source();
        if (!stopped && value !== onBattery) {
          onBattery = value;
          options.onPatch({ onBattery: value });
        }
      } catch (error) {
        report(`Could not read the battery: ${(error as Error).message}`);
      } finally {
        reading = null;
      }
    })();
    return reading;
  };

  const scanLoop = async () => {
    await scanOnce();
    if (running) {
      scanTimer = setTimeout(() => void scanLoop(), intervalMs());
      scanTimer.unref?.();
    }
  };
  const batteryLoop = async () => {
    await readBattery();
    if (running) {
      batteryTimer = setTimeout(() => void batteryLoop(), batteryIntervalMs);
      batteryTimer.unref?.();
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      stopped = false;
      void scanLoop();
      if (options.battery) void batteryLoop();
    },
    stop() {
      running = false;
      stopped = true;
      clearTimeout(scanTimer);
      clearTimeout(batteryTimer);
    },
    async refresh() {
      // A scan already under way may predate what the caller changed: wait for it, then scan again.
      if (scanning) await scanning;
      await Promise.all([scanOnce(), readBattery()]);
    },
    current: () => ({ games, onBattery }),
  };
}
