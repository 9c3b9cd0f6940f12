import { readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes one value to a cgroup control file (a single write, as the kernel wants). */
export function writeControl(dir: string, file: string, value: string | number): void {
  writeFileSync(join(dir, file), String(value));
}

/** Writes a control file that may not exist on this kernel; returns whether it was written. */
export function tryWriteControl(dir: string, file: string, value: string | number): boolean {
  try {
    writeControl(dir, file, value);
    return true;
  } catch {
    return false;
  }
}

export function readControl(dir: string, file: string): string | null {
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch {
    return null;
  }
}

export function readNumber(dir: string, file: string): number | null {
  const text = readControl(dir, file);
  if (text === null) return null;
  const value = Number(text.trim());
  return Number.isFinite(value) ? value : null;
}

/** A "key value" line from files such as memory.events, pids.events, memory.oom_control. */
export function readKeyed(dir: string, file: string, key: string): number | null {
  const text = readControl(dir, file);
  if (text === null) return null;
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k === key && v !== undefined) {
      const n = Number(v);
      return Number.isFinite(n) ? n : null;
    }
  }
  return null;
}

export function readPids(dir: string): number[] {
  const text = readControl(dir, 'cgroup.procs');
  if (!text) return [];
  return text
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SIGKILLs every process in the cgroups until they are empty (a process may fork while we read), then
 * removes the directories. cgroup v1 has no cgroup.kill; exiting tasks linger a moment as zombies, so
 * rmdir is retried on EBUSY.
 */
export async function killAndRemove(dirs: string[], timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = new Set(dirs.flatMap((d) => readPids(d)));
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    const left = dirs.filter((d) => {
      try {
        rmdirSync(d);
        return false;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code !== 'ENOENT';
      }
    });
    if (left.length === 0) return;
    if (Date.now() >= deadline)
      throw new Error(`Could not remove the job's cgroup ${left.join(', ')}: processes are still in it`);
    dirs = left;
    await sleep(pids.size > 0 ? 20 : 10);
  }
}

/**
 * Whether `pid` is in the cgroup at `relPath` (as /proc/<pid>/cgroup names it). For v1 pass the
 * controller ("memory"); for v2 pass null (the "0::" line).
 */
export function processInCgroup(pid: number, controller: string | null, relPath: string): boolean {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  } catch {
    return false;
  }
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    const matches = controller === null ? controllers === '' : controllers.split(',').includes(controller);
    if (matches) return path === relPath || path.endsWith(relPath);
  }
  return false;
}
