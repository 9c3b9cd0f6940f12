import { readdirSync, readFileSync } from 'node:fs';

/**
 * A process and its descendants as Linux's /proc shows them: resident memory (VmRSS) and CPU time
 * (utime + stime) summed over the tree. For bench:footprint; Linux only.
 */
export interface TreeSample {
  pids: number[];
  rssBytes: number;
  cpuTicks: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture

function stat(pid: number): { ppid: number; ticks: number; childTicks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12]),
      // Children that ended and were waited for (a short nvidia-smi query, say).
      childTicks: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return null;
  }
}

function rss(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function sampleTree(root: number): TreeSample {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  let waited = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (!s) continue;
    parent.set(Number(name), s.ppid);
    ticks.set(Number(name), s.ticks);
    if (Number(name) === root) waited = s.childTicks;
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; hops++) {
      if (p === root) return true;
      p = parent.get(p);
    }
    return false;
  };
  const pids = [...parent.keys()].filter(inTree);
  return {
    pids,
    rssBytes: pids.reduce((sum, pid) => sum + rss(pid), 0),
    cpuTicks: waited + pids.reduce((sum, pid) => sum + (ticks.get(pid) ?? 0), 0),
  };
}

export const ticksToSeconds = (ticks: number) => ticks / TICKS_PER_SECOND;
