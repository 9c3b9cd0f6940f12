// Runs real sandbox plans the way the job runner does, minus node-pty: the launcher is spawned detached
// (its own process group), the limits attached at once, the workspace polled, and the facts gathered.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobSpecSchema, type JobSpec } from '../../../src/shared/schemas/job';
import { createProcessRunner } from '../../../src/main/os/process-runner';
import { detectLimitMechanism } from '../../../src/main/jobs/limits/detect-limit-mechanism';
import { watchDiskUsage } from '../../../src/main/jobs/limits/directory-size';
import { MiB } from '../../../src/main/jobs/limits/types';
import { createBubblewrapBackend } from '../../../src/main/jobs/sandbox/bubblewrap';
import { explainExit } from '../../../src/main/jobs/sandbox/explain-exit';
import type { SandboxPlan } from '../../../src/main/jobs/sandbox/sandbox-backend';

export const MAX_PROCESSES = 64;

export const backend = createBubblewrapBackend({
  runner: createProcessRunner(),
  maxProcesses: MAX_PROCESSES,
});

/** Whether real bwrap plans can run here, and why not. Probed once per test file. */
export const bwrapProbe = await backend.available();

const mechanism = await detectLimitMechanism();
const cgroups = mechanism.mechanism !== 'rlimits';
const nonRoot = (process.getuid?.() ?? 0) > 0;
/** Which limits this machine can hold, and the skip note where it cannot. */
export const limitsHere = {
  mechanism,
  memory: cgroups,
  memoryNote: cgroups ? '' : ` (skipped: no memory limit without cgroups: ${mechanism.reason})`,
  pids: cgroups || nonRoot,
  pidsNote:
    cgroups || nonRoot ? '' : ` (skipped: no process limit for root without cgroups: ${mechanism.reason})`,
  freezer: cgroups,
  freezerNote: cgroups ? '' : ` (skipped: no cgroup freezer: ${mechanism.reason})`,
};

export function makeSpec(
  command: string[],
  options: Partial<JobSpec['resources']> & {
    network?: JobSpec['network'];
    env?: Record<string, string>;
  } = {},
): JobSpec {
  return JobSpecSchema.parse({
    version: 1,
    name: 'escape test',
    bundle: { path: 'bundle.tar.gz', sha256: '0'.repeat(64) },
    command,
    env: options.env ?? {},
    resources: {
      gpus: 0,
      memoryMiB: options.memoryMiB ?? 256,
      cpus: options.cpus ?? 1,
      diskMiB: options.diskMiB ?? 64,
      maxSeconds: options.maxSeconds ?? 20,
    },
    network: options.network ?? 'none',
  });
}

const made: string[] = [];
const plans: SandboxPlan[] = [];
let counter = 0;

export function tempDir(prefix = 'nocturne-sbx-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function jobId(name: string): string {
  return `t-${name}-${process.pid}-${++counter}`;
}

/** For afterEach: every plan cleaned up (cgroups removed), every temp folder removed. */
export async function cleanupAll(): Promise<void> {
  for (const plan of plans.splice(0)) await plan.cleanup();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function planJob(spec: JobSpec, workspace: string, id = jobId('job')): Promise<SandboxPlan> {
  const plan = await backend.plan({ id, spec, workspace, gpuDevices: [] });
  plans.push(plan);
  return plan;
}

export interface RunOutcome {
  pid: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  diskExceeded: boolean;
  oomKilled: boolean;
  pidsLimitHit: boolean;
  memoryPeakBytes: number | null;
  /** Processes still in the job's cgroup 2 s after exit at most (must be none). */
  leftInCgroup: number[];
  reason: string;
  ms: number;
}

export async function runPlan(
  plan: SandboxPlan,
  spec: JobSpec,
  options: {
    workspace: string;
    timeoutMs?: number;
    diskPollMs?: number;
    /** Runs while the job runs; the job is killed when it resolves if `killAfter` is set. */
    during?: (pid: number) => Promise<void>;
    killAfterDuring?: boolean;
  },
): Promise<RunOutcome> {
  const started = performance.now();
  const child = spawn(plan.command, plan.args, {
    env: plan.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid as number;
  await plan.limits.attach(pid);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(-65_536)));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-65_536)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const killGroup = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  };
  let timedOut = false;
  let diskExceeded = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      killGroup();
    },
    options.timeoutMs ?? spec.resources.maxSeconds * 1000,
  );
  const disk = watchDiskUsage(options.workspace, spec.resources.diskMiB * MiB, {
    intervalMs: options.diskPollMs ?? 2_000,
    onExceeded: () => {
      diskExceeded = true;
      killGroup();
    },
  });
  if (options.during) {
    await options.during(pid);
    if (options.killAfterDuring) {
      timedOut = true;
      killGroup();
    }
  }
  const { code, signal } = await exited;
  clearTimeout(timer);
  disk.stop();
  await disk.check(); // a burst between two polls still counts
  diskExceeded ||= disk.exceeded();
  const facts = {
    oomKilled: await plan.limits.oomKilled(),
    pidsLimitHit: await plan.limits.pidsLimitHit(),
    memoryPeakBytes: await plan.limits.memoryPeakBytes(),
  };
  const reason = explainExit({
    exitCode: code,
    signal,
    oomKilled: facts.oomKilled,
    diskExceeded,
    timedOut,
    pidsLimitHit: facts.pidsLimitHit,
    limits: {
      memoryMiB: spec.resources.memoryMiB,
      diskMiB: spec.resources.diskMiB,
      maxProcesses: MAX_PROCESSES,
      maxSeconds: spec.resources.maxSeconds,
    },
  });
  return {
    pid,
    exitCode: code,
    signal,
    stdout,
    stderr,
    timedOut,
    diskExceeded,
    ...facts,
    leftInCgroup: await settledMembers(plan),
    reason,
    ms: performance.now() - started,
  };
}

/**
 * The job's cgroup members once the kernel has finished tearing the pid namespace down: bwrap's exit is
 * seen a few milliseconds before the last processes of a big tree (a fork bomb) are gone.
 */
async function settledMembers(plan: SandboxPlan): Promise<number[]> {
  const until = Date.now() + 2_000;
  for (;;) {
    const members = await plan.limits.members();
    if (members.length === 0 || Date.now() > until) return members;
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
