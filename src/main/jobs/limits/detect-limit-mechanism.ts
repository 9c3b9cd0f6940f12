import { accessSync, constants, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface CgroupV1Controllers {
  /** Directory under which job cgroups are made for each controller, e.g. /sys/fs/cgroup/memory/nocturne. */
  memory: string | null;
  pids: string | null;
  cpu: string | null;
  freezer: string | null;
}

export type LimitMechanismInfo =
  | {
      mechanism: 'cgroup-v2';
      reason: string;
      root: string;
      /** Our own cgroup (or its parent, once our processes were moved into its nocturne-app leaf). */
      base: string;
      /** Controllers the base may hand to children (from its cgroup.controllers). */
      controllers: string[];
    }
  | { mechanism: 'cgroup-v1'; reason: string; root: string; controllers: CgroupV1Controllers }
  | { mechanism: 'rlimits'; reason: string };

export interface DetectLimitOptions {
  /** Where cgroupfs is mounted; /sys/fs/cgroup. */
  cgroupRoot?: string;
  /** This process's cgroup membership; /proc/self/cgroup. */
  procSelfCgroup?: string;
  /** The v1 parent made under each controller; "nocturne". */
  v1Parent?: string;
}

/** The leaf our own processes move into on cgroup v2, so the cgroup above may hand controllers down. */
export const V2_APP_LEAF = 'nocturne-app';

const writable = (path: string) => {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Finds how job limits can be held on this machine, in order of preference:
 * 1. cgroup v2 (`<root>/cgroup.controllers` exists: the unified hierarchy) when our own cgroup is writable
 *    and is handed the memory and pids controllers (a systemd user session's app scope is; a login
 *    shell's session scope is not).
 * 2. cgroup v1 (memory, pids, cpu, freezer hierarchies under <root>/<controller>) when we may make
 *    `<controller>/nocturne` (as root).
 * 3. rlimits: per-process resource limits set by the launcher (no memory limit: RLIMIT_AS breaks Node
 *    and most JITs).
 * Never throws; the reason says what was found.
 */
export function detectLimitMechanism(options: DetectLimitOptions = {}): Promise<LimitMechanismInfo> {
  return Promise.resolve(detectLimitMechanismSync(options));
}

export function detectLimitMechanismSync(options: DetectLimitOptions = {}): LimitMechanismInfo {
  const root = options.cgroupRoot ?? '/sys/fs/cgroup';
  const procSelf = options.procSelfCgroup ?? '/proc/self/cgroup';
  const v1Parent = options.v1Parent ?? 'nocturne';
  if (process.platform !== 'linux' && options.cgroupRoot === undefined)
    return { mechanism: 'rlimits', reason: `cgroups are Linux only (this is ${process.platform})` };

  if (existsSync(join(root, 'cgroup.controllers'))) {
    let own: string | null;
    try {
      const line = readFileSync(procSelf, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('0::'));
      own = line ? line.slice(3).trim() : null;
    } catch {
      own = null;
    }
    if (own === null)
      return { mechanism: 'rlimits', reason: `cgroup v2, but ${procSelf} does not name our cgroup` };
    let base = join(root, own);
    if (basename(base) === V2_APP_LEAF) base = dirname(base);
    const controllers = (readFileSyncSafe(join(base, 'cgroup.controllers')) ?? '').trim().split(/\s+/);
    const missing = ['memory', 'pids'].filter((c) => !controllers.includes(c));
    if (!writable(join(base, 'cgroup.procs')) || !writable(join(base, 'cgroup.subtree_control')))
      return {
        mechanism: 'rlimits',
        reason:
          `cgroup v2, but our cgroup ${base} is not writable by us (start Nocturne from the desktop, ` +
          `or with systemd-run --user --scope -p Delegate=yes, to get a delegated one)`,
      };
    if (missing.length > 0)
      return {
        mechanism: 'rlimits',
        reason: `cgroup v2, but our cgroup ${base} is not handed the ${missing.join(' and ')} controller`,
      };
    return {
      mechanism: 'cgroup-v2',
      reason: `cgroup v2: job cgroups under ${base}`,
      root,
      base,
      controllers: controllers.filter(Boolean),
    };
  }

  /** The hierarchy's nocturne parent, made if need be, when it is a cgroup of that controller we may write. */
  const v1 = (controller: string, marker: string): string | null => {
    const dir = join(root, controller);
    if (!existsSync(join(dir, 'cgroup.procs'))) return null;
    const parent = join(dir, v1Parent);
    try {
      mkdirSync(parent, { recursive: true });
    } catch {
      return null;
    }
    // The root cgroup lacks most control files (pids.max, freezer.state): look in the child.
    return existsSync(join(parent, marker)) && writable(join(parent, 'cgroup.procs')) ? parent : null;
  };
  const controllers: CgroupV1Controllers = {
    memory: v1('memory', 'memory.limit_in_bytes'),
    pids: v1('pids', 'pids.max'),
    cpu: v1('cpu', 'cpu.cfs_quota_us'),
    freezer: v1('freezer', 'freezer.state'),
  };
  if (controllers.memory || controllers.pids) {
    const have = Object.entries(controllers)
      .filter(([, dir]) => dir)
      .map(([name]) => name);
    return {
      mechanism: 'cgroup-v1',
      reason: `cgroup v1: ${have.join(', ')} under ${join(root, '<controller>', v1Parent)}`,
      root,
      controllers,
    };
  }
  const v1Exists = existsSync(join(root, 'memory', 'memory.limit_in_bytes'));
  return {
    mechanism: 'rlimits',
    reason: v1Exists
      ? 'cgroup v1, but we may not make cgroups (only root may on v1)'
      : `no cgroup hierarchy found under ${root}`,
  };
}

function readFileSyncSafe(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
