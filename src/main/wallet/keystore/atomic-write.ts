import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { link, lstat, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Crash-safe file replacement: the data goes to a temp file in the same directory (same file system,
 * so the rename is atomic), is fsynced, renamed over the target, and the directory is fsynced so the
 * rename itself survives a power cut. A reader sees the old file or the new one, never a torn one.
 *
 * Temp files are named `.<target>.<pid>.<16 hex>.tmp`. One left by a process that died mid-write is
 * removed by the next write or read of that target; a live process's (or our own in-flight) are not.
 */

export interface AtomicWriteOptions {
  /** File mode of the new file (default 0o600: owner only). */
  mode?: number;
  /** Refuse, with FileExistsError, when the target exists (even a damaged one) instead of replacing it. */
  exclusive?: boolean;
}

export class FileExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists.`);
    this.name = 'FileExistsError';
  }
}

const inFlight = new Set<string>();

function tempPattern(target: string): RegExp {
  const escaped = basename(target).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\.${escaped}\\.(\\d+)\\.[0-9a-f]{16}\\.tmp$`);
}

export function tempFileName(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`);
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files a crashed writer left beside `target`. Returns the paths removed. */
export function removeStaleTempFiles(target: string): string[] {
  const dir = dirname(target);
  const pattern = tempPattern(target);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    const file = join(dir, name);
    const pid = Number(match[1]);
    // Ours and still being written, or another live process's: leave it.
    if (inFlight.has(file) || (pid !== process.pid && processAlive(pid))) continue;
    rmSync(file, { force: true });
    removed.push(file);
  }
  return removed;
}

async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const mode = options.mode ?? 0o600;
  removeStaleTempFiles(path);
  const temp = tempFileName(path);
  inFlight.add(temp);
  let tempExists = false;
  try {
    const handle = await open(temp, 'wx', mode);
    tempExists = true;
    try {
      await handle.chmod(mode); // the umask may have narrowed it; never widened
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }

    if (options.exclusive) {
      try {
        // link() fails if the target exists, atomically: no window where an existing file is replaced.
        await link(temp, path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (code === 'EEXIST') throw new FileExistsError(path);
        if (!NO_HARD_LINKS.has(code)) throw error;
        // A file system without hard links: check, then rename (the data-dir lock keeps other writers out).
        if (await exists(path)) throw new FileExistsError(path);
        await rename(temp, path);
        tempExists = false;
      }
    } else {
      await rename(temp, path);
      tempExists = false;
    }
    await fsyncDirectory(dirname(path));
  } finally {
    if (tempExists) await unlink(temp).catch(() => undefined);
    inFlight.delete(temp);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
