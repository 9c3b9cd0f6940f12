import type { Database } from 'better-sqlite3';
import type { GpuLimits } from '../../shared/schemas/gpu';
import { DEFAULT_THERMAL_LIMITS } from './thermal-policy';

export const DEFAULT_GPU_LIMITS: GpuLimits = {
  temperatureLimitC: DEFAULT_THERMAL_LIMITS.temperatureLimitC,
  powerCapW: DEFAULT_THERMAL_LIMITS.powerCapW,
  stopAfterSeconds: DEFAULT_THERMAL_LIMITS.stopAfterSeconds,
};

/** Per-GPU limits and the guard's history, behind named statements. */
export function createGpuLimitsRepository(db: Database) {
  const statements = {
    get: db.prepare<
      [string],
      { temperature_limit_c: number; power_cap_w: number | null; stop_after_seconds: number }
    >('SELECT temperature_limit_c, power_cap_w, stop_after_seconds FROM gpu_limits WHERE gpu_id = ?'),
    upsert: db.prepare(
      `INSERT INTO gpu_limits (gpu_id, temperature_limit_c, power_cap_w, stop_after_seconds, updated_at)
       VALUES (@gpuId, @temperatureLimitC, @powerCapW, @stopAfterSeconds, @at)
       ON CONFLICT (gpu_id) DO UPDATE SET temperature_limit_c = excluded.temperature_limit_c,
         power_cap_w = excluded.power_cap_w, stop_after_seconds = excluded.stop_after_seconds,
         updated_at = excluded.updated_at`,
    ),
    insertEvent: db.prepare(
      `INSERT INTO thermal_events (gpu_id, at, action, reason, temperature_c)
       VALUES (@gpuId, @at, @action, @reason, @temperatureC)`,
    ),
    recentEvents: db.prepare<
      [string, number],
      { at: string; action: string; reason: string; temperature_c: number | null }
    >(
      'SELECT at, action, reason, temperature_c FROM thermal_events WHERE gpu_id = ? ORDER BY id DESC LIMIT ?',
    ),
  };
  // The guard reads a card's limits on every sample (1 s while renting): keep them in memory, write through.
  const cache = new Map<string, GpuLimits>();
  return {
    get(gpuId: string): GpuLimits {
      const cached = cache.get(gpuId);
      if (cached) return cached;
      const row = statements.get.get(gpuId);
      const limits = row
        ? {
            temperatureLimitC: row.temperature_limit_c,
            powerCapW: row.power_cap_w,
            stopAfterSeconds: row.stop_after_seconds,
          }
        : DEFAULT_GPU_LIMITS;
      cache.set(gpuId, limits);
      return limits;
    },
    set(gpuId: string, limits: GpuLimits, at: Date): void {
      statements.upsert.run({ gpuId, ...limits, at: at.toISOString() });
      cache.set(gpuId, { ...limits });
    },
    recordEvent(event: {
      gpuId: string;
      at: string;
      action: string;
      reason: string;
      temperatureC: number | null;
    }): void {
      statements.insertEvent.run(event);
    },
    recentEvents: (gpuId: string, limit = 50) => statements.recentEvents.all(gpuId, limit),
  };
}

export type GpuLimitsRepository = ReturnType<typeof createGpuLimitsRepository>;
