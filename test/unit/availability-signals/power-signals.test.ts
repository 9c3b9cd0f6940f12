import type { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// No Electron binary here: the module is replaced by a fake powerMonitor with the same surface.
const fake = vi.hoisted(() => ({
  idle: 0,
  battery: false,
  state: 'active' as string,
  monitor: null as unknown,
}));
vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const monitor = Object.assign(new Emitter(), {
    getSystemIdleTime: () => fake.idle,
    getSystemIdleState: () => fake.state,
    isOnBatteryPower: () => fake.battery,
  });
  fake.monitor = monitor;
  return { powerMonitor: monitor };
});

const { idleReportDue, startPowerSignals } = await import('../../../src/main/app/power-signals');
type Patch = Parameters<Parameters<typeof startPowerSignals>[0]>[0];

describe('idleReportDue', () => {
  it('reports whole-minute crossings and any fall below the last report', () => {
    expect(idleReportDue(null, 5)).toBe(true);
    expect(idleReportDue(0, 58)).toBe(false);
    expect(idleReportDue(0, 60)).toBe(true);
    expect(idleReportDue(60, 118)).toBe(false);
    expect(idleReportDue(300, 1)).toBe(true); // the owner came back
    expect(idleReportDue(0, 0)).toBe(false);
  });
});

describe('startPowerSignals', () => {
  let stop: () => void = () => {};
  const monitor = () => fake.monitor as EventEmitter;
  beforeEach(() => {
    vi.useFakeTimers();
    Object.assign(fake, { idle: 0, battery: false, state: 'active' });
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  it('reports first values, minute crossings, a return at once, lock, power and wake', () => {
    const patches: Patch[] = [];
    let wakes = 0;
    stop = startPowerSignals(
      (p) => patches.push(p),
      () => wakes++,
      { platform: 'win32' },
    );
    expect(patches).toEqual([{ screenLocked: false }, { userIdleSeconds: 0 }, { onBattery: false }]);
    patches.length = 0;

    for (let t = 2; t <= 64; t += 2) {
      fake.idle = t;
      vi.advanceTimersByTime(2_000);
    }
    expect(patches).toEqual([{ userIdleSeconds: 60 }]);
    fake.idle = 1;
    vi.advanceTimersByTime(2_000);
    expect(patches).toEqual([{ userIdleSeconds: 60 }, { userIdleSeconds: 1 }]);
    patches.length = 0;

    monitor().emit('lock-screen');
    monitor().emit('on-battery');
    monitor().emit('on-battery');
    fake.idle = 0;
    monitor().emit('unlock-screen');
    monitor().emit('on-ac');
    expect(patches).toEqual([
      { screenLocked: true },
      { onBattery: true },
      { screenLocked: false },
      { userIdleSeconds: 0 },
      { onBattery: false },
    ]);
    patches.length = 0;

    monitor().emit('suspend');
    fake.idle = 600;
    vi.advanceTimersByTime(10_000);
    expect(patches).toEqual([]); // no polling while asleep
    monitor().emit('resume');
    expect(patches).toEqual([{ userIdleSeconds: 600 }]);
    expect(wakes).toBe(1);

    stop();
    expect(monitor().listenerCount('resume')).toBe(0);
    fake.idle = 0;
    vi.advanceTimersByTime(10_000);
    expect(patches).toHaveLength(1);
  });

  it('leaves the lock state unknown, and the battery to the poller, on Linux', () => {
    const patches: Patch[] = [];
    stop = startPowerSignals(
      (p) => patches.push(p),
      () => {},
      { platform: 'linux' },
    );
    expect(patches).toEqual([{ userIdleSeconds: 0 }]);
  });
});
