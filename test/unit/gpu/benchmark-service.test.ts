import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { BenchmarkFinishedEvent, WebGpuBenchmarkResult } from '../../../src/shared/schemas/benchmark';
import { createBenchmarkRepository } from '../../../src/main/gpu/benchmark/benchmark-repository';
import {
  createBenchmarkService,
  type BenchmarkLauncher,
} from '../../../src/main/gpu/benchmark/benchmark-service';
import { openDatabase } from '../../../src/main/store/open-database';
import { createFakeClock } from '../../fakes/fake-clock';
import { fakeGpu } from '../../fakes/fake-gpu-probe';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

const result: WebGpuBenchmarkResult = {
  adapter: {
    vendor: 'nvidia',
    architecture: 'ampere',
    device: '',
    description: 'RTX 3090',
    isFallbackAdapter: false,
  },
  matmul: { size: 1024, gflops: 12000, trialsGflops: [11900, 12000, 12100] },
  bandwidth: { bytes: 268435456, gbPerSecond: 800, trialsGbPerSecond: [790, 800, 810] },
  validation: { size: { m: 131, k: 67, n: 70 }, maxAbsError: 1e-6, maxRelError: 1e-7, passed: true },
  durationMs: 9000,
  trials: 3,
};

function setup(launcher: BenchmarkLauncher | null = { launch: async () => ({ close: () => {} }) }) {
  const { db } = openDatabase(join(tempDir(), 'db.sqlite'));
  const repository = createBenchmarkRepository(db);
  const finished: BenchmarkFinishedEvent[] = [];
  const progress: string[] = [];
  const service = createBenchmarkService({
    launcher,
    repository,
    clock: createFakeClock('2026-03-01T10:00:00.000Z'),
    logger: createMemoryLogger(),
    onProgress: (e) => progress.push(e.progress.message),
    onFinished: (e) => finished.push(e),
    timeoutMs: 1_000,
  });
  return { db, service, finished, progress, repository };
}

describe('benchmark service', () => {
  it('stores a validated result with the card, driver and date, and announces it', async () => {
    const { db, service, finished, progress } = setup();
    const gpu = fakeGpu();
    const { runId } = await service.start(gpu);
    service.report({
      runId,
      kind: 'progress',
      progress: { phase: 'matmul', fraction: 0.5, message: 'Matmul trial 1 of 3' },
    });
    service.report({ runId, kind: 'result', result });
    expect(progress).toEqual(['Matmul trial 1 of 3']);
    expect(finished).toEqual([
      {
        runId,
        gpuId: gpu.id,
        error: null,
        record: {
          gpuId: gpu.id,
          gpuName: gpu.name,
          driverVersion: '560.35.03',
          at: '2026-03-01T10:00:00.000Z',
          result,
        },
      },
    ]);
    expect(service.latest(gpu.id)?.result.matmul.gflops).toBe(12000);
    db.close();
  });

  it('runs one benchmark at a time and ignores reports for another run id', async () => {
    const { db, service } = setup();
    const { runId } = await service.start(fakeGpu());
    await expect(service.start(fakeGpu())).rejects.toThrow('already running');
    expect(() => service.report({ runId: 'forged', kind: 'result', result })).toThrow(
      'No benchmark with that run id',
    );
    service.report({ runId, kind: 'error', message: 'No WebGPU adapter was found' });
    await expect(service.start(fakeGpu())).resolves.toHaveProperty('runId');
    db.close();
  });

  it('keeps no figures from a run whose validation failed', async () => {
    const { db, service, finished } = setup();
    const { runId } = await service.start(fakeGpu());
    service.report({
      runId,
      kind: 'result',
      result: { ...result, validation: { ...result.validation, passed: false } },
    });
    expect(finished[0]).toMatchObject({
      record: null,
      error: 'The GPU produced wrong results; no figures were kept.',
    });
    expect(service.latest(fakeGpu().id)).toBeNull();
    db.close();
  });

  it('fails a run that never reports, and closes its window', async () => {
    vi.useFakeTimers();
    try {
      const close = vi.fn();
      const { db, service, finished } = setup({ launch: async () => ({ close }) });
      await service.start(fakeGpu());
      vi.advanceTimersByTime(1_000);
      expect(finished[0]).toMatchObject({
        record: null,
        error: 'The benchmark did not finish within its time limit.',
      });
      expect(close).toHaveBeenCalledOnce();
      db.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('says what to install where there is no browser to run it in', async () => {
    const { db, service } = setup(null);
    await expect(service.start(fakeGpu())).rejects.toThrow(/needs Chromium or Chrome/);
    db.close();
  });
});
