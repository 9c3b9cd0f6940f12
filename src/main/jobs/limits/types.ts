/** How a job's memory, CPU and process count are held to what it was given. */
export type LimitMechanism = 'cgroup-v2' | 'cgroup-v1' | 'rlimits';

/**
 * The limits in force for one job's process tree. Read the facts (`oomKilled`, `memoryPeakBytes`,
 * `pidsLimitHit`) after the job has exited and before `release()`: release removes the cgroup that holds
 * them.
 */
export interface AppliedLimits {
  mechanism: LimitMechanism;
  /** Whether each limit is enforced by the kernel (false: only asked for, not held). */
  memory: boolean;
  cpu: boolean;
  pids: boolean;
  /** Whether `freeze()` can stop every process of the job, including ones that left its process group. */
  freezer: boolean;
  /** One line for logs and the UI: what holds this job, e.g. "cgroup v1: memory 64 MiB, 2 CPUs, 64 tasks". */
  summary: string;
  /**
   * Puts the process `pid` (and so everything it starts afterwards) under the limits. The sandbox
   * launcher already joins the cgroups before it execs bwrap, so for a sandbox plan this only verifies
   * (and repairs, if the process was started some other way). Call it right after spawn. Idempotent.
   */
  attach(pid: number): Promise<void>;
  /** The most memory the job's processes held at once, in bytes; null where the mechanism cannot tell. */
  memoryPeakBytes(): Promise<number | null>;
  /** Whether the kernel killed a process of the job for going over its memory limit. */
  oomKilled(): Promise<boolean>;
  /** Whether the job tried to start more processes or threads than its limit allows. */
  pidsLimitHit(): Promise<boolean>;
  /**
   * Stops every process of the job with the cgroup freezer (v1 `freezer.state`, v2 `cgroup.freeze`).
   * The write is made before this returns its promise; the promise resolves true once the kernel reports
   * the group frozen (false on timeout or where there is no freezer).
   */
  freeze(timeoutMs?: number): Promise<boolean>;
  thaw(): Promise<void>;
  /** The pids (host view) in the job's cgroup; empty where the mechanism has no cgroup. */
  members(): Promise<number[]>;
  /**
   * Kills whatever is left in the job's cgroup (thawing it first) and removes the cgroup. Idempotent.
   * With rlimits there is nothing to remove.
   */
  release(): Promise<void>;
}

/** What a job asks for, in the units the limits use. */
export interface LimitRequest {
  /** Becomes part of cgroup paths: letters, digits, '.', '_' and '-' only. */
  jobId: string;
  memoryMiB: number;
  cpus: number;
  /** Processes and threads together (the kernel counts tasks). */
  maxProcesses: number;
  /** The largest single file the job may write (RLIMIT_FSIZE); the workspace total is polled. */
  diskMiB: number;
  /** Wall-clock limit; a per-process CPU-time backstop of maxSeconds x cpus is derived from it. */
  maxSeconds: number;
}

/** Resource limits the launcher sets on itself before exec (inherited by the whole sandbox). */
export interface RlimitValues {
  /** RLIMIT_FSIZE, bytes. */
  fsizeBytes: number;
  /** RLIMIT_CPU soft limit (SIGXCPU), seconds; the hard limit (SIGKILL) is 10 s later. */
  cpuSeconds: number;
  /** RLIMIT_NPROC, or null when not used (as root it is not enforced, and cgroups do it better). */
  nproc: number | null;
}

/** AppliedLimits plus what the sandbox launcher needs to put the job under them before it starts. */
export interface PreparedLimits extends AppliedLimits {
  /** `cgroup.procs` files the launcher writes its own pid into before it execs the sandbox. */
  joinFiles: string[];
  rlimits: RlimitValues;
}

const JOB_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Job ids become directory names; anything else is refused before a path is built from it. */
export function assertSafeJobId(jobId: string): void {
  if (!JOB_ID.test(jobId) || jobId === '.' || jobId === '..')
    throw new Error(
      `Job id ${JSON.stringify(jobId)} cannot name a sandbox: use letters, digits, '.', '_', '-'`,
    );
}

export const MiB = 1024 * 1024;

/** The per-process CPU-time backstop for a job: every core it was given, for its whole wall-clock time. */
export function cpuSecondsBudget(maxSeconds: number, cpus: number): number {
  return Math.ceil(maxSeconds * Math.max(1, cpus)) + 10;
}

export function baseRlimits(request: LimitRequest): RlimitValues {
  return {
    fsizeBytes: request.diskMiB * MiB,
    cpuSeconds: cpuSecondsBudget(request.maxSeconds, request.cpus),
    nproc: null,
  };
}

export function describeRequest(
  request: LimitRequest,
  held: { memory: boolean; cpu: boolean; pids: boolean },
) {
  const parts = [
    `memory ${request.memoryMiB} MiB${held.memory ? '' : ' (not enforced)'}`,
    `${request.cpus} CPU${request.cpus === 1 ? '' : 's'}${held.cpu ? '' : ' (not enforced)'}`,
    `${request.maxProcesses} tasks${held.pids ? '' : ' (not enforced)'}`,
    `files up to ${request.diskMiB} MiB`,
  ];
  return parts.join(', ');
}
