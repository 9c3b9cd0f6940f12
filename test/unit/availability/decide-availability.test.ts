import { describe, expect, it } from 'vitest';
import {
  NO_SIGNALS,
  decideAvailability,
  type AvailabilityPolicy,
  type AvailabilitySignals,
} from '../../../src/main/availability/decide-availability';
import { presetSlots, windowsToSlots } from '../../../src/shared/schedule/windows';

const SCHEDULE_ONLY: AvailabilityPolicy = { mode: 'schedule', idleMinutes: 10 };

function at(
  zone: string,
  windows: string[],
  iso: string,
  signals: Partial<AvailabilitySignals> = {},
  policy = SCHEDULE_ONLY,
) {
  const d = decideAvailability(
    { ...NO_SIGNALS, ...signals },
    { timezone: zone, slots: windowsToSlots(windows) },
    policy,
    Date.parse(iso),
  );
  return { ...d, next: d.nextChange === null ? null : new Date(d.nextChange).toISOString() };
}

describe('schedule windows', () => {
  it('runs a window past midnight into the next day', () => {
    expect(at('UTC', ['fri 22:00-02:00'], '2026-01-09T23:00:00Z')).toMatchObject({
      available: true,
      next: '2026-01-10T02:00:00.000Z',
    });
    expect(at('UTC', ['fri 22:00-02:00'], '2026-01-10T01:59:00Z').available).toBe(true); // Saturday
    expect(at('UTC', ['fri 22:00-02:00'], '2026-01-10T02:00:00Z')).toMatchObject({
      available: false,
      next: '2026-01-16T22:00:00.000Z',
    });
  });

  it('runs a Sunday window over the week end into Monday', () => {
    // 2026-01-11 is a Sunday.
    expect(at('UTC', ['sun 23:00-01:30'], '2026-01-12T01:00:00Z')).toMatchObject({
      available: true,
      next: '2026-01-12T01:30:00.000Z',
    });
    // Sunday 20:00-24:00 and Monday 00:00-06:00 are one stretch across the week end.
    expect(at('UTC', ['sat,sun 20:00-24:00', 'mon 00:00-06:00'], '2026-01-11T21:00:00Z')).toMatchObject({
      available: true,
      next: '2026-01-12T06:00:00.000Z',
    });
    // Saturday's evening ends at its midnight: Sunday daytime is not in the schedule.
    expect(at('UTC', ['sat,sun 20:00-24:00', 'mon 00:00-06:00'], '2026-01-10T21:00:00Z').next).toBe(
      '2026-01-11T00:00:00.000Z',
    );
  });

  it('merges touching windows and reports the end of the whole stretch', () => {
    expect(at('UTC', ['mon 20:00-24:00', 'tue 00:00-03:00'], '2026-01-05T21:00:00Z').next).toBe(
      '2026-01-06T03:00:00.000Z',
    );
  });

  it('Always is always for rent, Never never; neither has a next change', () => {
    const always = decideAvailability(
      NO_SIGNALS,
      { timezone: 'Europe/Berlin', slots: presetSlots('always') },
      SCHEDULE_ONLY,
      Date.parse('2026-03-29T01:30:00Z'),
    );
    expect(always).toMatchObject({ available: true, nextChange: null, sentence: 'For rent now.' });
    const never = decideAvailability(
      NO_SIGNALS,
      { timezone: 'UTC', slots: presetSlots('never') },
      SCHEDULE_ONLY,
      0,
    );
    expect(never).toMatchObject({
      available: false,
      nextChange: null,
      sentence: 'Not for rent: outside your schedule.',
    });
  });
});

describe('daylight-saving changes: a window is wall-clock time', () => {
  it('Europe/Berlin spring forward: overnight 01:00-08:00 lasts 6 real hours', () => {
    const z = 'Europe/Berlin';
    expect(at(z, ['mon-sun 01:00-08:00'], '2026-03-29T01:30:00Z')).toMatchObject({
      available: true,
      next: '2026-03-29T06:00:00.000Z',
    });
    expect(at(z, ['mon-sun 01:00-08:00'], '2026-03-28T23:59:00Z').available).toBe(false); // 00:59 CET
    expect(at(z, ['mon-sun 01:00-08:00'], '2026-03-29T00:00:00Z').available).toBe(true); // 01:00 CET
  });

  it('Europe/Berlin: a window inside the skipped hour never happens that day', () => {
    const d = at('Europe/Berlin', ['sun 02:00-03:00'], '2026-03-29T00:30:00Z');
    expect(d.available).toBe(false);
    expect(d.next).toBe('2026-04-05T00:00:00.000Z'); // next Sunday 02:00 CEST
  });

  it('Europe/Berlin fall back: the repeated hour counts once', () => {
    const z = 'Europe/Berlin';
    // 00:00-02:30 ends at the FIRST 02:30 (00:30Z); the second pass of 02:00-02:30 (01:00Z-01:30Z) is out.
    expect(at(z, ['sun 00:00-02:30'], '2026-10-25T00:15:00Z')).toMatchObject({
      available: true,
      next: '2026-10-25T00:30:00.000Z',
    });
    expect(at(z, ['sun 00:00-02:30'], '2026-10-25T01:15:00Z').available).toBe(false);
    // Overnight 01:00-08:00 that night lasts 8 real hours.
    expect(at(z, ['mon-sun 01:00-08:00'], '2026-10-24T23:30:00Z')).toMatchObject({
      available: true,
      next: '2026-10-25T07:00:00.000Z',
    });
  });

  it('America/New_York, both changes', () => {
    const z = 'America/New_York';
    expect(at(z, ['sun 01:00-04:00'], '2026-03-08T06:30:00Z')).toMatchObject({
      available: true,
      next: '2026-03-08T08:00:00.000Z',
    });
    expect(at(z, ['sun 00:30-01:30'], '2026-11-01T05:00:00Z')).toMatchObject({
      available: true,
      next: '2026-11-01T05:30:00.000Z',
    });
    expect(at(z, ['sun 00:30-01:30'], '2026-11-01T06:15:00Z').available).toBe(false); // 01:15 EST, second pass
  });

  it('Australia/Sydney, both changes (southern hemisphere: April back, October forward)', () => {
    const z = 'Australia/Sydney';
    // 2026-04-05: 03:00 AEDT -> 02:00 AEST. Window 01:00-04:00 runs 14:00Z -> 18:00Z: 4 real hours.
    expect(at(z, ['sun 01:00-04:00'], '2026-04-04T14:30:00Z')).toMatchObject({
      available: true,
      next: '2026-04-04T18:00:00.000Z',
    });
    // 2026-10-04: 02:00 AEST -> 03:00 AEDT. Window 01:00-04:00 runs 15:00Z -> 17:00Z: 2 real hours.
    expect(at(z, ['sun 01:00-04:00'], '2026-10-03T15:30:00Z')).toMatchObject({
      available: true,
      next: '2026-10-03T17:00:00.000Z',
    });
  });
});

describe('signals', () => {
  const always = ['mon-sun 00:00-24:00'];
  const now = '2026-01-05T12:00:00Z';

  it('a game, another GPU program, battery or heat takes the GPU back, each with its reason', () => {
    const d = at('UTC', always, now, {
      games: ['Counter-Strike 2'],
      otherGpuPrograms: ['blender'],
      onBattery: true,
      thermalHolds: ['RTX 3090 paused: 84 C, limit 80 C'],
    });
    expect(d.available).toBe(false);
    expect(d.reasons).toEqual([
      'Too hot: RTX 3090 paused: 84 C, limit 80 C',
      'Running on battery',
      'A game or GPU app is running: Counter-Strike 2',
      'Another program is using the GPU: blender',
    ]);
    expect(d.next).toBeNull();
  });

  it('a timed manual pause ends by itself, and says until when', () => {
    const d = at('UTC', always, now, { manualPause: { until: Date.parse('2026-01-05T13:00:00Z') } });
    expect(d).toMatchObject({ available: false, next: '2026-01-05T13:00:00.000Z' });
    expect(d.sentence).toBe('Not for rent: paused by you until 13:00. For rent from 13:00.');
  });

  it('idle modes: away long enough, the screen locked, or no idle source at all', () => {
    const idle: AvailabilityPolicy = { mode: 'idle', idleMinutes: 10 };
    expect(at('UTC', [], now, { userIdleSeconds: 300 }, idle)).toMatchObject({
      available: false,
      next: '2026-01-05T12:05:00.000Z',
    });
    expect(at('UTC', [], now, { userIdleSeconds: 900 }, idle).available).toBe(true);
    expect(at('UTC', [], now, { userIdleSeconds: 5, screenLocked: true }, idle).available).toBe(true);
    expect(at('UTC', [], now, {}, idle).reasons).toEqual([
      'Nocturne cannot tell here whether you are using the computer',
    ]);
    const both: AvailabilityPolicy = { mode: 'schedule-and-idle', idleMinutes: 10 };
    // Away, but outside the schedule: waits for the window.
    expect(at('UTC', ['mon 13:00-14:00'], now, { userIdleSeconds: 900 }, both)).toMatchObject({
      available: false,
      next: '2026-01-05T13:00:00.000Z',
    });
  });
});
