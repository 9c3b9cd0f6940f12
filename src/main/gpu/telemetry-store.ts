import type { Database } from 'better-sqlite3';

export interface TelemetrySample {
  gpuId: string;
  atMs: number;
  temperatureC: number | null;
  powerW: number | null;
  utilizationPct: number | null;
  memoryUsedMiB: number | null;
  fanPct: number | null;
}

export interface HistoryPoint {
  atMs: number;
  temperatureC: number | null;
  temperatureMaxC: number | null;
  powerW: number | null;
  utilizationPct: number | null;
  memoryUsedMiB: number | null;
  fanPct: number | null;
}

export type TierName = 'raw' | 'minute' | 'hour';

export interface Retention {
  rawMs: number;
  minuteMs: number;
  hourMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const DEFAULT_RETENTION: Retention = { rawMs: DAY, minuteMs: 30 * DAY, hourMs: 730 * DAY };

/** A chart needs at least this many points across its range before a coarser tier will do. */
const MIN_POINTS = 60;

const TIERS = [
  { name: 'hour', table: 'telemetry_hour', stepMs: HOUR, retention: (r: Retention) => r.hourMs },
  { name: 'minute', table: 'telemetry_minute', stepMs: 60_000, retention: (r: Retention) => r.minuteMs },
] as const;

/**
 * Which tier answers a chart of [from, to]: the coarsest that still gives MIN_POINTS across the range
 * and still holds data back to `from`; otherwise the finest that holds data back to `from`.
 */
export function chooseTier(fromMs: number, toMs: number, nowMs: number, retention: Retention): TierName {
  const span = toMs - fromMs;
  const retained = (ms: number) => nowMs - ms <= fromMs;
  for (const tier of TIERS) {
    if (span / tier.stepMs >= MIN_POINTS && retained(tier.retention(retention))) return tier.name;
  }
  // Nothing fills the range: the finest tier that still holds data that old.
  if (retained(retention.rawMs)) return 'raw';
  return retained(retention.minuteMs) ? 'minute' : 'hour';
}

function upsertBucketSql(table: string): string {
  return `INSERT INTO ${table} (gpu_id, bucket_ms, temp_sum, temp_n, temp_max, power_sum, power_n, power_max,
            util_sum, util_n, mem_sum, mem_n, fan_sum, fan_n)
          VALUES (@gpuId, @bucket, @temp, @tempN, @tempMax, @power, @powerN, @powerMax, @util, @utilN, @mem, @memN, @fan, @fanN)
          ON CONFLICT (gpu_id, bucket_ms) DO UPDATE SET
            temp_sum = temp_sum + excluded.temp_sum, temp_n = temp_n + excluded.temp_n,
            temp_max = max(coalesce(temp_max, excluded.temp_max), coalesce(excluded.temp_max, temp_max)),
            power_sum = power_sum + excluded.power_sum, power_n = power_n + excluded.power_n,
            power_max = max(coalesce(power_max, excluded.power_max), coalesce(excluded.power_max, power_max)),
            util_sum = util_sum + excluded.util_sum, util_n = util_n + excluded.util_n,
            mem_sum = mem_sum + excluded.mem_sum, mem_n = mem_n + excluded.mem_n,
            fan_sum = fan_sum + excluded.fan_sum, fan_n = fan_n + excluded.fan_n`;
}

function bucketSelectSql(table: string): string {
  const avg = (col: string) => `CASE WHEN ${col}_n > 0 THEN ${col}_sum / ${col}_n END`;
  return `SELECT bucket_ms AS atMs, ${avg('temp')} AS temperatureC, temp_max AS temperatureMaxC,
            ${avg('power')} AS powerW, ${avg('util')} AS utilizationPct, ${avg('mem')} AS memoryUsedMiB,
            ${avg('fan')} AS fanPct
          FROM ${table} WHERE gpu_id = ? AND bucket_ms >= ? AND bucket_ms <= ? ORDER BY bucket_ms`;
}

const part = (v: number | null) => ({ sum: v ?? 0, n: v === null ? 0 : 1 });

/** Telemetry tables behind named statements. Writes come in batches, each one transaction. */
export function createTelemetryStore(db: Database) {
  const statements = {
    insertRaw: db.prepare(
      `INSERT INTO telemetry_raw (gpu_id, at_ms, temperature_c, power_w, utilization_pct, memory_used_mib, fan_pct)
       VALUES (@gpuId, @atMs, @temperatureC, @powerW, @utilizationPct, @memoryUsedMiB, @fanPct)`,
    ),
    upsertMinute: db.prepare(upsertBucketSql('telemetry_minute')),
    upsertHour: db.prepare(upsertBucketSql('telemetry_hour')),
    selectRaw: db.prepare<[string, number, number], HistoryPoint>(
      `SELECT at_ms AS atMs, temperature_c AS temperatureC, temperature_c AS temperatureMaxC, power_w AS powerW,
              utilization_pct AS utilizationPct, memory_used_mib AS memoryUsedMiB, fan_pct AS fanPct
       FROM telemetry_raw WHERE gpu_id = ? AND at_ms >= ? AND at_ms <= ? ORDER BY at_ms`,
    ),
    selectMinute: db.prepare<[string, number, number], HistoryPoint>(bucketSelectSql('telemetry_minute')),
    selectHour: db.prepare<[string, number, number], HistoryPoint>(bucketSelectSql('telemetry_hour')),
    pruneRaw: db.prepare<[number]>('DELETE FROM telemetry_raw WHERE at_ms < ?'),
    pruneMinute: db.prepare<[number]>('DELETE FROM telemetry_minute WHERE bucket_ms < ?'),
    pruneHour: db.prepare<[number]>('DELETE FROM telemetry_hour WHERE bucket_ms < ?'),
  };

  const insertBatch = db.transaction((samples: readonly TelemetrySample[]) => {
    for (const s of samples) {
      statements.insertRaw.run(s);
      const t = part(s.temperatureC);
      const p = part(s.powerW);
      const u = part(s.utilizationPct);
      const m = part(s.memoryUsedMiB);
      const f = part(s.fanPct);
      const row = {
        gpuId: s.gpuId,
        temp: t.sum,
        tempN: t.n,
        tempMax: s.temperatureC,
        power: p.sum,
        powerN: p.n,
        powerMax: s.powerW,
        util: u.sum,
        utilN: u.n,
        mem: m.sum,
        memN: m.n,
        fan: f.sum,
        fanN: f.n,
      };
      statements.upsertMinute.run({ ...row, bucket: s.atMs - (s.atMs % 60_000) });
      statements.upsertHour.run({ ...row, bucket: s.atMs - (s.atMs % HOUR) });
    }
  });

  return {
    insertBatch: (samples: readonly TelemetrySample[]) => {
      if (samples.length > 0) insertBatch(samples);
    },
    /** Drops what each tier no longer keeps; returns the rows removed. */
    prune(nowMs: number, retention: Retention = DEFAULT_RETENTION): number {
      return db.transaction(
        () =>
          statements.pruneRaw.run(nowMs - retention.rawMs).changes +
          statements.pruneMinute.run(nowMs - retention.minuteMs).changes +
          statements.pruneHour.run(nowMs - retention.hourMs).changes,
      )();
    },
    history(
      gpuId: string,
      fromMs: number,
      toMs: number,
      nowMs: number,
      retention: Retention = DEFAULT_RETENTION,
    ) {
      const tier = chooseTier(fromMs, toMs, nowMs, retention);
      const statement = {
        raw: statements.selectRaw,
        minute: statements.selectMinute,
        hour: statements.selectHour,
      }[tier];
      return { tier, points: statement.all(gpuId, fromMs, toMs) };
    },
  };
}

export type TelemetryStore = ReturnType<typeof createTelemetryStore>;
