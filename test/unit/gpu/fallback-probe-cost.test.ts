import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hasDisplayController } from '../../../src/main/gpu/probes/display-controllers';
import {
  createSystemInformationProbe,
  SI_MIN_INTERVAL_MS,
  SI_NO_GPU_INTERVAL_MS,
} from '../../../src/main/gpu/probes/systeminformation-probe';

afterEach(() => vi.useRealTimers());

describe('the systeminformation fallback’s cost', () => {
  it('reads at most once a minute, and once every 5 minutes while it finds no GPU', async () => {
    vi.useFakeTimers();
    let controllers: { model: string }[] = [];
    const graphics = vi.fn(async () => ({ controllers }));
    const watch = createSystemInformationProbe(graphics).watch(
      10_000,
      () => {},
      () => {},
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(graphics).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(SI_NO_GPU_INTERVAL_MS - 1);
    expect(graphics).toHaveBeenCalledTimes(1); // no GPU: not asked again for 5 minutes
    controllers = [{ model: 'Intel UHD 770' }];
    await vi.advanceTimersByTimeAsync(1);
    expect(graphics).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(SI_MIN_INTERVAL_MS - 1);
    expect(graphics).toHaveBeenCalledTimes(2); // the monitor asked for 10 s; the floor is a minute
    await vi.advanceTimersByTimeAsync(1);
    expect(graphics).toHaveBeenCalledTimes(3);
    watch.stop();
  });

  it('tells from sysfs whether the machine has a display controller at all', () => {
    const root = mkdtempSync(join(tmpdir(), 'nocturne-fake-pci-'));
    try {
      const device = (name: string, cls: string) => {
        mkdirSync(join(root, name));
        writeFileSync(join(root, name, 'class'), `${cls}\n`);
      };
      device('0000:00:00.0', '0x060000'); // a host bridge
      device('0000:00:01.0', '0x020000'); // a network card
      expect(hasDisplayController(root)).toBe(false);
      device('0000:01:00.0', '0x030000'); // VGA
      expect(hasDisplayController(root)).toBe(true);
      expect(hasDisplayController(join(root, 'missing'))).toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
