import { processGroupMembers, readProcStat } from '../signals/proc-stat';

/**
 * What the hand-back needs from whatever runs rental jobs. The job runner (a later issue) implements it;
 * `createProcessGroupFreezer` below is the process-level mechanism it can build on.
 */
export interface JobControl {
  /** Stop every job's use of the machine now. Must start acting before it awaits anything. */
  freezeAll(reason: string): Promise<void>;
  /** Let frozen jobs run again. */
  thawAll(): Promise<void>;
  /** How many jobs are running (not frozen). */
  running(): number;
}

export interface ProcessGroupFreezer extends JobControl {
  /** Adds a job's process group (the pid of a child spawned with `detached: true`). */
  register(pgid: number): void;
  unregister(pgid: number): void;
  groups(): number[];
  /** Linux: whether every live process of the group is stopped (state 'T' in /proc/<pid>/stat). */
  isFrozen(pgid: number): boolean;
  /** Linux: whether no live process of the group is stopped. */
  isRunning(pgid: number): boolean;
  /** Linux: polls /proc until `isFrozen` holds for every group, or `timeoutMs` passes. */
  confirmFrozen(timeoutMs?: number): Promise<boolean>;
}

/** A zombie or a dead task has no more work to stop: it counts as neither running nor in the way. */
const gone = (state: string) => state === 'Z' || state === 'X' || state === 'x';

/**
 * Freezes registered process groups with SIGSTOP and thaws them with SIGCONT, sent to `-pgid` so every
 * process of the group stops at once, sandbox (bwrap) included. The signals are sent synchronously:
 * `freezeAll` has done its work before its promise is even returned.
 *
 * Limits, for the job runner to weigh:
 * - A process that leaves its group (setsid, setpgid; bwrap's `--new-session`) escapes the signal. A
 *   cgroup freezer (v2 `cgroup.freeze`, v1 `freezer.state`) has no such hole where one is available.
 * - SIGSTOP stops the CPU side at once; GPU work already queued runs to completion (one kernel, usually
 *   milliseconds), and the job's VRAM stays allocated while it is frozen.
 * - POSIX only: Windows has no SIGSTOP (it needs NtSuspendProcess or a job object).
 */
export function createProcessGroupFreezer(
  options: {
    kill?: (pid: number, signal: NodeJS.Signals) => void;
    procRoot?: string;
    onError?: (message: string) => void;
  } = {},
): ProcessGroupFreezer {
  const kill = options.kill ?? ((pid, signal) => process.kill(pid, signal));
  const procRoot = options.procRoot ?? '/proc';
  /** pgid -> whether we froze it. */
  const groups = new Map<number, boolean>();

  const signalAll = (signal: NodeJS.Signals, frozen: boolean) => {
    for (const pgid of [...groups.keys()]) {
      try {
        kill(-pgid, signal);
        groups.set(pgid, frozen);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ESRCH')
          groups.delete(pgid); // the job has ended
        else
          options.onError?.(`Could not send ${signal} to process group ${pgid}: ${(error as Error).message}`);
      }
    }
  };

  const members = (pgid: number) => processGroupMembers(pgid, procRoot).filter((m) => !gone(m.state));

  const isFrozen = (pgid: number) => {
    const live = members(pgid);
    return live.every((m) => m.state === 'T');
  };

  return {
    register(pgid) {
      groups.set(pgid, false);
    },
    unregister(pgid) {
      groups.delete(pgid);
    },
    groups: () => [...groups.keys()],
    freezeAll(_reason) {
      signalAll('SIGSTOP', true);
      return Promise.resolve();
    },
    thawAll() {
      signalAll('SIGCONT', false);
      return Promise.resolve();
    },
    running: () => [...groups.values()].filter((frozen) => !frozen).length,
    isFrozen,
    isRunning: (pgid) => members(pgid).every((m) => m.state !== 'T'),
    async confirmFrozen(timeoutMs = 1_000) {
      const deadline = Date.now() + timeoutMs;
      // Find the members once (a full /proc scan), then re-read only their stat files.
      const pids = [...groups.keys()].flatMap((pgid) => members(pgid).map((m) => m.pid));
      for (;;) {
        const pending = pids.filter((pid) => {
          const stat = readProcStat(pid, procRoot);
          return stat !== null && !gone(stat.state) && stat.state !== 'T';
        });
        if (pending.length === 0) return true;
        if (Date.now() >= deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    },
  };
}
