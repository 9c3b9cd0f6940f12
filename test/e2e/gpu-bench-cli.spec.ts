import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';

// The whole benchmark path as `nocturne gpu bench` runs it: core + loopback server + headless Chromium
// opening bench.html, WebGPU on the software adapter here, results checked against the CPU and stored.
test('nocturne gpu bench measures, validates and stores a result', async () => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'nocturne-bench-e2e-'));
  try {
    const run = spawnSync(
      process.execPath,
      ['bin/nocturne.js', 'gpu', 'bench', '--json', '--data-dir', dataDir],
      {
        env: {
          ...process.env,
          NOCTURNE_BENCH_QUICK: '1',
          CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        },
        encoding: 'utf8',
        timeout: 110_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const record = JSON.parse(run.stdout);
    console.log(
      `[gpu bench] ${record.result.adapter.isFallbackAdapter ? 'software adapter' : 'GPU'}: ` +
        `${record.result.matmul.gflops.toFixed(2)} GFLOP/s, ${record.result.bandwidth.gbPerSecond.toFixed(2)} GB/s`,
    );
    expect(record.result.validation.passed).toBe(true);
    expect(record.result.validation.maxRelError).toBeLessThan(1e-3);
    expect(record.result.matmul.gflops).toBeGreaterThan(0);
    expect(record.result.bandwidth.gbPerSecond).toBeGreaterThan(0);
    expect(record.result.matmul.trialsGflops).toHaveLength(3);

    // Stored in SQLite with the card it was filed under.
    const db = new Database(join(dataDir, 'nocturne.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT gpu_id AS gpuId FROM benchmarks').all();
    db.close();
    expect(rows).toEqual([{ gpuId: record.gpuId }]);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
