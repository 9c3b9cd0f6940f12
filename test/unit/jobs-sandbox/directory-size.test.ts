import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, openSync, closeSync, ftruncateSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  directorySizeBytes,
  directoryUsage,
  watchDiskUsage,
} from '../../../src/main/jobs/limits/directory-size';
import { cleanupAll, sleep, tempDir } from './sandbox-harness';

afterEach(cleanupAll);

const MiB = 1024 * 1024;

describe('directorySizeBytes', () => {
  it('counts allocated blocks as du does: sparse files by what they hold, hard links once, links not followed', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a'), Buffer.alloc(MiB, 1));
    linkSync(join(dir, 'a'), join(dir, 'a-again'));
    const fd = openSync(join(dir, 'sparse'), 'w');
    ftruncateSync(fd, 1024 * MiB); // 1 GiB apparent, nothing allocated
    closeSync(fd);
    symlinkSync('/usr', join(dir, 'usr-link'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'b'), Buffer.alloc(MiB, 2));
    const bytes = await directorySizeBytes(dir);
    const du = Number(execFileSync('du', ['-s', '--block-size=1', dir], { encoding: 'utf8' }).split('\t')[0]);
    expect(bytes).toBe(du);
    expect(bytes).toBeGreaterThanOrEqual(2 * MiB);
    expect(bytes).toBeLessThan(3 * MiB);
  });

  it('is fast enough to poll every 2 s (5,000 files in 50 folders)', async () => {
    const dir = tempDir();
    for (let d = 0; d < 50; d++) {
      mkdirSync(join(dir, `d${d}`));
      for (let f = 0; f < 100; f++) writeFileSync(join(dir, `d${d}`, `f${f}`), 'x');
    }
    const t = performance.now();
    const usage = await directoryUsage(dir);
    const ms = performance.now() - t;
    expect(usage.entries).toBe(5_050);
    console.log(`directoryUsage: 5,050 entries in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(1_000);
  });

  it('stops at maxEntries and says the count is a lower bound', async () => {
    const dir = tempDir();
    for (let f = 0; f < 200; f++) writeFileSync(join(dir, `f${f}`), '');
    const usage = await directoryUsage(dir, { maxEntries: 100 });
    expect(usage.truncated).toBe(true);
  });

  it('watchDiskUsage calls back once when the workspace reaches its limit', async () => {
    const dir = tempDir();
    const hits: number[] = [];
    const watch = watchDiskUsage(dir, 2 * MiB, { intervalMs: 20, onExceeded: (u) => hits.push(u.bytes) });
    await sleep(60);
    expect(hits).toEqual([]);
    writeFileSync(join(dir, 'big'), Buffer.alloc(3 * MiB, 1));
    const until = Date.now() + 2_000;
    while (!watch.exceeded() && Date.now() < until) await sleep(10);
    await sleep(60);
    watch.stop();
    expect(hits).toHaveLength(1);
    expect(watch.lastBytes()).toBeGreaterThanOrEqual(3 * MiB);
  });
});
