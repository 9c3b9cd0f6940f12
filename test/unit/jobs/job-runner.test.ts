import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../src/shared/schemas/job';
import { presetSlots } from '../../../src/shared/schedule/windows';
import { processGroupMembers } from '../../../src/main/availability/signals/proc-stat';
import { createCore, type Core } from '../../../src/main/core/create-core';
import { parseJobSpec } from '../../../src/main/jobs/spec/load-job-spec';
import { writeJob } from '../../fakes/job-bundle';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';
import { readFileSync } from 'node:fs';

const tempDir = useTempDirs();
const cores: Core[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});

async function setup(script: string) {
  const dir = tempDir();
  const specPath = await writeJob(dir, { 'run.sh': script }, { command: ['/bin/sh', './run.sh'] });
  const core = createCore({
    dataDir: join(dir, 'data'),
    mode: 'headless',
    logger: createMemoryLogger(),
    gpuProbes: [],
  });
  cores.push(core);
  const spec = parseJobSpec(JSON.parse(readFileSync(specPath, 'utf8')), 'job.json');
  const changes: JobSummary[] = [];
  let output = '';
  core.events.subscribe((event, payload) => {
    if (event === 'job:changed') changes.push(payload as JobSummary);
    if (event === 'job:output') output += (payload as { data: string }).data;
  });
  return { core, spec, bundle: join(dir, 'bundle.tar.gz'), changes, output: () => output };
}

const until = async (check: () => boolean, ms = 15_000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('job runner (real sandbox)', () => {
  it('streams output in batches, and records every state', async () => {
    const { core, spec, bundle, changes, output } = await setup(
      '#!/bin/sh\nfor i in 1 2 3; do echo line $i; done\n',
    );
    const { done } = core.jobs.start(spec, bundle);
    const summary = await done;
    expect(summary).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(changes.map((c) => c.status)).toEqual(['queued', 'preparing', 'running', 'succeeded']);
    expect(output()).toContain('line 1\r\nline 2\r\nline 3');
  });

  it('availability freezes the whole job at once and thaws it when the GPU is free again', async () => {
    const { core, spec, bundle } = await setup('#!/bin/sh\necho ready\nwhile :; do :; done\n');
    await core.router.call('schedule:set', { timezone: 'UTC', slots: presetSlots('always') });
    const { id, done } = core.jobs.start(spec, bundle);
    await until(() => core.jobs.get(id)?.status === 'running');
    const pid = core.jobRecords.get(id)!.pid!;

    core.availability.updateSignals({ games: ['Counter-Strike 2'] });
    expect(core.jobs.get(id)).toMatchObject({
      status: 'paused',
      reason: 'Not for rent: a game or GPU app is running: Counter-Strike 2.',
    });
    // Frozen by the cgroup freezer (state D on v1) or by SIGSTOP (state T): no process runs.
    await until(() => processGroupMembers(pid).every((p) => ['T', 'D', 'Z'].includes(p.state)));

    core.availability.updateSignals({ games: [] });
    await until(() => core.jobs.get(id)?.status === 'running');
    await until(() => processGroupMembers(pid).some((p) => p.state === 'R'));

    core.jobs.cancel(id);
    expect(await done).toMatchObject({ status: 'cancelled', reason: 'Cancelled by the owner' });
    await until(() => processGroupMembers(pid).length === 0);
    expect(existsSync(core.jobRecords.get(id)!.workspace)).toBe(false);
  });

  it('stops a job at its time limit and says so', async () => {
    const { core, spec, bundle } = await setup('#!/bin/sh\nsleep 30\n');
    const { done } = core.jobs.start({ ...spec, resources: { ...spec.resources, maxSeconds: 1 } }, bundle);
    const summary = await done;
    expect(summary.status).toBe('failed');
    expect(summary.reason).toMatch(/time/i);
  });

  it('refuses a bundle whose checksum does not match, before anything runs', async () => {
    const { core, spec, bundle } = await setup('#!/bin/sh\necho should not run\n');
    const summary = await core.jobs.start(
      { ...spec, bundle: { path: 'bundle.tar.gz', sha256: '0'.repeat(64) } },
      bundle,
    ).done;
    expect(summary).toMatchObject({ status: 'failed' });
    expect(summary.reason).toMatch(/sha256/);
  });

  it('refuses an image job, with the reason, where no container engine is installed', async () => {
    const { core, spec, bundle } = await setup('#!/bin/sh\necho hi\n');
    const summary = await core.jobs.start({ ...spec, image: 'docker.io/library/python:3.12' }, bundle).done;
    expect(summary.status).toBe('failed');
    expect(summary.reason).toMatch(/^Refused: .*(podman|docker)/);
  });

  it('does not count time spent frozen against the time limit of the job', async () => {
    const { core, spec, bundle } = await setup('#!/bin/sh\necho go\nsleep 1.5\necho finished\n');
    const { id, done } = core.jobs.start(
      { ...spec, resources: { ...spec.resources, maxSeconds: 2 } },
      bundle,
    );
    await until(() => core.jobs.get(id)?.status === 'running');
    await core.jobs.pause(id, 'owner').frozen;
    await new Promise((r) => setTimeout(r, 1_500)); // frozen longer than the time that is left
    await core.jobs.resume(id);
    expect(await done).toMatchObject({ status: 'succeeded' });
  });

  it("keeps a job the renter's payment holds paused when availability thaws, until payment resumes it", async () => {
    const { core, spec, bundle } = await setup('#!/bin/sh\necho ready\nwhile :; do :; done\n');
    await core.router.call('schedule:set', { timezone: 'UTC', slots: presetSlots('always') });
    const { id, done } = core.jobs.start(spec, bundle);
    await until(() => core.jobs.get(id)?.status === 'running');

    // Payment first, then the owner's game comes and goes: the payment hold stays.
    await core.jobs.pause(id, 'The renter is behind', 'payment').frozen;
    core.availability.updateSignals({ games: ['Counter-Strike 2'] });
    core.availability.updateSignals({ games: [] });
    await new Promise((r) => setTimeout(r, 100));
    expect(core.jobs.get(id)).toMatchObject({ status: 'paused', reason: 'The renter is behind' });
    await core.jobs.resume(id, 'payment');
    expect(core.jobs.get(id)?.status).toBe('running');

    // The game first, then payment falls behind: the thaw drops only availability's hold.
    core.availability.updateSignals({ games: ['Counter-Strike 2'] });
    await until(() => core.jobs.get(id)?.status === 'paused');
    expect(core.jobs.pause(id, 'The renter is behind', 'payment').summary).toBeNull(); // gains the hold
    core.availability.updateSignals({ games: [] });
    await new Promise((r) => setTimeout(r, 100));
    expect(core.jobs.get(id)?.status).toBe('paused');
    expect(await core.jobs.resume(id, 'payment')).toMatchObject({ status: 'running' });

    core.jobs.cancel(id);
    expect(await done).toMatchObject({ status: 'cancelled' });
  });

  it('bills running time only: runningMs stops while paused, and stays known after the end', async () => {
    const { core, spec, bundle } = await setup('#!/bin/sh\nsleep 30\n');
    const { id, done } = core.jobs.start(spec, bundle);
    expect(core.jobs.runningMs(id)).toBe(0);
    await until(() => core.jobs.get(id)?.status === 'running');
    await new Promise((r) => setTimeout(r, 400));
    await core.jobs.pause(id, 'payment', 'payment').frozen;
    const atPause = core.jobs.runningMs(id)!;
    expect(atPause).toBeGreaterThanOrEqual(400);
    await new Promise((r) => setTimeout(r, 600));
    expect(core.jobs.runningMs(id)).toBe(atPause); // the pause is not billed
    await core.jobs.resume(id, 'payment');
    await new Promise((r) => setTimeout(r, 300));
    const running = core.jobs.runningMs(id)!;
    expect(running - atPause).toBeGreaterThanOrEqual(300);
    core.jobs.cancel(id);
    await done;
    const final = core.jobs.runningMs(id)!;
    expect(final).toBeGreaterThanOrEqual(running);
    await new Promise((r) => setTimeout(r, 200));
    expect(core.jobs.runningMs(id)).toBe(final);
    expect(core.jobs.runningMs('job-20260101-00000000')).toBeNull();
  });
});
