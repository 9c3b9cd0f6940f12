// npm run bench:telemetry: what GPU telemetry costs. Prints
//  1. ingest: samples/s and CPU time per sample through the batched recorder into SQLite (tiers included);
//  2. steady state: processes spawned per minute and CPU per sample for the whole monitor, with the
//     fake nvidia-smi (a recorded 2-GPU output) streaming at 1 s as a real card would.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/main/core/clock';
import { createGpuLimitsRepository } from '../src/main/gpu/gpu-limits-repository';
import { createGpuMonitor } from '../src/main/gpu/gpu-monitor';
import { createNvidiaProbe } from '../src/main/gpu/probes/nvidia-probe';
import { createTelemetryRecorder } from '../src/main/gpu/telemetry-recorder';
import { createTelemetryStore } from '../src/main/gpu/telemetry-store';
import { createProcessRunner } from '../src/main/os/process-runner';
import { openDatabase } from '../src/main/store/open-database';
import type { GpuInfo } from '../src/shared/schemas/gpu';
import { fakeNvidiaEnv } from '../test/fakes/fake-nvidia-smi';

const quiet = { info() {}, warn() {}, error: (m: string, e?: unknown) => console.error(m, e) };
const dir = mkdtempSync(join(tmpdir(), 'nocturne-bench-'));

function gpu(i: number, t: number): GpuInfo {
  return {
    id: `GPU-${i}`,
    vendor: 'nvidia',
    name: 'Bench',
    busId: null,
    uuid: null,
    index: i,
    driverVersion: null,
    memoryTotalMiB: 24576,
    memoryUsedMiB: 1000 + (t % 500),
    temperatureC: 50 + (t % 30),
    powerDrawW: 100 + (t % 200),
    powerLimitW: 350,
    utilizationPct: t % 100,
    fanPct: null,
  };
}

// 1. Ingest: a year of 1 s ticks is ~31 M samples; 200 k samples across 4 GPUs is enough to see the rate.
// BENCH_PART=steady skips it, so its garbage does not weigh on the steady-state figures.
if (process.env.BENCH_PART !== 'steady') {
  const { db } = openDatabase(join(dir, 'ingest.sqlite'));
  const store = createTelemetryStore(db);
  const recorder = createTelemetryRecorder({
    store,
    clock: systemClock,
    logger: quiet,
    flushEveryMs: 60_000,
  });
  const ticks = 50_000;
  const start = Date.UTC(2026, 0, 1);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let t = 0; t < ticks; t++)
    recorder.add(
      [0, 1, 2, 3].map((i) => gpu(i, t)),
      start + t * 1000,
    );
  recorder.stop();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const samples = ticks * 4;
  console.log('ingest (batched recorder -> SQLite raw + minute + hour tiers)');
  console.log(`  samples:              ${samples}`);
  console.log(`  rate:                 ${Math.round(samples / (ms / 1000)).toLocaleString('en')} samples/s`);
  console.log(`  CPU per sample:       ${(((cpu.user + cpu.system) / samples) | 0).toLocaleString('en')} µs`);
  db.close();
}

// 2. Steady state with the whole monitor and a streaming fake nvidia-smi at 1 s.
if (process.env.BENCH_PART !== 'ingest') {
  const seconds = Number(process.env.BENCH_SECONDS ?? 60);
  const log = join(dir, 'spawns.log');
  const env = fakeNvidiaEnv(dir, 'A8.', { FAKE_NVIDIA_SMI_LOG: log, FAKE_NVIDIA_SMI_TEMPS: '60,62,64' });
  const { db } = openDatabase(join(dir, 'steady.sqlite'));
  let samples = 0;
  const monitor = createGpuMonitor({
    probes: [createNvidiaProbe(createProcessRunner(env))],
    limits: createGpuLimitsRepository(db),
    recorder: createTelemetryRecorder({ store: createTelemetryStore(db), clock: systemClock, logger: quiet }),
    clock: systemClock,
    logger: quiet,
    onTelemetry: (_at, gpus) => (samples += gpus.length),
    onGuardAction: () => {},
    describe: () => ({ benchmark: null, peak: null }),
    idleIntervalMs: 1_000,
  });
  monitor.start();
  // Let start-up (first spawn, first compute-apps poll) pass before measuring the steady state.
  await new Promise((r) => setTimeout(r, 3_000));
  const spawnsBefore = readFileSync(log, 'utf8').trim().split('\n').length;
  const samplesBefore = samples;
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  const spawned = readFileSync(log, 'utf8').trim().split('\n').length - spawnsBefore;
  const measured = samples - samplesBefore;
  monitor.stop();
  db.close();
  console.log(`steady state (monitor + guard + recorder, 2 GPUs sampled every 1 s, ${seconds} s)`);
  console.log(`  samples:              ${measured}`);
  console.log(
    `  processes spawned:    ${((spawned / seconds) * 60).toFixed(1)} per minute (${spawned} in ${seconds} s)`,
  );
  console.log(
    `  CPU per sample:       ${Math.round((cpu.user + cpu.system) / Math.max(1, measured))} µs (our process)`,
  );
  console.log(
    `  CPU share:            ${(((cpu.user + cpu.system) / 1e6 / seconds) * 100).toFixed(2)} % of one core`,
  );
}
rmSync(dir, { recursive: true, force: true });
