import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class DataDirInUseError extends Error {
  constructor(
    readonly lockFile: string,
    readonly pid: number,
  ) {
    super(
      `Another Nocturne (process ${pid}) is already using this data directory. Stop it first, or choose ` +
        `another one with --data-dir. (Lock file: ${lockFile})`,
    );
    this.name = 'DataDirInUseError';
  }
}

/** A killed process its parent has not reaped yet still answers signal 0, but it holds nothing (Linux). */
function isZombie(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .startsWith('Z');
  } catch {
    return false; // no /proc here, or it just went: signal 0 already answered
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One Nocturne per data directory (desktop app or `serve`): two would run the same jobs and sign with
 * the same wallet. A lock left by a crashed process is taken over.
 */
export function acquireInstanceLock(file: string, pid = process.pid): { release(): void } {
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid, startedAt: new Date().toISOString() }));
      closeSync(fd);
      return {
        release() {
          try {
            const holder = JSON.parse(readFileSync(file, 'utf8')) as { pid?: number };
            if (holder.pid === pid) rmSync(file, { force: true });
          } catch {
            // Already gone or unreadable: nothing of ours to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: number | undefined;
      try {
        holder = (JSON.parse(readFileSync(file, 'utf8')) as { pid?: number }).pid;
      } catch {
        holder = undefined; // Torn write by a crashed process: treat as stale.
      }
      if (holder !== undefined && holder !== pid && isAlive(holder))
        throw new DataDirInUseError(file, holder);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}
