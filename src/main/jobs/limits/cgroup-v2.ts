import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  killAndRemove,
  processInCgroup,
  readControl,
  readKeyed,
  readNumber,
  readPids,
  sleep,
  tryWriteControl,
  writeControl,
} from './cgroup-files';
import { V2_APP_LEAF } from './detect-limit-mechanism';
import {
  assertSafeJobId,
  baseRlimits,
  describeRequest,
  MiB,
  type LimitRequest,
  type PreparedLimits,
} from './types';

const CPU_PERIOD_US = 100_000;

/**
 * cgroup v2 forbids a cgroup both holding processes and handing domain controllers (memory, pids) to
 * children ("no internal processes"). Our own cgroup holds Nocturne itself, so before the first job its
 * processes move into a `nocturne-app` leaf and the controllers are switched on for the cgroup above,
 * under which each job gets `nocturne-job-<id>`. Nothing to do where that was done already or where the
 * base is the root cgroup (which is exempt).
 */
export function ensureV2Base(root: string, base: string, want: string[]): void {
  const enabled = (readControl(base, 'cgroup.subtree_control') ?? '').trim().split(/\s+/);
  const missing = want.filter((c) => !enabled.includes(c));
  if (missing.length === 0) return;
  if (relative(root, base) !== '') {
    const leaf = join(base, V2_APP_LEAF);
    mkdirSync(leaf, { recursive: true });
    for (let round = 0; round < 5; round++) {
      const pids = readPids(base);
      if (pids.length === 0) break;
      for (const pid of pids) tryWriteControl(leaf, 'cgroup.procs', pid);
    }
  }
  writeControl(base, 'cgroup.subtree_control', missing.map((c) => `+${c}`).join(' '));
}

export async function prepareCgroupV2(
  info: { root: string; base: string; controllers: string[] },
  request: LimitRequest,
): Promise<PreparedLimits> {
  assertSafeJobId(request.jobId);
  const want = ['memory', 'pids', 'cpu'].filter((c) => info.controllers.includes(c));
  try {
    ensureV2Base(info.root, info.base, want);
  } catch (error) {
    throw new Error(
      `Could not hand cgroup controllers to job cgroups under ${info.base}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const dir = join(info.base, `nocturne-job-${request.jobId}`);
  if (existsSync(dir)) {
    tryWriteControl(dir, 'cgroup.freeze', 0);
    tryWriteControl(dir, 'cgroup.kill', 1);
    await killAndRemove([dir]);
  }
  try {
    mkdirSync(dir);
  } catch (error) {
    throw new Error(`Could not make the job's cgroup ${dir}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const memory = want.includes('memory');
    const pids = want.includes('pids');
    const cpu = want.includes('cpu');
    if (memory) {
      writeControl(dir, 'memory.max', request.memoryMiB * MiB);
      tryWriteControl(dir, 'memory.swap.max', 0);
      // One OOM kill takes the whole job, not a random worker that leaves the rest confused.
      tryWriteControl(dir, 'memory.oom.group', 1);
    }
    if (pids) writeControl(dir, 'pids.max', request.maxProcesses);
    if (cpu)
      writeControl(
        dir,
        'cpu.max',
        `${Math.max(1_000, Math.round(request.cpus * CPU_PERIOD_US))} ${CPU_PERIOD_US}`,
      );

    const held = { memory, cpu, pids };
    const relPath = '/' + relative(info.root, dir);
    let released = false;
    const isFrozen = () => readKeyed(dir, 'cgroup.events', 'frozen') === 1;

    return {
      mechanism: 'cgroup-v2',
      ...held,
      freezer: true,
      summary: `cgroup v2: ${describeRequest(request, held)}`,
      joinFiles: [join(dir, 'cgroup.procs')],
      rlimits: baseRlimits(request),
      async attach(pid) {
        if (!processInCgroup(pid, null, relPath)) writeControl(dir, 'cgroup.procs', pid);
      },
      async memoryPeakBytes() {
        return memory ? readNumber(dir, 'memory.peak') : null; // memory.peak: Linux 5.19+
      },
      async oomKilled() {
        return memory ? (readKeyed(dir, 'memory.events', 'oom_kill') ?? 0) > 0 : false;
      },
      async pidsLimitHit() {
        return pids ? (readKeyed(dir, 'pids.events', 'max') ?? 0) > 0 : false;
      },
      freeze(timeoutMs = 2_000) {
        if (released) return Promise.resolve(false);
        writeControl(dir, 'cgroup.freeze', 1);
        return (async () => {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            if (isFrozen()) return true;
            if (Date.now() >= deadline) return false;
            await sleep(2);
          }
        })();
      },
      async thaw() {
        if (!released) tryWriteControl(dir, 'cgroup.freeze', 0);
      },
      async members() {
        return readPids(dir);
      },
      async release() {
        if (released) return;
        tryWriteControl(dir, 'cgroup.freeze', 0);
        tryWriteControl(dir, 'cgroup.kill', 1); // Linux 5.14+; killAndRemove covers older kernels
        await killAndRemove([dir]);
        released = true;
      },
    };
  } catch (error) {
    await killAndRemove([dir]).catch(() => undefined);
    throw new Error(`Could not set up the job's cgroup (v2): ${(error as Error).message}`, { cause: error });
  }
}
