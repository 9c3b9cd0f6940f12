import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { presetSlots } from '../../../src/shared/schedule/windows';
import type { JobControl } from '../../../src/main/availability/handback/job-control';
import { createCore, type Core } from '../../../src/main/core/create-core';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();
const cores: Core[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});

describe('hand-back wiring in the core', () => {
  it('a game starting freezes the jobs before anything else, and its end thaws them', async () => {
    const calls: string[] = [];
    const jobs: JobControl = {
      freezeAll: async (reason) => void calls.push(`freeze: ${reason}`),
      thawAll: async () => void calls.push('thaw'),
      running: () => 1,
    };
    const core = createCore({
      dataDir: join(tempDir(), 'data'),
      mode: 'headless',
      logger: createMemoryLogger(),
      jobControl: jobs,
      gpuProbes: [],
    });
    cores.push(core);
    core.events.subscribe((event) => {
      if (event === 'availability:changed') calls.push('event');
    });
    await core.router.call('schedule:set', { timezone: 'UTC', slots: presetSlots('always') });
    calls.length = 0;

    core.availability.updateSignals({ games: ['Counter-Strike 2'] });
    expect(calls).toEqual(['freeze: Not for rent: a game or GPU app is running: Counter-Strike 2.', 'event']);
    core.availability.updateSignals({ games: [] });
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.slice(2)).toEqual(['event', 'thaw']);
  });
});
