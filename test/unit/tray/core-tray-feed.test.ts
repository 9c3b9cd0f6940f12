import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/create-core';
import { createCoreTrayFeed } from '../../../src/main/tray/core-tray-feed';
import type { TrayView } from '../../../src/main/tray/tray-view';
import { presetSlots } from '../../../src/shared/schedule/windows';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();
const cores: Core[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
});

describe('the tray over a running core', () => {
  it('follows the owner’s pause and resume, and renting turned on without a wallet is an error', async () => {
    const core = createCore({
      dataDir: join(tempDir(), 'data'),
      mode: 'electron',
      logger: createMemoryLogger(),
      gpuProbes: [],
      startDevnet: null,
      p2p: { host: '127.0.0.1', nat: false },
    });
    cores.push(core);
    await core.router.call('schedule:set', { timezone: 'UTC', slots: presetSlots('always') });
    const views: TrayView[] = [];
    const feed = createCoreTrayFeed(core, (v) => views.push(v));
    expect(views.at(-1)).toMatchObject({ state: 'offline', canPause: true });

    await core.router.call('app:pause', { for: 'hour' });
    expect(views.at(-1)).toMatchObject({ state: 'paused', canResume: true, canPause: false });
    expect(views.at(-1)!.statusLine).toMatch(/paus/i);
    await core.router.call('app:resume', {});
    expect(views.at(-1)!.state).toBe('offline');

    // Renting on with no wallet to be paid into: said at once, before the node has even started.
    await core.router.call('settings:update', { providerOnline: true, p2pPort: 0 });
    expect(views.at(-1)).toMatchObject({ state: 'error', statusLine: expect.stringContaining('no wallet') });
    expect(views.at(-1)!.earningsLine).toBe('Nothing earned today yet');
    feed.stop();
    await core.router.call('settings:update', { providerOnline: false });
    await core.shutdown();
  });
});
