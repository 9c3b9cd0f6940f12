import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
import type { CgroupV1Controllers } from './detect-limit-mechanism';
import {
  assertSafeJobId,
  baseRlimits,
  describeRequest,
  MiB,
  type LimitRequest,
  type PreparedLimits,
} from './types';

const CFS_PERIOD_US = 100_000;

/**
 * Makes `<controller>/nocturne/<jobId>` in each v1 hierarchy present (memory, pids, cpu, freezer) and sets
 * the limits. A cgroup left by a crashed earlier run of the same job is emptied and made afresh, so its
 * peak and OOM counters start at zero.
 */
export async function prepareCgroupV1(
  controllers: CgroupV1Controllers,
  request: LimitRequest,
): Promise<PreparedLimits> {
  assertSafeJobId(request.jobId);
  const dirs: { controller: 'memory' | 'pids' | 'cpu' | 'freezer'; dir: string }[] = [];
  for (const controller of ['memory', 'pids', 'cpu', 'freezer'] as const) {
    const parent = controllers[controller];
    if (parent) dirs.push({ controller, dir: join(parent, request.jobId) });
  }
  const stale = dirs.map((d) => d.dir).filter((d) => existsSync(d));
  if (stale.length > 0) await killAndRemove(stale);

  const made: string[] = [];
  try {
    for (const { dir } of dirs) {
      mkdirSync(dir);
      made.push(dir);
    }
    const dirOf = (c: string) => dirs.find((d) => d.controller === c)?.dir ?? null;
    const memoryDir = dirOf('memory');
    const pidsDir = dirOf('pids');
    const cpuDir = dirOf('cpu');
    const freezerDir = dirOf('freezer');

    if (memoryDir) {
      const bytes = request.memoryMiB * MiB;
      writeControl(memoryDir, 'memory.limit_in_bytes', bytes);
      // memory + swap: equal to memory means no swap at all (absent when the kernel has swapaccount=0).
      tryWriteControl(memoryDir, 'memory.memsw.limit_in_bytes', bytes);
    }
    if (pidsDir) writeControl(pidsDir, 'pids.max', request.maxProcesses);
    if (cpuDir) {
      writeControl(cpuDir, 'cpu.cfs_period_us', CFS_PERIOD_US);
      writeControl(cpuDir, 'cpu.cfs_quota_us', Math.max(1_000, Math.round(request.cpus * CFS_PERIOD_US)));
    }

    const held = { memory: memoryDir !== null, cpu: cpuDir !== null, pids: pidsDir !== null };
    let released = false;

    return {
      mechanism: 'cgroup-v1',
      ...held,
      freezer: freezerDir !== null,
      summary: `cgroup v1: ${describeRequest(request, held)}`,
      joinFiles: dirs.map((d) => join(d.dir, 'cgroup.procs')),
      rlimits: baseRlimits(request),
      async attach(pid) {
        for (const { controller, dir } of dirs) {
          if (processInCgroup(pid, controller, `/${basename(dirname(dir))}/${request.jobId}`)) continue;
          writeControl(dir, 'cgroup.procs', pid);
        }
      },
      async memoryPeakBytes() {
        return memoryDir ? readNumber(memoryDir, 'memory.max_usage_in_bytes') : null;
      },
      async oomKilled() {
        if (!memoryDir) return false;
        const kills = readKeyed(memoryDir, 'memory.oom_control', 'oom_kill');
        return (kills ?? 0) > 0;
      },
      async pidsLimitHit() {
        return pidsDir ? (readKeyed(pidsDir, 'pids.events', 'max') ?? 0) > 0 : false;
      },
      freeze(timeoutMs = 2_000) {
        if (!freezerDir || released) return Promise.resolve(false);
        writeControl(freezerDir, 'freezer.state', 'FROZEN');
        return (async () => {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            if (readControl(freezerDir, 'freezer.state')?.trim() === 'FROZEN') return true;
            if (Date.now() >= deadline) return false;
            await sleep(2);
          }
        })();
      },
      async thaw() {
        if (freezerDir && !released) tryWriteControl(freezerDir, 'freezer.state', 'THAWED');
      },
      async members() {
        const first = dirs[0];
        return first ? readPids(first.dir) : [];
      },
      async release() {
        if (released) return;
        // A frozen task cannot die until thawed.
        if (freezerDir) tryWriteControl(freezerDir, 'freezer.state', 'THAWED');
        await killAndRemove(dirs.map((d) => d.dir));
        released = true;
      },
    };
  } catch (error) {
    await killAndRemove(made).catch(() => undefined);
    throw new Error(`Could not set up the job's cgroups (v1): ${(error as Error).message}`, { cause: error });
  }
}
