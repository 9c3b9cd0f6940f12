import type { Clock } from '../core/clock';

export type SetTimer = (fn: () => void, ms: number) => unknown;
export type ClearTimer = (handle: unknown) => void;

export interface AutoLockOptions {
  clock: Clock;
  /** Read at every use, so a changed setting applies from the next activity (or reschedule()). */
  minutes: () => number;
  onExpire: () => void;
  setTimer?: SetTimer;
  clearTimer?: ClearTimer;
}

export interface AutoLock {
  /** Activity: the idle time starts again. Arms the timer. */
  touch(): void;
  /** Disarms (the wallet was locked). */
  stop(): void;
  /** True when armed and idle for the full time, by the clock (a timer can be late after sleep). */
  expired(): boolean;
  /** Re-arms for the remaining idle time with the current setting. */
  reschedule(): void;
}

const defaultSetTimer: SetTimer = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return timer;
};
const defaultClearTimer: ClearTimer = (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>);
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Locks the wallet after `minutes()` without use. 0 or less (or not a number) means never. */
export function createAutoLock(options: AutoLockOptions): AutoLock {
  const setTimer = options.setTimer ?? defaultSetTimer;
  const clearTimer = options.clearTimer ?? defaultClearTimer;
  let armed = false;
  let lastActivity = 0;
  let handle: unknown = null;

  const limitMs = () => {
    const minutes = options.minutes();
    return Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : null;
  };
  const idleMs = () => options.clock.now().getTime() - lastActivity;
  const disarmTimer = () => {
    if (handle !== null) clearTimer(handle);
    handle = null;
  };
  const schedule = () => {
    disarmTimer();
    const limit = limitMs();
    if (!armed || limit === null) return;
    const remaining = Math.min(MAX_TIMER_MS, Math.max(0, limit - Math.max(0, idleMs())));
    handle = setTimer(fire, remaining);
  };
  const expired = () => {
    const limit = limitMs();
    return armed && limit !== null && idleMs() >= limit;
  };
  function fire() {
    handle = null;
    if (!armed) return;
    if (expired()) {
      armed = false;
      options.onExpire();
    } else {
      schedule();
    }
  }

  return {
    touch() {
      armed = true;
      lastActivity = options.clock.now().getTime();
      schedule();
    },
    stop() {
      armed = false;
      disarmTimer();
    },
    expired,
    reschedule: schedule,
  };
}
