import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { JobTerms } from '../market/job-terms';
import { requiredAmount, VOUCHER_DEFAULTS } from './voucher-policy';

/**
 * What the provider does when the renter's vouchers stop: "stop" means the amount the renter has signed
 * falls behind what the job owes (price x running seconds), whether no voucher comes any more or vouchers
 * come that add too little. Two periods:
 *
 * 1. While the job runs, the renter is trusted for `pauseAfterSeconds` of running time: once the unpaid
 *    amount reaches price x pauseAfterSeconds, the job is paused. So the provider's exposure is bounded by
 *    that amount, however the renter paid before (a renter who paid 30 s ahead is paused 30 s later than
 *    one who paid nothing ahead). A renter paying in arrears every few seconds is never paused.
 * 2. Paused, the job owes nothing more (paused time is not billed). It resumes once a voucher covers all
 *    that is owed (not just part of it, so a renter who pays a little at a time does not make the job
 *    flap), and is stopped once it has been paused for `stopAfterSeconds` without that.
 *
 * A job whose deposit is used up (price x seconds above the deposit) ends the same way: no voucher can
 * cover it.
 */

export type WatchdogVerdict = 'ok' | 'pause' | 'stop';

export interface WatchdogInput {
  /** The highest stored voucher's amount (0 before the first). */
  signed: bigint;
  /** What the job owes by now: `requiredAmount(terms, billedSeconds)`. */
  required: bigint;
  pricePerSecond: bigint;
  /** When the watchdog paused the job (ms), null while the job is not paused for want of vouchers. */
  pausedAtMs: number | null;
  nowMs: number;
  pauseAfterSeconds: number;
  stopAfterSeconds: number;
}

/**
 * The verdict, a pure function: 'ok' (keep running, or resume), 'pause' (pause, or stay paused), 'stop'.
 */
export function decideVoucherWatchdog(input: WatchdogInput): WatchdogVerdict {
  const unpaid = input.required > input.signed ? input.required - input.signed : 0n;
  if (input.pausedAtMs === null) {
    // Compared in milliseconds of price, so fractional periods work with exact integers.
    const credit = input.pricePerSecond * BigInt(Math.round(input.pauseAfterSeconds * 1000));
    return unpaid > 0n && unpaid * 1000n >= credit ? 'pause' : 'ok';
  }
  if (unpaid === 0n) return 'ok';
  return input.nowMs - input.pausedAtMs >= input.stopAfterSeconds * 1000 ? 'stop' : 'pause';
}

export type SetTimer = (fn: () => void, ms: number) => unknown;
export type ClearTimer = (handle: unknown) => void;

export interface VoucherWatchdogOptions {
  clock: Clock;
  logger: Logger;
  terms: Pick<JobTerms, 'pricePerSecond' | 'maxSeconds'>;
  /** The amount stored so far (the ledger's `signed`, or the intake's last ok). */
  signed: () => bigint;
  /** Running seconds so far, paused time excluded. */
  billedSeconds: () => number;
  onPause: (reason: string) => void | Promise<void>;
  onResume: () => void | Promise<void>;
  onStop: (reason: string) => void | Promise<void>;
  pauseAfterSeconds?: number;
  stopAfterSeconds?: number;
  /** How often the verdict is taken again (default 1 s); `check()` also takes it at once. */
  tickMs?: number;
  setTimer?: SetTimer;
  clearTimer?: ClearTimer;
}

/** idle: not started; stopped: it stopped the job (final); disposed: watching ended for another reason. */
export type VoucherWatchdogPhase = 'idle' | 'running' | 'paused' | 'stopped' | 'disposed';

const defaultSetTimer: SetTimer = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return timer;
};
const defaultClearTimer: ClearTimer = (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>);

/**
 * Drives `decideVoucherWatchdog` for one job: takes the verdict every tick and whenever `check()` is called
 * (after each stored voucher), and calls onPause, onResume and onStop on changes, each once per change.
 * Stopped is final.
 */
export function createVoucherWatchdog(options: VoucherWatchdogOptions) {
  const setTimer = options.setTimer ?? defaultSetTimer;
  const clearTimer = options.clearTimer ?? defaultClearTimer;
  const pauseAfterSeconds = options.pauseAfterSeconds ?? VOUCHER_DEFAULTS.pauseAfterSeconds;
  const stopAfterSeconds = options.stopAfterSeconds ?? VOUCHER_DEFAULTS.stopAfterSeconds;
  const tickMs = options.tickMs ?? 1000;
  let phase: VoucherWatchdogPhase = 'idle';
  let pausedAtMs: number | null = null;
  let handle: unknown = null;

  const run = (what: string, action: () => void | Promise<void>) => {
    try {
      void Promise.resolve(action()).catch((error: unknown) =>
        options.logger.error(`Voucher watchdog: ${what} failed`, error),
      );
    } catch (error) {
      options.logger.error(`Voucher watchdog: ${what} failed`, error);
    }
  };

  const disarm = () => {
    if (handle !== null) clearTimer(handle);
    handle = null;
  };
  const arm = () => {
    disarm();
    handle = setTimer(tick, tickMs);
  };
  function tick() {
    handle = null;
    check();
    if (phase === 'running' || phase === 'paused') arm();
  }

  function check(): WatchdogVerdict | null {
    if (phase !== 'running' && phase !== 'paused') return null;
    const nowMs = options.clock.now().getTime();
    const signed = options.signed();
    const required = requiredAmount(options.terms, options.billedSeconds());
    const verdict = decideVoucherWatchdog({
      signed,
      required,
      pricePerSecond: options.terms.pricePerSecond,
      pausedAtMs,
      nowMs,
      pauseAfterSeconds,
      stopAfterSeconds,
    });
    if (verdict === 'pause' && phase === 'running') {
      phase = 'paused';
      pausedAtMs = nowMs;
      const reason =
        `The renter has signed ${signed} of the ${required} the job owes, at least ` +
        `${pauseAfterSeconds} s behind: paused until a voucher covers it.`;
      options.logger.warn(`Voucher watchdog: ${reason}`);
      run('pausing the job', () => options.onPause(reason));
    } else if (verdict === 'ok' && phase === 'paused') {
      phase = 'running';
      pausedAtMs = null;
      options.logger.info('Voucher watchdog: the renter caught up; resuming the job.');
      run('resuming the job', () => options.onResume());
    } else if (verdict === 'stop') {
      phase = 'stopped';
      disarm();
      const reason =
        `The renter has signed ${signed} of the ${required} the job owes, and no voucher covered it ` +
        `within ${stopAfterSeconds} s of the pause: the job is stopped.`;
      options.logger.warn(`Voucher watchdog: ${reason}`);
      run('stopping the job', () => options.onStop(reason));
    }
    return verdict;
  }

  return {
    /** Starts watching (the job has started running). */
    start(): void {
      if (phase !== 'idle') return;
      phase = 'running';
      arm();
    },
    /** Takes the verdict now (call it after each stored voucher, so a paused job resumes at once). */
    check,
    /** Stops watching without acting (the job ended for another reason). */
    dispose(): void {
      disarm();
      if (phase !== 'stopped') phase = 'disposed';
    },
    phase: (): VoucherWatchdogPhase => phase,
  };
}

export type VoucherWatchdog = ReturnType<typeof createVoucherWatchdog>;
