import { readdirSync, statSync } from 'node:fs';
import {
  assertSafeJobId,
  baseRlimits,
  describeRequest,
  type LimitRequest,
  type PreparedLimits,
} from './types';

/**
 * Tasks (processes and threads) that belong to `uid`, which is what RLIMIT_NPROC counts. One scan of
 * /proc; a few milliseconds on a desktop.
 */
export function countTasksOfUser(uid: number, procRoot = '/proc'): number {
  let count = 0;
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return 0;
  }
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    try {
      if (statSync(`${procRoot}/${name}`).uid !== uid) continue;
      count += readdirSync(`${procRoot}/${name}/task`).length;
    } catch {
      // gone while we looked
    }
  }
  return count;
}

/**
 * Where no cgroup can be made: only what setrlimit can do, set by the launcher on itself before it execs
 * the sandbox, so the whole tree inherits it.
 * - Memory: not held. RLIMIT_AS (address space) breaks Node, Java, Go and CUDA, which reserve far more
 *   than they use; RLIMIT_DATA likewise. The runner should watch RSS and stop the job instead.
 * - CPU: no rate limit; RLIMIT_CPU is a per-process CPU-time backstop (maxSeconds x cpus).
 * - Processes: RLIMIT_NPROC counts every task of the host user, not of the job, so it is set to the
 *   user's current count plus the job's allowance. It is not enforced for root (measured here: a job of
 *   a root-run Nocturne started 45 processes under a limit of 20), so as root `pids` is false.
 * - File size: RLIMIT_FSIZE = diskMiB (the workspace total is polled by the runner).
 */
export function prepareRlimits(
  request: LimitRequest,
  options: { uid?: number; procRoot?: string; reason?: string } = {},
): PreparedLimits {
  assertSafeJobId(request.jobId);
  const uid = options.uid ?? process.getuid?.() ?? -1;
  const enforcePids = uid > 0;
  const rlimits = baseRlimits(request);
  if (enforcePids) rlimits.nproc = countTasksOfUser(uid, options.procRoot) + request.maxProcesses;
  const held = { memory: false, cpu: false, pids: enforcePids };
  return {
    mechanism: 'rlimits',
    ...held,
    freezer: false,
    summary: `rlimits${options.reason ? ` (${options.reason})` : ''}: ${describeRequest(request, held)}`,
    joinFiles: [],
    rlimits,
    attach: async () => undefined,
    memoryPeakBytes: async () => null,
    oomKilled: async () => false,
    pidsLimitHit: async () => false,
    freeze: async () => false,
    thaw: async () => undefined,
    members: async () => [],
    release: async () => undefined,
  };
}
