import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chooseTier,
  createTelemetryStore,
  DEFAULT_RETENTION,
  type TelemetrySample,
} from '../../../src/main/gpu/telemetry-store';
import { openDatabase } from '../../../src/main/store/open-database';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

function sample(
  atMs: number,
  temperatureC: number | null,
  extra: Partial<TelemetrySample> = {},
): TelemetrySample {
  return {
    gpuId: 'GPU-1',
    atMs,
    temperatureC,
    powerW: 100,
    utilizationPct: 0,
    memoryUsedMiB: 512,
    fanPct: null,
    ...extra,
  };
}

function open() {
  const { db } = openDatabase(join(tempDir(), 'db.sqlite'));
  return { db, store: createTelemetryStore(db) };
}

describe('telemetry store', () => {
  it('reads the coarsest tier that still fills the range', () => {
    const now = T0;
    expect(chooseTier(now - 10 * 60_000, now, now, DEFAULT_RETENTION)).toBe('raw');
    expect(chooseTier(now - HOUR, now, now, DEFAULT_RETENTION)).toBe('minute');
    expect(chooseTier(now - DAY, now, now, DEFAULT_RETENTION)).toBe('minute');
    expect(chooseTier(now - 30 * DAY, now, now, DEFAULT_RETENTION)).toBe('hour');
    // Minute data is kept 30 days: a 3-hour window 40 days ago can only come from the hour tier.
    expect(chooseTier(now - 40 * DAY, now - 40 * DAY + 3 * HOUR, now, DEFAULT_RETENTION)).toBe('hour');
    expect(chooseTier(now - 2 * DAY, now - 2 * DAY + 10 * 60_000, now, DEFAULT_RETENTION)).toBe('minute');
    expect(chooseTier(now - 40 * DAY, now - 37 * DAY, now, DEFAULT_RETENTION)).toBe('hour');
  });

  it('rolls samples up into minute and hour averages and maxima; unknown values are not counted', () => {
    const { db, store } = open();
    store.insertBatch([
      sample(T0, 60),
      sample(T0 + 10_000, 70, { fanPct: 40 }),
      sample(T0 + 20_000, null, { utilizationPct: 100 }),
      sample(T0 + 60_000, 80),
    ]);
    const minute = store.history('GPU-1', T0 - HOUR, T0 + HOUR, T0 + HOUR);
    expect(minute.tier).toBe('minute');
    expect(minute.points).toHaveLength(2);
    expect(minute.points[0]).toMatchObject({ atMs: T0, temperatureC: 65, temperatureMaxC: 70, fanPct: 40 });
    expect(minute.points[0]!.utilizationPct).toBeCloseTo(100 / 3);
    expect(minute.points[1]).toMatchObject({ temperatureC: 80, fanPct: null });

    const raw = store.history('GPU-1', T0, T0 + 30_000, T0 + 30_000);
    expect(raw.tier).toBe('raw');
    expect(raw.points.map((p) => p.temperatureC)).toEqual([60, 70, null]);
    expect(raw.points[0]!.utilizationPct).toBe(0); // a real 0 % stays 0
    db.close();
  });

  it('adds to an existing bucket across batches', () => {
    const { db, store } = open();
    store.insertBatch([sample(T0, 50)]);
    store.insertBatch([sample(T0 + 1_000, 70)]);
    const hour = db.prepare('SELECT temp_sum, temp_n, temp_max FROM telemetry_hour').get();
    expect(hour).toEqual({ temp_sum: 120, temp_n: 2, temp_max: 70 });
    db.close();
  });

  it('prunes each tier by its own retention', () => {
    const { db, store } = open();
    store.insertBatch([sample(T0 - 40 * DAY, 50), sample(T0 - 2 * DAY, 55), sample(T0 - 1000, 60)]);
    store.prune(T0);
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(count('telemetry_raw')).toBe(1);
    expect(count('telemetry_minute')).toBe(2);
    expect(count('telemetry_hour')).toBe(3);
    db.close();
  });
});
