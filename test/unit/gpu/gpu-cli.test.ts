import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run-cli';
import { fakeNvidiaEnv, noGpuToolsEnv } from '../../fakes/fake-nvidia-smi';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), env });
  return { code, out, err };
}

describe('nocturne gpu list', () => {
  it("reports a recorded card's name, memory, temperature and power through a fake nvidia-smi", async () => {
    const result = await cli(['gpu', 'list', '--json'], fakeNvidiaEnv(tempDir(), 'A10.'));
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const gpus = JSON.parse(result.out);
    expect(gpus).toEqual([
      {
        id: 'nvidia:0',
        vendor: 'nvidia',
        name: 'NVIDIA GeForce RTX 3090',
        busId: null,
        uuid: null,
        index: 0,
        driverVersion: null,
        memoryTotalMiB: 24576,
        memoryUsedMiB: 23358,
        temperatureC: 29,
        powerDrawW: 118.42,
        powerLimitW: 350,
        utilizationPct: 0,
        fanPct: null,
      },
    ]);
  });

  it('prints a readable table without --json', async () => {
    const result = await cli(['gpu', 'list'], fakeNvidiaEnv(tempDir(), 'A10.'));
    expect(result.out).toContain('NVIDIA GeForce RTX 3090');
    expect(result.out).toContain('29 C');
    expect(result.out).toContain('118.4 W of 350 W');
  });

  it('prints [] and exits 0 without any GPU tool', async () => {
    const result = await cli(['gpu', 'list', '--json'], noGpuToolsEnv());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual([]);
  });

  it('says what failed, and exits 1, when the driver is broken', async () => {
    const env = fakeNvidiaEnv(tempDir(), 'A10.', { FAKE_NVIDIA_SMI_MODE: 'broken' });
    const result = await cli(['gpu', 'list', '--json'], env);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/nvidia-smi: .*driver/i);
    expect(JSON.parse(result.out)).toEqual([]);
  });
});
