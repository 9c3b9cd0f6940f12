import { readdirSync, readFileSync } from 'node:fs';

/** The fields of Linux `/proc/<pid>/stat` that Nocturne reads. */
export interface ProcStat {
  pid: number;
  /** The kernel's short name: the executable's base name, cut to 15 characters. */
  comm: string;
  /** R running, S sleeping, D disk wait, T stopped (SIGSTOP), t traced, Z zombie, X dead, I idle. */
  state: string;
  ppid: number;
  pgrp: number;
  /** Clock ticks after boot when the process started: with the pid, it tells a recycled pid apart. */
  startTime: number | null;
}

/**
 * Parses one `/proc/<pid>/stat` line. The name sits in parentheses and may itself hold spaces and
 * parentheses ("(Web Content)", "(a) b)"), so the fields are counted from the last ')'.
 */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text
    .slice(close + 2)
    .trim()
    .split(' ');
  const pid = Number(text.slice(0, open).trim());
  const ppid = Number(rest[1]);
  const pgrp = Number(rest[2]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || !Number.isInteger(pgrp) || !rest[0]) return null;
  // Field 22 of the line is starttime; `rest` starts at field 3 (state).
  const startTime = Number(rest[19]);
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: rest[0],
    ppid,
    pgrp,
    startTime: Number.isInteger(startTime) ? startTime : null,
  };
}

/** The stat of one process, or null when it has gone (or /proc does not exist). */
export function readProcStat(pid: number, procRoot = '/proc'): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`${procRoot}/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Every numeric entry of /proc: the pids alive right now (threads are not listed at the top level). */
export function listPids(procRoot = '/proc'): number[] {
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.push(Number(name));
  }
  return pids;
}

/** The processes whose process group is `pgid`, found by one scan of /proc. */
export function processGroupMembers(pgid: number, procRoot = '/proc'): ProcStat[] {
  const members: ProcStat[] = [];
  for (const pid of listPids(procRoot)) {
    const stat = readProcStat(pid, procRoot);
    if (stat && stat.pgrp === pgid) members.push(stat);
  }
  return members;
}
