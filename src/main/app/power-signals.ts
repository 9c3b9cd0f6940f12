import { powerMonitor } from 'electron';

/** The availability signals Electron knows: a patch for the availability service's `updateSignals`. */
export interface PowerPatch {
  userIdleSeconds?: number;
  screenLocked?: boolean;
  onBattery?: boolean;
}

export interface PowerSignalsOptions {
  /** Called on `suspend`: the OS freezes everything anyway; a job runner may want to note it. */
  onSuspend?: () => void;
  /**
   * Whether Electron reports `onBattery`. Chromium implements battery power on Windows and macOS only
   * (on Linux `isOnBatteryPower()` stays false and `on-battery` never fires), so by default Linux leaves
   * `onBattery` to the signal poller's systeminformation source.
   */
  battery?: boolean;
  platform?: string;
}

export const IDLE_POLL_MS = 2_000;

/**
 * Whether an idle reading is worth reporting, given the last one reported. The availability service
 * holds the last value it was told, so it needs a new one only when that value is out of date in a
 * way that matters: the reading crossed a whole minute (idle thresholds are whole minutes, so this is
 * where "idle enough" flips), or it fell below what the service holds (the owner came back: report at
 * once, it is what hands the GPU back in idle mode).
 */
export function idleReportDue(lastReported: number | null, current: number): boolean {
  if (lastReported === null) return true;
  return current < lastReported || Math.floor(current / 60) !== Math.floor(lastReported / 60);
}

/**
 * Feeds Electron's power signals to `onPatch`: idle time (polled every 2 s, reported per idleReportDue),
 * screen lock (`lock-screen`/`unlock-screen`, Windows and macOS), mains or battery (`on-ac`/`on-battery`,
 * plus a cheap re-read of `isOnBatteryPower()` on each poll in case an event is missed), and sleep:
 * polling stops on `suspend`; on `resume` every value is read afresh and `onWake` is called (the clock
 * jumped: re-decide). Returns a function that stops it all.
 */
export function startPowerSignals(
  onPatch: (patch: PowerPatch) => void,
  onWake: () => void,
  options: PowerSignalsOptions = {},
): () => void {
  const platform = options.platform ?? process.platform;
  const battery = options.battery ?? (platform === 'win32' || platform === 'darwin');
  const lockEvents = platform === 'win32' || platform === 'darwin';
  let lastIdle: number | null = null;
  let lastBattery: boolean | null = null;
  let timer: NodeJS.Timeout | undefined;

  const readIdle = (force: boolean) => {
    const idle = powerMonitor.getSystemIdleTime();
    if (force || idleReportDue(lastIdle, idle)) {
      lastIdle = idle;
      onPatch({ userIdleSeconds: idle });
    }
  };
  const setBattery = (value: boolean) => {
    if (!battery || value === lastBattery) return;
    lastBattery = value;
    onPatch({ onBattery: value });
  };
  const tick = () => {
    readIdle(false);
    setBattery(powerMonitor.isOnBatteryPower());
  };
  const startPolling = () => {
    clearInterval(timer);
    timer = setInterval(tick, IDLE_POLL_MS);
  };

  const onLock = () => onPatch({ screenLocked: true });
  const onUnlock = () => {
    onPatch({ screenLocked: false });
    readIdle(true); // the owner is back: idle time has just reset
  };
  const onAc = () => setBattery(false);
  const onBatteryEvent = () => setBattery(true);
  const onSuspend = () => {
    clearInterval(timer);
    options.onSuspend?.();
  };
  const onResume = () => {
    readIdle(true);
    setBattery(powerMonitor.isOnBatteryPower());
    startPolling();
    onWake();
  };

  // First values. 'locked' is reported only where the OS can tell; elsewhere screenLocked stays unknown.
  const state = powerMonitor.getSystemIdleState(1);
  if (lockEvents || state === 'locked') onPatch({ screenLocked: state === 'locked' });
  readIdle(true);
  setBattery(powerMonitor.isOnBatteryPower());

  powerMonitor.on('lock-screen', onLock);
  powerMonitor.on('unlock-screen', onUnlock);
  powerMonitor.on('on-ac', onAc);
  powerMonitor.on('on-battery', onBatteryEvent);
  powerMonitor.on('suspend', onSuspend);
  powerMonitor.on('resume', onResume);
  startPolling();

  return () => {
    clearInterval(timer);
    powerMonitor.off('lock-screen', onLock);
    powerMonitor.off('unlock-screen', onUnlock);
    powerMonitor.off('on-ac', onAc);
    powerMonitor.off('on-battery', onBatteryEvent);
    powerMonitor.off('suspend', onSuspend);
    powerMonitor.off('resume', onResume);
  };
}
