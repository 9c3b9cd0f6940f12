import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { acquireInstanceLock, DataDirInUseError } from '../../../src/main/data-dir/instance-lock';
import { resolveDataDir } from '../../../src/main/data-dir/resolve-data-dir';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

describe('resolveDataDir', () => {
  const base = { home: '/home/ada', cwd: '/work' };

  it('prefers --data-dir, then NOCTURNE_HOME, resolving relative paths from the working directory', () => {
    expect(resolveDataDir({ ...base, flag: 'rig', env: { NOCTURNE_HOME: '/env' }, platform: 'linux' })).toBe(
      '/work/rig',
    );
    expect(resolveDataDir({ ...base, env: { NOCTURNE_HOME: '/env' }, platform: 'linux' })).toBe('/env');
    expect(resolveDataDir({ ...base, flag: '  ', env: { NOCTURNE_HOME: '/env' }, platform: 'linux' })).toBe(
      '/env',
    );
  });

  it("falls back to the OS's app-data folder", () => {
    expect(resolveDataDir({ ...base, env: {}, platform: 'linux' })).toBe('/home/ada/.config/Nocturne');
    expect(resolveDataDir({ ...base, env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux' })).toBe(
      '/xdg/Nocturne',
    );
    expect(resolveDataDir({ ...base, env: {}, platform: 'darwin' })).toBe(
      '/home/ada/Library/Application Support/Nocturne',
    );
    expect(
      resolveDataDir({ ...base, env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, platform: 'win32' }),
    ).toContain('Roaming');
  });
});

describe('instance lock', () => {
  it('refuses a second holder while the first lives, and frees on release', () => {
    const file = join(tempDir(), 'nocturne.lock');
    const first = acquireInstanceLock(file);
    // Another live process (our parent) holding it must be refused with a message naming it.
    writeFileSync(file, JSON.stringify({ pid: process.ppid }));
    expect(() => acquireInstanceLock(file)).toThrow(DataDirInUseError);
    expect(() => acquireInstanceLock(file)).toThrow(`process ${process.ppid}`);
    writeFileSync(file, JSON.stringify({ pid: process.pid }));
    first.release();
    expect(existsSync(file)).toBe(false);
  });

  it('takes over a lock held by a killed process its parent has not reaped yet (a zombie)', async () => {
    const file = join(tempDir(), 'nocturne.lock');
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    await new Promise((r) => child.once('spawn', r));
    writeFileSync(file, JSON.stringify({ pid: child.pid }));
    // Kill it and block this thread, so Node cannot reap it: the pid is a zombie while we look.
    process.kill(child.pid!, 'SIGKILL');
    const until = Date.now() + 300;
    while (Date.now() < until) {
      // busy wait on purpose
    }
    expect(() => acquireInstanceLock(file).release()).not.toThrow();
  });

  it('takes over a lock left by a process that died, or a torn lock file', () => {
    const file = join(tempDir(), 'nocturne.lock');
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(file, JSON.stringify({ pid: Number(dead) }));
    acquireInstanceLock(file).release();

    writeFileSync(file, '{"pid": 12');
    const lock = acquireInstanceLock(file);
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });
});
