import { listPids, readProcStat } from '../../availability/signals/proc-stat';

/**
 * The processes of a bubblewrap sandbox, from the launcher's pid (the pid the runner spawned, which
 * becomes bwrap after its execs): `bwrap` is bwrap itself and its init (pid 1 inside); `job` is every
 * process below them. One scan of /proc.
 */
export function sandboxTree(launcherPid: number, procRoot = '/proc'): { bwrap: number[]; job: number[] } {
  const children = new Map<number, number[]>();
  for (const pid of listPids(procRoot)) {
    const stat = readProcStat(pid, procRoot);
    if (!stat) continue;
    const list = children.get(stat.ppid);
    if (list) list.push(pid);
    else children.set(stat.ppid, [pid]);
  }
  const init = children.get(launcherPid) ?? [];
  const job: number[] = [];
  const pending = init.flatMap((p) => children.get(p) ?? []);
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    job.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return { bwrap: [launcherPid, ...init], job };
}

/**
 * Sends `signal` to the job's processes but not to bwrap. Use it for SIGTERM: bwrap dies of a SIGTERM
 * sent to the whole process group and, with --die-with-parent, SIGKILLs the job at once, so a group-wide
 * SIGTERM leaves the job no time to clean up (measured: its TERM trap never ran). Once the job's command
 * exits, bwrap exits with its status. SIGSTOP, SIGCONT and SIGKILL are fine to send to the whole group.
 * Returns how many processes were signalled.
 */
export function signalSandboxedJob(launcherPid: number, signal: NodeJS.Signals, procRoot = '/proc'): number {
  let sent = 0;
  for (const pid of sandboxTree(launcherPid, procRoot).job) {
    try {
      process.kill(pid, signal);
      sent++;
    } catch {
      // gone
    }
  }
  return sent;
}
