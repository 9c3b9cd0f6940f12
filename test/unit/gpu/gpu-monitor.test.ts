import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../../src/shared/contract';
import { createCore, type Core } from '../../../src/main/core/create-core';
import { createFakeClock } from '../../fakes/fake-clock';
import { createFakeProbe } from '../../fakes/fake-gpu-probe';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();
const cores: Core[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
});

function start(fake = createFakeProbe()) {
  const clock = createFakeClock();
  const core = createCore({
    dataDir: join(tempDir(), 'data'),
    mode: 'headless',
    clock,
    logger: createMemoryLogger(),
    gpuProbes: [fake.probe],
    monitorGpus: true,
  });
  cores.push(core);
  const actions: PayloadOf<'gpu:guardAction'>[] = [];
  core.events.subscribe((event, payload) => {
    if (event === 'gpu:guardAction') actions.push(payload as PayloadOf<'gpu:guardAction'>);
  });
  return { core, clock, fake, actions };
}

describe('GPU monitor in the core', () => {
  it('samples at the configured intervals, and a settings change takes effect at once', async () => {
    const { core, fake } = start();
    expect(fake.intervals).toEqual([10_000]);
    await core.router.call('settings:update', { telemetryIdleSeconds: 30 });
    expect(fake.intervals).toEqual([10_000, 30_000]);
    core.gpus.setBusy(true);
    expect(fake.intervals.at(-1)).toBe(1_000);
    await core.router.call('settings:update', { telemetryBusySeconds: 2 });
    expect(fake.intervals.at(-1)).toBe(2_000);
  });

  it('caps power at the limit, pauses when still hot, records and pushes each action', async () => {
    const { core, fake, actions, clock } = start();
    await fake.sample({ temperatureC: 81 });
    expect(fake.powerCalls).toEqual([263]); // 75 % of 350 W
    clock.advance(10_000);
    await fake.sample({ temperatureC: 83, powerLimitW: 263 });
    clock.advance(10_000);
    await fake.sample({ temperatureC: 74, powerLimitW: 263 });
    expect(actions.map((a) => a.action)).toEqual(['cap-power', 'pause-job', 'resume-job']);
    const list = await core.router.call('gpu:list', {});
    expect(list).toMatchObject({ ok: true, data: { gpus: [{ guard: { phase: 'normal' } }] } });
  });

  it('pauses at once, saying why, when the driver refuses the power cap', async () => {
    const fake = createFakeProbe('nvidia-smi', {
      ok: false,
      reason: 'Capping power needs administrator rights.',
    });
    const { core, actions } = start(fake);
    await fake.sample({ temperatureC: 90 });
    expect(actions.map((a) => [a.action, a.reason])).toEqual([
      ['cap-unavailable', 'Capping power needs administrator rights.'],
      ['pause-job', 'Paused: 90 C, limit 80 C (power cannot be capped on this card)'],
    ]);
    const view = await core.router.call('gpu:list', {});
    expect(view).toMatchObject({
      ok: true,
      data: { gpus: [{ guard: { sentence: 'Paused: 90 C, limit 80 C' } }] },
    });
  });

  it('a new limit is stored and judged against the latest sample at once', async () => {
    const { core, fake, actions } = start(createFakeProbe('rocm-smi'));
    await fake.sample({ temperatureC: 70 });
    const result = await core.router.call('gpu:setLimits', {
      gpuId: 'GPU-fake-0',
      limits: { temperatureLimitC: 65, powerCapW: null, stopAfterSeconds: 120 },
    });
    expect(result).toMatchObject({
      ok: true,
      data: { limits: { temperatureLimitC: 65 }, guard: { phase: 'paused' } },
    });
    expect(actions.map((a) => a.action)).toEqual(['pause-job']);
    expect(fake.powerCalls).toEqual([]); // rocm-smi: Nocturne does not try to cap AMD power
    expect(
      await core.router.call('gpu:setLimits', {
        gpuId: 'nope',
        limits: { temperatureLimitC: 65, powerCapW: null, stopAfterSeconds: 120 },
      }),
    ).toMatchObject({
      ok: false,
      error: { field: 'gpuId' },
    });
  });

  it('refuses a benchmark report for a run it did not start', async () => {
    const { core } = start();
    expect(
      await core.router.call('gpu:benchReport', { runId: 'forged', kind: 'error', message: 'x' }),
    ).toMatchObject({
      ok: false,
      error: { field: 'runId' },
    });
  });
});
