import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GpuInfo } from '../../../src/shared/schemas/gpu';
import { createNvidiaProbe } from '../../../src/main/gpu/probes/nvidia-probe';
import { superviseStream } from '../../../src/main/gpu/probes/supervised-stream';
import { createProcessRunner, type StreamedProcess } from '../../../src/main/os/process-runner';
import { fakeNvidiaEnv } from '../../fakes/fake-nvidia-smi';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

function waitFor<T>(check: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const value = check();
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > timeoutMs) return reject(new Error('timed out'));
      setTimeout(poll, 20);
    };
    poll();
  });
}

describe('NVIDIA probe', () => {
  it('streams samples from ONE long-lived nvidia-smi, one batch per tick for every GPU', async () => {
    const dir = tempDir();
    const log = join(dir, 'spawns.log');
    // A8 is a recorded two-GPU machine (GTX 1080 Ti + GTX 1060 6GB).
    const env = fakeNvidiaEnv(dir, 'A8.', { FAKE_NVIDIA_SMI_LOG: log, FAKE_NVIDIA_SMI_TEMPS: '60,61,62' });
    const probe = createNvidiaProbe(createProcessRunner(env));
    const batches: GpuInfo[][] = [];
    const errors: string[] = [];
    const watch = probe.watch(
      100,
      (gpus) => batches.push(gpus),
      (m) => errors.push(m),
    );
    await waitFor(() => (batches.length >= 5 ? true : undefined));
    watch.stop();
    expect(errors).toEqual([]);
    for (const batch of batches) expect(batch.map((g) => g.index)).toEqual([0, 1]);
    expect(batches[0]!.map((g) => g.name)).toEqual(['GeForce GTX 1080 Ti', 'GeForce GTX 1060 6GB']);
    expect(batches.slice(0, 3).map((b) => b[0]!.temperatureC)).toEqual([60, 61, 62]);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('reports a crash in words and restarts with growing back-off', async () => {
    const env = fakeNvidiaEnv(tempDir(), 'A10.', { FAKE_NVIDIA_SMI_MODE: 'broken' });
    const probe = createNvidiaProbe(createProcessRunner(env));
    const errors: { at: number; message: string }[] = [];
    const watch = probe.watch(
      100,
      () => {},
      (message) => errors.push({ at: Date.now(), message }),
    );
    await waitFor(() => (errors.length >= 3 ? true : undefined), 10_000);
    watch.stop();
    expect(errors[0]!.message).toMatch(/driver/i);
    const gaps = [errors[1]!.at - errors[0]!.at, errors[2]!.at - errors[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1_900);
  }, 15_000);

  it('refuses a power cap without rights, saying why', async () => {
    const probe = createNvidiaProbe(createProcessRunner(fakeNvidiaEnv(tempDir(), 'A10.')));
    const [gpu] = await probe.list();
    expect(await probe.setPowerLimit(gpu!, 250)).toEqual({
      ok: false,
      reason: 'Capping power needs administrator rights (nvidia-smi -pl), which Nocturne does not have.',
    });
  });
});

describe('stream supervisor', () => {
  it('resets the back-off after a healthy run and stops restarting once stopped', () => {
    let now = 0;
    const exits: ((code: number | null, stderr: string) => void)[] = [];
    const fake = (): StreamedProcess => ({
      pid: 1,
      onLine: () => {},
      onExit: (l) => void exits.push(l),
      kill: () => {},
    });
    const delays: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void, ms: number) => {
      delays.push(ms);
      fn();
      return 0 as unknown as NodeJS.Timeout;
    }) as typeof setTimeout;
    try {
      const supervisor = superviseStream({
        start: fake,
        onLine: () => {},
        onCrash: () => {},
        now: () => now,
      });
      exits.at(-1)!(1, ''); // crash at once: 1 s
      exits.at(-1)!(1, ''); // again: 2 s
      now += 60_000;
      exits.at(-1)!(1, ''); // after a healthy minute: back to 1 s
      expect(delays).toEqual([1_000, 2_000, 1_000]);
      expect(supervisor.starts()).toBe(4);
      supervisor.stop();
      exits.at(-1)!(1, '');
      expect(supervisor.starts()).toBe(4);
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
  });
});
