import { describe, expect, it } from 'vitest';
import { createAutoLock } from '../../../src/main/wallet/auto-lock';
import { createFakeClock } from '../../fakes/fake-clock';

function harness(minutes: () => number) {
  const clock = createFakeClock();
  const timers = new Map<number, { at: number; fn: () => void }>();
  let id = 0;
  let expired = 0;
  const autoLock = createAutoLock({
    clock,
    minutes,
    onExpire: () => (expired += 1),
    setTimer: (fn, ms) => {
      timers.set(++id, { at: clock.now().getTime() + ms, fn });
      return id;
    },
    clearTimer: (handle) => timers.delete(handle as number),
  });
  const advance = (ms: number) => {
    clock.advance(ms);
    for (const [key, t] of [...timers]) {
      if (t.at <= clock.now().getTime()) {
        timers.delete(key);
        t.fn();
      }
    }
  };
  return { autoLock, advance, timers, expired: () => expired };
}

describe('auto-lock', () => {
  it('fires once after the idle time; touching restarts it; stop disarms it', () => {
    const { autoLock, advance, timers, expired } = harness(() => 2);
    autoLock.touch();
    advance(90_000);
    autoLock.touch();
    advance(90_000);
    expect(expired()).toBe(0);
    advance(30_000);
    expect(expired()).toBe(1);
    expect(timers.size).toBe(0);
    autoLock.touch();
    autoLock.stop();
    advance(10 * 60_000);
    expect(expired()).toBe(1);
  });

  it('follows a setting lowered meanwhile on reschedule, and a raised one when the timer fires', () => {
    let minutes = 10;
    const { autoLock, advance, expired } = harness(() => minutes);
    autoLock.touch();
    minutes = 1;
    autoLock.reschedule();
    advance(60_000);
    expect(expired()).toBe(1);

    autoLock.touch();
    minutes = 20;
    advance(10 * 60_000); // the old timer fires, finds the wait longer now, and re-arms
    expect(expired()).toBe(1);
    advance(10 * 60_000);
    expect(expired()).toBe(2);
  });

  it('0 means never', () => {
    const { autoLock, advance, timers, expired } = harness(() => 0);
    autoLock.touch();
    advance(10_000 * 60_000);
    expect(timers.size).toBe(0);
    expect(autoLock.expired()).toBe(false);
    expect(expired()).toBe(0);
  });
});
