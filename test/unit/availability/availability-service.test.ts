import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { AvailabilityView } from '../../../src/shared/schemas/availability';
import { DEFAULT_SETTINGS } from '../../../src/shared/schemas/settings';
import { presetSlots } from '../../../src/shared/schedule/windows';
import { createAvailabilityRepository } from '../../../src/main/availability/availability-repository';
import {
  createAvailabilityService,
  nextLocalMidnight,
} from '../../../src/main/availability/availability-service';
import { openDatabase } from '../../../src/main/store/open-database';
import { createFakeClock } from '../../fakes/fake-clock';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

function open(file: string, clock = createFakeClock('2026-01-05T12:00:00.000Z')) {
  const { db } = openDatabase(file);
  const changes: AvailabilityView[] = [];
  const service = createAvailabilityService({
    repository: createAvailabilityRepository(db),
    settings: () => DEFAULT_SETTINGS,
    clock,
    logger: createMemoryLogger(),
    onChange: (view) => changes.push(view),
    defaultTimeZone: 'UTC',
  });
  return { db, service, changes, clock };
}

describe('availability service', () => {
  it('starts from the overnight preset in the default zone, and announces only real changes', () => {
    const { db, service, changes } = open(join(tempDir(), 'db.sqlite'));
    expect(service.schedule()).toMatchObject({ timezone: 'UTC', windows: ['mon-sun 01:00-08:00'] });
    expect(service.view()).toMatchObject({ available: false, nextChange: '2026-01-06T01:00:00.000Z' });
    service.updateSignals({ games: [] });
    expect(changes).toHaveLength(1);
    service.updateSignals({ games: ['Counter-Strike 2'] });
    expect(changes).toHaveLength(2);
    expect(changes[1]!.reasons).toContain('A game or GPU app is running: Counter-Strike 2');
    db.close();
  });

  it('keeps a pause across a restart, and a timed pause ends by itself', () => {
    const file = join(tempDir(), 'db.sqlite');
    const first = open(file);
    first.service.setSchedule({ timezone: 'UTC', slots: presetSlots('always') });
    first.service.pause('hour');
    expect(first.service.view()).toMatchObject({
      available: false,
      pause: { until: '2026-01-05T13:00:00.000Z' },
    });
    first.db.close();

    const clock = createFakeClock('2026-01-05T12:30:00.000Z');
    const second = open(file, clock);
    expect(second.service.view().available).toBe(false);
    clock.advance(31 * 60_000);
    expect(second.service.reevaluate()).toMatchObject({ available: true, pause: null });
    second.db.close();
  });

  it('wakes itself at the next change without any signal', () => {
    vi.useFakeTimers();
    try {
      const clock = createFakeClock('2026-01-06T00:59:00.000Z');
      const { db, service, changes } = open(join(tempDir(), 'db.sqlite'), clock);
      service.start();
      expect(changes.at(-1)?.available).toBe(false);
      clock.advance(60_000);
      vi.advanceTimersByTime(60_050);
      expect(changes.at(-1)).toMatchObject({ available: true, nextChange: '2026-01-06T08:00:00.000Z' });
      service.stop();
      db.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('pauses until the next local midnight for "until tomorrow"', () => {
    expect(
      new Date(nextLocalMidnight('Europe/Berlin', Date.parse('2026-01-05T20:00:00Z'))).toISOString(),
    ).toBe('2026-01-05T23:00:00.000Z');
    expect(
      new Date(nextLocalMidnight('Australia/Sydney', Date.parse('2026-01-05T20:00:00Z'))).toISOString(),
    ).toBe('2026-01-06T13:00:00.000Z');
  });
});
