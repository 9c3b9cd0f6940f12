import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBatterySource } from '../../../src/main/availability/signals/battery-source';
import type { ProcessInfo, ProcessLister } from '../../../src/main/availability/signals/process-lister';
import { createSignalPoller, type SignalPatch } from '../../../src/main/availability/signals/signal-poller';

describe('createBatterySource', () => {
  it('is true only on battery, false on mains or with no battery, null when unknown', async () => {
    expect(await createBatterySource(async () => ({ hasBattery: true, acConnected: false }))()).toBe(true);
    expect(await createBatterySource(async () => ({ hasBattery: true, acConnected: true }))()).toBe(false);
    expect(await createBatterySource(async () => ({ hasBattery: false, acConnected: false }))()).toBe(false);
    expect(
      await createBatterySource(async () => {
        throw new Error('no sysfs');
      })(),
    ).toBeNull();
  });
});

function fakeLister(initial: ProcessInfo[] = []) {
  let processes = initial;
  let calls = 0;
  const lister: ProcessLister = {
    kind: 'fake',
    platform: 'linux',
    list: async () => {
      calls++;
      return processes;
    },
  };
  return {
    lister,
    set: (next: ProcessInfo[]) => void (processes = next),
    calls: () => calls,
  };
}

const game = (pid: number, name: string): ProcessInfo => ({ pid, ppid: 1, name, args: [name] });

describe('createSignalPoller', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports games only when the set changes', async () => {
    const fake = fakeLister([game(10, 'bash')]);
    const patches: SignalPatch[] = [];
    const poller = createSignalPoller({
      lister: fake.lister,
      ownGames: () => [],
      onPatch: (p) => patches.push(p),
    });

    await poller.refresh();
    expect(patches).toEqual([]); // nothing running: the service already starts with no games

    fake.set([game(10, 'bash'), game(11, 'cs2')]);
    await poller.refresh();
    await poller.refresh();
    expect(patches).toEqual([{ games: ['Counter-Strike 2'] }]);

    fake.set([game(12, 'cs2'), game(10, 'bash')]); // same game, new pid: no change
    await poller.refresh();
    fake.set([game(10, 'bash')]);
    await poller.refresh();
    expect(patches).toEqual([{ games: ['Counter-Strike 2'] }, { games: [] }]);
  });

  it('reads the owner’s list at every scan', async () => {
    const fake = fakeLister([game(10, 'mygame')]);
    let own: string[] = [];
    const patches: SignalPatch[] = [];
    const poller = createSignalPoller({
      lister: fake.lister,
      ownGames: () => own,
      onPatch: (p) => patches.push(p),
    });
    await poller.refresh();
    own = ['MyGame.exe'];
    await poller.refresh();
    expect(patches).toEqual([{ games: ['MyGame.exe (your list)'] }]);
  });

  it('reports the battery only when it changes', async () => {
    const values: (boolean | null)[] = [false, false, true, true, null];
    const patches: SignalPatch[] = [];
    const poller = createSignalPoller({
      lister: fakeLister().lister,
      battery: async () => values.shift() ?? null,
      ownGames: () => [],
      onPatch: (p) => patches.push(p),
    });
    for (let i = 0; i < 5; i++) await poller.refresh();
    expect(patches).toEqual([{ onBattery: false }, { onBattery: true }, { onBattery: null }]);
  });

  it('polls processes every 3 s and the battery every 30 s by default, and stops', async () => {
    vi.useFakeTimers();
    const fake = fakeLister();
    let batteryReads = 0;
    const poller = createSignalPoller({
      lister: fake.lister,
      battery: async () => (batteryReads++, false),
      ownGames: () => [],
      onPatch: () => {},
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect([fake.calls(), batteryReads]).toEqual([1, 1]);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(fake.calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.calls()).toBe(2);
    await vi.advanceTimersByTimeAsync(27_000);
    expect([fake.calls(), batteryReads]).toEqual([11, 2]);
    poller.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect([fake.calls(), batteryReads]).toEqual([11, 2]);
  });

  it('asks how long to wait before each scan: slow while renting is off, fast once it is on', async () => {
    vi.useFakeTimers();
    const fake = fakeLister();
    let renting = false;
    const poller = createSignalPoller({
      lister: fake.lister,
      ownGames: () => [],
      onPatch: () => {},
      intervalMs: () => (renting ? 3_000 : 15_000),
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(14_999);
    expect(fake.calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.calls()).toBe(2);
    renting = true; // the next wait is timed when the scan after it ends
    await vi.advanceTimersByTimeAsync(15_000 + 3_000);
    expect(fake.calls()).toBe(4);
    poller.stop();
  });

  it('reports a failing lister and keeps the last value', async () => {
    const errors: string[] = [];
    const patches: SignalPatch[] = [];
    let fail = false;
    const poller = createSignalPoller({
      lister: {
        kind: 'flaky',
        platform: 'linux',
        list: async () => {
          if (fail) throw new Error('EACCES');
          return [game(5, 'dota2')];
        },
      },
      ownGames: () => [],
      onPatch: (p) => patches.push(p),
      onError: (m) => errors.push(m),
    });
    await poller.refresh();
    fail = true;
    await poller.refresh();
    expect(patches).toEqual([{ games: ['Dota 2'] }]);
    expect(errors).toEqual(['Could not list processes (flaky): EACCES']);
    expect(poller.current().games).toEqual(['Dota 2']);
  });
});
