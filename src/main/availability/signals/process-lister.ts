import { readFileSync } from 'node:fs';
import type { ProcessRunner } from '../../os/process-runner';
import { baseName, type ProcessInfo } from './detect-games';
import { listPids, parseProcStat } from './proc-stat';

export type { ProcessInfo } from './detect-games';

/** Lists the processes running now. One adapter per platform; tests pass a fake. */
export interface ProcessLister {
  /** Which adapter this is, for the logs ("proc", "ps", "tasklist"). */
  readonly kind: string;
  /** The platform its names come from (see detectGames' `platform`). */
  readonly platform: string;
  list(): Promise<ProcessInfo[]>;
}

/** Undoes Linux's 15-character cut of `comm` when argv[0] holds the whole name. */
function fullName(comm: string, args: string[]): string {
  const first = args[0] ? baseName(args[0]) : '';
  return first.length > comm.length && first.startsWith(comm) ? first : comm;
}

/**
 * Linux: reads /proc/<pid>/stat (ppid, comm) and /proc/<pid>/cmdline (argv) for every process. No
 * process is spawned. The reads are synchronous on purpose: measured on the 2-core dev VM (72
 * processes), one scan takes ~2 ms of wall and CPU time synchronously against ~10 ms wall and ~13 ms CPU
 * through fs/promises; a desktop with ~400 processes should land near 10 ms, every 3 s.
 */
export function createProcProcessLister(procRoot = '/proc'): ProcessLister {
  // A process's arguments are read once: kept by pid, start time and name (an exec changes the name and
  // the arguments in the same pid), dropped when the process is gone. Halves the reads of every scan.
  let seen = new Map<number, { key: string; args: string[] }>();
  return {
    kind: 'proc',
    platform: 'linux',
    list() {
      const out: ProcessInfo[] = [];
      const next = new Map<number, { key: string; args: string[] }>();
      for (const pid of listPids(procRoot)) {
        let parsed;
        try {
          parsed = parseProcStat(readFileSync(`${procRoot}/${pid}/stat`, 'utf8'));
        } catch {
          continue; // it ended between the listing and the read
        }
        if (!parsed) continue;
        const key = `${parsed.startTime}:${parsed.comm}`;
        let args = seen.get(pid)?.key === key ? seen.get(pid)!.args : null;
        if (args === null) {
          try {
            const cmdline = readFileSync(`${procRoot}/${pid}/cmdline`, 'utf8');
            args = cmdline.length > 0 ? cmdline.replace(/\0$/, '').split('\0') : [];
          } catch {
            continue;
          }
        }
        next.set(pid, { key, args });
        out.push({ pid, ppid: parsed.ppid, name: fullName(parsed.comm, args), args });
      }
      seen = next;
      return Promise.resolve(out);
    },
  };
}

/**
 * Parses `ps -axww -o pid=,ppid=,comm=` and `ps -axww -o pid=,args=` (two runs, joined by pid: with
 * comm and args in one run, a comm holding spaces, as macOS app paths do, cannot be told from the
 * args). ps joins argv with spaces, so an argument holding spaces comes back split; argv[0] is kept
 * whole where the line starts with comm.
 */
export function parsePsOutput(commOut: string, argsOut: string): ProcessInfo[] {
  const argsByPid = new Map<number, string>();
  for (const line of argsOut.split('\n')) {
    const m = /^\s*(\d+)\s(.*)$/.exec(line);
    if (m) argsByPid.set(Number(m[1]), m[2]!.trim());
  }
  const out: ProcessInfo[] = [];
  for (const line of commOut.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s(.*)$/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const comm = m[3]!.trim();
    if (!comm) continue;
    const text = argsByPid.get(pid) ?? '';
    let args: string[];
    if (comm.includes('/') && text.startsWith(comm)) {
      args = [comm, ...text.slice(comm.length).split(/\s+/).filter(Boolean)];
    } else {
      args = text.split(/\s+/).filter(Boolean);
    }
    out.push({ pid, ppid: Number(m[2]), name: baseName(comm), args });
  }
  return out;
}

/** macOS and the BSDs (and Linux without /proc): `ps`, through the injected runner, ~10-20 ms a run. */
export function createPsProcessLister(
  runner: ProcessRunner,
  platform: string = process.platform,
): ProcessLister {
  return {
    kind: 'ps',
    platform,
    async list() {
      const [comm, args] = await Promise.all([
        runner.run('ps', ['-axww', '-o', 'pid=,ppid=,comm='], { timeoutMs: 10_000 }),
        runner.run('ps', ['-axww', '-o', 'pid=,args='], { timeoutMs: 10_000 }),
      ]);
      if (comm.exitCode !== 0)
        throw new Error(`ps failed: ${comm.failure ?? (comm.stderr.trim() || comm.exitCode)}`);
      return parsePsOutput(comm.stdout, args.exitCode === 0 ? args.stdout : '');
    },
  };
}

/** One CSV record of tasklist: every field quoted, commas inside quotes ("12,345 K"). */
const csvFields = (line: string): string[] =>
  [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"'));

/** Parses `tasklist /fo csv /nh`: "Image Name","PID","Session Name","Session#","Mem Usage". */
export function parseTasklistCsv(out: string): ProcessInfo[] {
  const list: ProcessInfo[] = [];
  for (const line of out.split(/\r?\n/)) {
    const [name, pid] = csvFields(line.trim());
    if (!name || !pid || !/^\d+$/.test(pid)) continue;
    list.push({ pid: Number(pid), ppid: -1, name, args: [] });
  }
  return list;
}

/**
 * Windows: `tasklist /fo csv /nh`, about 50-150 ms a run (published figures; not measurable here).
 * LIMITATION: tasklist gives neither the parent pid nor the command line, so on Windows only the
 * built-in list and the owner's list can find a game; "a child of steam.exe" and Minecraft's JVM
 * arguments cannot. wmic (which had both) is deprecated and gone from current Windows 11; PowerShell's
 * Get-CimInstance Win32_Process has both but costs a PowerShell start (~0.3-1 s CPU) per poll, the
 * complaint systeminformation already draws. The fix is a small native call (CreateToolhelp32Snapshot
 * gives ppid for every process in ~1 ms) once native modules are on the table.
 */
export function createTasklistProcessLister(runner: ProcessRunner): ProcessLister {
  return {
    kind: 'tasklist',
    platform: 'win32',
    async list() {
      const result = await runner.run('tasklist', ['/fo', 'csv', '/nh'], { timeoutMs: 10_000 });
      if (result.exitCode !== 0) {
        throw new Error(`tasklist failed: ${result.failure ?? (result.stderr.trim() || result.exitCode)}`);
      }
      return parseTasklistCsv(result.stdout);
    },
  };
}

/** The lister for this platform: /proc on Linux, tasklist on Windows, ps elsewhere. */
export function createProcessLister(
  runner: ProcessRunner,
  platform: string = process.platform,
  procRoot = '/proc',
): ProcessLister {
  if (platform === 'win32') return createTasklistProcessLister(runner);
  if (platform === 'linux') {
    try {
      readFileSync(`${procRoot}/self/stat`);
      return createProcProcessLister(procRoot);
    } catch {
      // /proc not mounted (a container, a chroot): ps still works
    }
  }
  return createPsProcessLister(runner, platform);
}
