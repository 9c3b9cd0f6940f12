import type { Database } from 'better-sqlite3';
import { BenchmarkRecordSchema, type BenchmarkRecord } from '../../../shared/schemas/benchmark';

/** Benchmark results per GPU, with the driver and date they were measured with. */
export function createBenchmarkRepository(db: Database) {
  const statements = {
    insert: db.prepare(
      `INSERT INTO benchmarks (gpu_id, gpu_name, driver_version, at, result_json)
       VALUES (@gpuId, @gpuName, @driverVersion, @at, @resultJson)`,
    ),
    latest: db.prepare<
      [string],
      { gpu_id: string; gpu_name: string; driver_version: string | null; at: string; result_json: string }
    >(
      'SELECT gpu_id, gpu_name, driver_version, at, result_json FROM benchmarks WHERE gpu_id = ? ORDER BY id DESC LIMIT 1',
    ),
  };
  return {
    save(record: BenchmarkRecord): void {
      statements.insert.run({ ...record, resultJson: JSON.stringify(record.result) });
    },
    /** The newest result that still reads as a valid record; older formats are skipped, not fatal. */
    latest(gpuId: string): BenchmarkRecord | null {
      const row = statements.latest.get(gpuId);
      if (!row) return null;
      try {
        const parsed = BenchmarkRecordSchema.safeParse({
          gpuId: row.gpu_id,
          gpuName: row.gpu_name,
          driverVersion: row.driver_version,
          at: row.at,
          result: JSON.parse(row.result_json),
        });
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
  };
}

export type BenchmarkRepository = ReturnType<typeof createBenchmarkRepository>;
