// The voucher watchdog: pause after the first grace, stop after the second, resume when the renter
// catches up; the decision pure, the driver on a fake clock and fake timers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requiredAmount } from '../../../src/main/provider/voucher-policy';
import {
  createVoucherWatchdog,
  decideVoucherWatchdog,
  type WatchdogInput,
} from '../../../src/main/provider/voucher-watchdog';
import { createFakeClock } from '../../fakes/fake-clock';
import { createMemoryLogger } from '../../fakes/memory-logger';

const PRICE = 125n;
const base: WatchdogInput = {
  signed: 0n,
  required: 0n,
  pricePerSecond: PRICE,
  pausedAtMs: null,
  nowMs: 1_000_000,
  pauseAfterSeconds: 30,
  stopAfterSeconds: 120,
};
const decide = (overrides: Partial<WatchdogInput>) => decideVoucherWatchdog({ ...base, ...overrides });

describe('decideVoucherWatchdog', () => {
  it('lets the job run while the unpaid time is under the first grace, prepaid or in arrears', () => {
    expect(decide({})).toBe('ok');
    expect(decide({ signed: PRICE * 40n, required: PRICE * 10n })).toBe('ok'); // paid ahead
    expect(decide({ signed: PRICE * 10n, required: PRICE * 39n })).toBe('ok'); // 29 s behind
    expect(decide({ signed: PRICE * 10n, required: PRICE * 40n - 1n })).toBe('ok');
  });

  it('pauses once the renter owes the first grace, however recent its last voucher', () => {
    expect(decide({ signed: PRICE * 10n, required: PRICE * 40n })).toBe('pause');
    expect(decide({ signed: 0n, required: PRICE * 1000n })).toBe('pause');
    // Fractional grace, exact integers: 2.5 s at 125 a second is 312.5.
    expect(decide({ pauseAfterSeconds: 2.5, required: 312n })).toBe('ok');
    expect(decide({ pauseAfterSeconds: 2.5, required: 313n })).toBe('pause');
    // No grace: any unpaid amount.
    expect(decide({ pauseAfterSeconds: 0, required: 1n })).toBe('pause');
    expect(decide({ pauseAfterSeconds: 0 })).toBe('ok');
  });

  it('stays paused until a voucher covers everything owed, and stops after the second grace', () => {
    const paused = { signed: PRICE * 10n, required: PRICE * 40n, pausedAtMs: base.nowMs };
    expect(decide(paused)).toBe('pause');
    expect(decide({ ...paused, nowMs: base.nowMs + 119_999 })).toBe('pause');
    expect(decide({ ...paused, nowMs: base.nowMs + 120_000 })).toBe('stop');
    // Part of the debt paid: still paused (no flapping), still stopped in time.
    expect(decide({ ...paused, signed: PRICE * 39n, nowMs: base.nowMs + 60_000 })).toBe('pause');
    expect(decide({ ...paused, signed: PRICE * 39n, nowMs: base.nowMs + 120_000 })).toBe('stop');
    // All of it paid: resume, at any time before the stop.
    expect(decide({ ...paused, signed: PRICE * 40n, nowMs: base.nowMs + 119_000 })).toBe('ok');
    expect(decide({ ...paused, signed: PRICE * 70n, nowMs: base.nowMs + 119_000 })).toBe('ok');
  });
});

/**
 * A job on the fake clock: it bills time only while running (neither paused by the watchdog nor stopped),
 * and a renter that signs what it owes plus `aheadSeconds`, every `everySeconds`, until `silentAfter`.
 */
function simulate(options: {
  everySeconds: number;
  aheadSeconds: number;
  silentAfter: number;
  /** A renter that keeps sending vouchers after `silentAfter`, each adding only this much. */
  trickle?: bigint;
  resumeAt?: number;
  maxSeconds?: bigint;
  seconds: number;
}) {
  const clock = createFakeClock();
  const logger = createMemoryLogger();
  const terms = { pricePerSecond: PRICE, maxSeconds: options.maxSeconds ?? 100_000n };
  const timers: { fn: () => void; at: number }[] = [];
  let running = true;
  let billed = 0;
  let signed = 0n;
  const events: string[] = [];
  let maxUnpaidWhileRunning = 0n;
  const watchdog = createVoucherWatchdog({
    clock,
    logger,
    terms,
    signed: () => signed,
    billedSeconds: () => billed,
    onPause: (reason) => {
      running = false;
      events.push(`pause@${elapsed()}`);
      expect(reason).toMatch(/paused until a voucher covers it/);
    },
    onResume: () => {
      running = true;
      events.push(`resume@${elapsed()}`);
    },
    onStop: (reason) => {
      running = false;
      events.push(`stop@${elapsed()}`);
      expect(reason).toMatch(/stopped/);
    },
    setTimer: (fn, ms) => {
      const timer = { fn, at: clock.now().getTime() + ms };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle) => {
      const index = timers.indexOf(handle as (typeof timers)[number]);
      if (index >= 0) timers.splice(index, 1);
    },
  });
  const start = clock.now().getTime();
  const elapsed = () => (clock.now().getTime() - start) / 1000;
  watchdog.start();
  for (let second = 1; second <= options.seconds; second += 1) {
    clock.advance(1000);
    if (running && watchdog.phase() === 'running') billed += 1;
    const unpaid = requiredAmount(terms, billed) - signed;
    if (watchdog.phase() === 'running' && unpaid > maxUnpaidWhileRunning) maxUnpaidWhileRunning = unpaid;
    const paying =
      second <= options.silentAfter || (options.resumeAt !== undefined && second >= options.resumeAt);
    if (second % options.everySeconds === 0) {
      if (paying) {
        const owed = requiredAmount(terms, billed + options.aheadSeconds);
        if (owed > signed) signed = owed; // a renter never signs less than before
      } else if (options.trickle) signed += options.trickle;
      if (paying || options.trickle) watchdog.check(); // as the session does after each stored voucher
    }
    for (const timer of timers.filter((t) => t.at <= clock.now().getTime())) {
      timers.splice(timers.indexOf(timer), 1);
      timer.fn();
    }
  }
  return { events, billed, watchdog, logger, maxUnpaidWhileRunning, timers };
}

describe('createVoucherWatchdog', () => {
  it('never pauses a renter that pays every 10 s, 30 s ahead or in arrears', () => {
    expect(simulate({ everySeconds: 10, aheadSeconds: 30, silentAfter: 1e9, seconds: 600 }).events).toEqual(
      [],
    );
    expect(simulate({ everySeconds: 10, aheadSeconds: 0, silentAfter: 1e9, seconds: 600 }).events).toEqual(
      [],
    );
  });

  it('pauses after the first grace once vouchers stop, and stops after the second', () => {
    // Last voucher at 100 s, paying up to 130 s: owes 30 s more at 160 s, paused then, stopped 120 s later.
    const run = simulate({ everySeconds: 10, aheadSeconds: 30, silentAfter: 100, seconds: 400 });
    expect(run.events).toEqual(['pause@160', 'stop@280']);
    expect(run.billed).toBe(160); // paused time is not billed
    expect(run.watchdog.phase()).toBe('stopped');
    expect(run.timers).toEqual([]); // no timer left behind
    expect(run.logger.lines.filter((l) => l.level === 'warn')).toHaveLength(2);
  });

  it('pauses a renter that keeps sending vouchers that add too little', () => {
    const run = simulate({ everySeconds: 5, aheadSeconds: 0, silentAfter: 60, trickle: 1n, seconds: 400 });
    // Paid up to 60 s at 60 s, then 1 unit every 5 s: 30 s owed (less 6 units) at 90 s, paused at 91 s.
    expect(run.events).toEqual(['pause@91', 'stop@211']);
  });

  it('resumes when the renter catches up during the pause', () => {
    const run = simulate({
      everySeconds: 10,
      aheadSeconds: 30,
      silentAfter: 100,
      resumeAt: 200,
      seconds: 300,
    });
    expect(run.events).toEqual(['pause@160', 'resume@200']);
    expect(run.watchdog.phase()).toBe('running');
  });

  it('asks for nothing past maxSeconds (the session ends the job there)', () => {
    const run = simulate({
      everySeconds: 10,
      aheadSeconds: 30,
      silentAfter: 1e9,
      maxSeconds: 50n,
      seconds: 300,
    });
    expect(run.events).toEqual([]);
    expect(run.billed).toBe(300);
  });

  it('does nothing before start or after dispose', () => {
    const clock = createFakeClock();
    const calls: string[] = [];
    const watchdog = createVoucherWatchdog({
      clock,
      logger: createMemoryLogger(),
      terms: { pricePerSecond: PRICE, maxSeconds: 1000n },
      signed: () => 0n,
      billedSeconds: () => 500,
      onPause: () => void calls.push('pause'),
      onResume: () => void calls.push('resume'),
      onStop: () => void calls.push('stop'),
      setTimer: () => 'timer',
      clearTimer: () => {},
    });
    expect(watchdog.check()).toBeNull();
    watchdog.start();
    expect(watchdog.check()).toBe('pause');
    expect(watchdog.check()).toBe('pause'); // once per change
    watchdog.dispose();
    clock.advance(3_600_000);
    expect(watchdog.check()).toBeNull();
    expect(calls).toEqual(['pause']);
    expect(watchdog.phase()).toBe('disposed');
  });

  it('logs a failing action instead of throwing into the timer', async () => {
    const failures: (() => Promise<void>)[] = [
      () => Promise.reject(new Error('SIGSTOP failed')),
      () => {
        throw new Error('SIGSTOP failed at once');
      },
    ];
    for (const onPause of failures) {
      const logger = createMemoryLogger();
      const watchdog = createVoucherWatchdog({
        clock: createFakeClock(),
        logger,
        terms: { pricePerSecond: PRICE, maxSeconds: 1000n },
        signed: () => 0n,
        billedSeconds: () => 500,
        onPause,
        onResume: () => {},
        onStop: () => {},
        setTimer: () => 'timer',
        clearTimer: () => {},
      });
      watchdog.start();
      expect(watchdog.check()).toBe('pause');
      await Promise.resolve();
      expect(logger.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
        'Voucher watchdog: pausing the job failed',
      ]);
      expect(watchdog.phase()).toBe('paused');
    }
  });

  it('bounds what the renter owes while the job runs by price x the first grace (plus one tick), for any payment pattern', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 300 }),
        fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
        fc.option(fc.bigInt({ min: 1n, max: 200n }), { nil: undefined }),
        (everySeconds, aheadSeconds, silentAfter, resumeAt, trickle) => {
          const run = simulate({ everySeconds, aheadSeconds, silentAfter, resumeAt, trickle, seconds: 500 });
          expect(run.maxUnpaidWhileRunning).toBeLessThanOrEqual(PRICE * 31n);
          // Every pause is followed by a resume or a stop 120 s later, never anything else.
          for (let i = 0; i < run.events.length; i += 1) {
            const [kind, at] = run.events[i]!.split('@') as [string, string];
            const next = run.events[i + 1];
            if (kind === 'pause' && next?.startsWith('stop'))
              expect(Number(next.split('@')[1]) - Number(at)).toBe(120);
            if (kind === 'stop') expect(next).toBeUndefined();
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
