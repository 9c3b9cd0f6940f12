// The provider's memory of demand: observed quote requests kept in <data>/pricing/demand.json across
// restarts, a damaged file starting afresh, and time not listening left out of the watched hours.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemandTracker } from '../../../src/main/pricing/demand-tracker';
import type { MarketRequest, MarketSetup } from '../../../src/main/pricing/market-stream';
import { createFakeClock } from '../../fakes/fake-clock';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();
const HOUR = 3_600_000;
const setup: MarketSetup = {
  timezone: 'UTC',
  windows: ['mon-sun 00:00-24:00'],
  gpus: [{ memoryTotalMiB: 24_576, powerW: 250 }],
  electricityPerKWh: 0.2,
  floorPerHour: 0,
};

function requestAt(clock: ReturnType<typeof createFakeClock>, id: string): MarketRequest {
  return { id, arrivalMs: clock.now().getTime(), durationSeconds: 1800, pricePerHour: 0.5, vramMiB: 4096 };
}

const exposureHours = (state: { exposure: number[] }) => state.exposure.reduce((s, x) => s + x, 0) / HOUR;

describe('demand tracker', () => {
  it('keeps what it saw across a restart, in the data directory', () => {
    const file = join(tempDir(), 'pricing', 'demand.json');
    const clock = createFakeClock('2026-03-02T10:00:00.000Z');
    const first = createDemandTracker({ file, clock, logger: createMemoryLogger(), saveDelayMs: 60_000 });
    first.listening(setup);
    first.observe(requestAt(clock, 'a'), setup);
    clock.advance(HOUR);
    first.observe(requestAt(clock, 'b'), setup);
    expect(existsSync(file)).toBe(false); // gathered, not yet written
    first.close();
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { samples: unknown[] };
    expect(saved.samples).toHaveLength(2);

    const second = createDemandTracker({ file, clock, logger: createMemoryLogger() });
    expect(second.state()).toEqual(first.state());
    expect(exposureHours(second.state())).toBeCloseTo(1, 6);
  });

  it('does not count time it was not listening as hours in which nobody asked', () => {
    const clock = createFakeClock('2026-03-02T10:00:00.000Z');
    const tracker = createDemandTracker({ file: null, clock, logger: createMemoryLogger() });
    tracker.listening(setup);
    tracker.observe(requestAt(clock, 'a'), setup);
    clock.advance(2 * HOUR);
    tracker.notListening(setup); // two watched hours, then renting off
    clock.advance(24 * HOUR);
    tracker.listening(setup); // a day later, back online
    clock.advance(HOUR);
    tracker.observe(requestAt(clock, 'b'), setup);
    expect(exposureHours(tracker.state())).toBeCloseTo(3, 6);
    expect(tracker.state().samples).toHaveLength(2);
  });

  it('after a restart, the time the app was closed is not watched time either', () => {
    const file = join(tempDir(), 'demand.json');
    const clock = createFakeClock('2026-03-02T10:00:00.000Z');
    const before = createDemandTracker({ file, clock, logger: createMemoryLogger() });
    before.observe(requestAt(clock, 'a'), setup);
    before.close();
    clock.advance(72 * HOUR);
    const after = createDemandTracker({ file, clock, logger: createMemoryLogger() });
    after.observe(requestAt(clock, 'b'), setup); // the first request after the restart
    expect(exposureHours(after.state())).toBe(0);
  });

  it('starts afresh, with a warning, from a damaged file', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'pricing'));
    const file = join(dir, 'pricing', 'demand.json');
    writeFileSync(file, '{"v":1,"samples":[{"arrivalMs":"soon"}]');
    const logger = createMemoryLogger();
    const tracker = createDemandTracker({ file, clock: createFakeClock(), logger });
    expect(tracker.state().samples).toEqual([]);
    expect(logger.lines.some((l) => l.level === 'warn' && /damaged/.test(l.message))).toBe(true);
  });

  it('learns across a change of setup (a new schedule or floor), keeping what it saw', () => {
    const clock = createFakeClock('2026-03-02T10:00:00.000Z');
    const tracker = createDemandTracker({ file: null, clock, logger: createMemoryLogger() });
    tracker.observe(requestAt(clock, 'a'), setup);
    clock.advance(HOUR);
    tracker.observe(requestAt(clock, 'b'), { ...setup, floorPerHour: 0.1 });
    expect(tracker.state().samples).toHaveLength(2);
    // Below the new floor: seen, but not demand the engine could take.
    clock.advance(HOUR);
    tracker.observe(requestAt(clock, 'c'), { ...setup, floorPerHour: 1 });
    expect(tracker.state().samples).toHaveLength(2);
  });
});
