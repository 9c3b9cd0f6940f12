import { randomBytes } from 'node:crypto';
import { constants as osConstants } from 'node:os';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { JobSpec, JobStatus, JobSummary } from '../../shared/schemas/job';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { JobControl, ProcessGroupFreezer } from '../availability/handback/job-control';
import { processGroupMembers, readProcStat } from '../availability/signals/proc-stat';
import { signalSandboxedJob } from './sandbox/signal-job';
import { unpackBundle } from './bundle/unpack-bundle';
import { verifyBundleFile } from './bundle/verify-sha256';
import { createJobLog, createOutputBatcher, type JobLog } from './job-log';
import { summaryOf, type JobRepository } from './job-repository';
import { nextJobState, TERMINAL, type JobEvent } from './job-state';
import { directorySizeBytes } from './limits/directory-size';
import type { PtyProcess, SpawnPty } from './pty';
import { explainExit } from './sandbox/explain-exit';
import type { SandboxBackend, SandboxPlan } from './sandbox/sandbox-backend';

export type PauseHolder = 'availability' | 'payment' | 'owner';

export interface JobRunnerDeps {
  repository: JobRepository;
  jobsDir: string;
  /** The backends this machine has: bubblewrap for host jobs, podman or docker for jobs with an image. */
  sandbox: () => Promise<{
    backend: SandboxBackend | null;
    reason: string;
    imageBackend: SandboxBackend | null;
    imageReason: string;
  }>;
  freezer: ProcessGroupFreezer;
  spawnPty: SpawnPty;
  clock: Clock;
  logger: Logger;
  onChange(job: JobSummary): void;
  onOutput(jobId: string, data: string): void;
  gpuDevices?: () => string[];
  graceMs?: number;
  diskPollMs?: number;
}

interface LiveJob {
  id: string;
  spec: JobSpec;
  pty: PtyProcess | null;
  plan: SandboxPlan | null;
  log: JobLog;
  timers: NodeJS.Timeout[];
  flags: { timedOut: boolean; diskExceeded: boolean; cancelled: string | null };
  /**
   * Who holds the job paused: 'availability' (the owner needs the machine), 'payment' (a renter's vouchers
   * fell behind), 'owner' (paused by hand). It runs again only once nobody holds it, so the owner's game
   * ending does not resume a job its renter stopped paying for, nor the renter's voucher one the owner holds.
   */
  holds: Set<PauseHolder>;
  /** The time limit counts running time only: a job frozen for the owner is not charged for it. */
  clock: { remainingMs: number; since: number; timer: NodeJS.Timeout | null };
  done: Promise<JobSummary>;
  finish: (summary: JobSummary) => void;
}

/** A crash mid-unpack leaves the bundle's temporary folder beside the workspace (see unpack-bundle). */
function removeUnpackLeftovers(workspace: string): void {
  const dir = dirname(workspace);
  const prefix = `.${basename(workspace)}.unpacking-`;
  try {
    for (const name of readdirSync(dir))
      if (name.startsWith(prefix)) rmSync(join(dir, name), { recursive: true, force: true });
  } catch {
    // The job's folder is gone already: nothing left over.
  }
}

/** Polls /proc until every process of the group is stopped (state T) or gone, for up to `timeoutMs`. */
async function confirmStopped(pgid: number, timeoutMs = 2_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (processGroupMembers(pgid).every((p) => p.state === 'T' || p.state === 'Z' || p.state === 'X'))
      return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 1));
  }
}

const signalName = (n: number | undefined) =>
  n ? (Object.entries(osConstants.signals).find(([, v]) => v === n)?.[0] ?? `signal ${n}`) : null;

/**
 * Runs renters' jobs: bundle checked and unpacked, a sandbox planned, the command run under a pty in its
 * own process group, output stored and batched to the UI, limits watched, and everything of the job
 * removed afterwards but its outputs. It is also the JobControl availability freezes and thaws.
 */
export function createJobRunner(deps: JobRunnerDeps) {
  const live = new Map<string, LiveJob>();
  /** Running time of jobs that ended, ms, so a rental can bill it after the job is gone (newest 1000). */
  const endedRunningMs = new Map<string, number>();
  const forget = (job: LiveJob) => {
    endedRunningMs.set(job.id, runningMsOf(job));
    if (endedRunningMs.size > 1000) endedRunningMs.delete(endedRunningMs.keys().next().value!);
    live.delete(job.id);
  };
  const grace = deps.graceMs ?? 5_000;

  const apply = (id: string, event: JobEvent): JobSummary | null => {
    const job = deps.repository.get(id);
    if (!job) return null;
    const next = nextJobState(job.status, event);
    if (!next) return null;
    deps.repository.setStatus(id, next.status, next.reason, deps.clock.now());
    const summary = summaryOf(deps.repository.get(id)!);
    deps.onChange(summary);
    return summary;
  };

  const killGroup = (pid: number, signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };

  /**
   * Stops every process of the job: with the cgroup freezer where there is one (it also holds processes
   * that left the process group), else SIGSTOP to the group. The freeze is requested before this returns;
   * the promise resolves once it is confirmed.
   */
  const freezeJob = (job: LiveJob): Promise<boolean> => {
    const pid = job.pty!.pid;
    stopClock(job);
    if (job.plan?.limits.freezer) return job.plan.limits.freeze(2_000);
    killGroup(pid, 'SIGSTOP');
    return confirmStopped(pid);
  };

  const thawJob = async (job: LiveJob): Promise<void> => {
    if (job.plan?.limits.freezer) await job.plan.limits.thaw();
    killGroup(job.pty!.pid, 'SIGCONT');
    if (!job.clock.timer && !job.flags.timedOut) startClock(job);
  };

  const collectOutputs = (job: LiveJob, workspace: string, outputDir: string) => {
    mkdirSync(outputDir, { recursive: true });
    for (const output of job.spec.outputs) {
      const from = resolve(workspace, output);
      if (!from.startsWith(workspace + sep) || !existsSync(from)) continue;
      // Never follow a link the job left: it could point anywhere on the host.
      if (lstatSync(from).isSymbolicLink()) continue;
      cpSync(from, join(outputDir, output), {
        recursive: true,
        dereference: false,
        verbatimSymlinks: true,
        filter: (src) => !lstatSync(src).isSymbolicLink(),
      });
    }
  };

  let closing = false;

  function runningMsOf(job: LiveJob): number {
    if (!job.pty) return 0;
    const current = job.clock.timer ? Date.now() - job.clock.since : 0;
    return Math.max(0, job.spec.resources.maxSeconds * 1000 - job.clock.remainingMs + current);
  }

  const startClock = (job: LiveJob) => {
    job.clock.since = Date.now();
    job.clock.timer = setTimeout(() => {
      job.flags.timedOut = true;
      if (job.pty) killGroup(job.pty.pid, 'SIGKILL');
    }, job.clock.remainingMs);
  };
  const stopClock = (job: LiveJob) => {
    if (!job.clock.timer) return;
    clearTimeout(job.clock.timer);
    job.clock.timer = null;
    job.clock.remainingMs = Math.max(0, job.clock.remainingMs - (Date.now() - job.clock.since));
  };

  const finalize = async (job: LiveJob, exit: { exitCode: number | null; signal: string | null }) => {
    for (const t of job.timers) clearInterval(t);
    stopClock(job);
    // Shutting down: the store may be closed already; the next start reconciles this job as lost.
    if (closing) return;
    const stored = deps.repository.get(job.id)!;
    // `nocturne job cancel` from another process marks the row and signals the group.
    if (stored.cancelRequested && job.flags.cancelled === null)
      job.flags.cancelled = 'Cancelled by the owner';
    if (job.pty) {
      killGroup(job.pty.pid, 'SIGKILL'); // nothing of the job outlives it
      deps.freezer.unregister(job.pty.pid);
    }
    const oomKilled = (await job.plan?.limits.oomKilled().catch(() => false)) ?? false;
    const pidsLimitHit = (await job.plan?.limits.pidsLimitHit().catch(() => false)) ?? false;
    deps.repository.setExit(job.id, exit.exitCode, exit.signal);
    const reason = explainExit({
      exitCode: exit.exitCode,
      signal: exit.signal as NodeJS.Signals | null,
      oomKilled,
      diskExceeded: job.flags.diskExceeded,
      timedOut: job.flags.timedOut,
      pidsLimitHit,
      limits: {
        memoryMiB: job.spec.resources.memoryMiB,
        diskMiB: job.spec.resources.diskMiB,
        maxSeconds: job.spec.resources.maxSeconds,
      },
    });
    try {
      collectOutputs(job, stored.workspace, stored.outputDir);
    } catch (error) {
      deps.logger.warn(`Could not collect outputs of job ${job.id}: ${(error as Error).message}`);
    }
    await job.plan?.cleanup().catch(() => {});
    await job.plan?.limits.release().catch(() => {});
    rmSync(stored.workspace, { recursive: true, force: true });
    const succeeded = exit.exitCode === 0 && !oomKilled && !job.flags.diskExceeded && !job.flags.timedOut;
    const summary =
      (job.flags.cancelled !== null
        ? apply(job.id, { type: 'cancel', reason: job.flags.cancelled })
        : null) ??
      apply(job.id, { type: 'exit', succeeded, reason }) ??
      summaryOf(deps.repository.get(job.id)!);
    job.log.append(`\r\n[nocturne] ${summary.reason ?? summary.status}\r\n`);
    deps.onOutput(job.id, `\r\n[nocturne] ${summary.reason ?? summary.status}\r\n`);
    forget(job);
    job.finish(summary);
  };

  const fail = async (job: LiveJob, reason: string) => {
    // Shutting down: the store may be closed already; the next start reconciles this job as lost.
    if (closing) return;
    const stored = deps.repository.get(job.id);
    if (stored) rmSync(stored.workspace, { recursive: true, force: true });
    await job.plan?.cleanup().catch(() => {});
    await job.plan?.limits.release().catch(() => {});
    const summary = apply(job.id, { type: 'fail', reason }) ?? summaryOf(deps.repository.get(job.id)!);
    job.log.append(`[nocturne] ${reason}\r\n`);
    deps.onOutput(job.id, `[nocturne] ${reason}\r\n`);
    forget(job);
    job.finish(summary);
  };

  const launch = async (job: LiveJob, bundlePath: string) => {
    apply(job.id, { type: 'prepare' });
    const stored = deps.repository.get(job.id)!;
    const found = await deps.sandbox();
    const backend = job.spec.image ? found.imageBackend : found.backend;
    if (!backend) return fail(job, `Refused: ${job.spec.image ? found.imageReason : found.reason}`);
    try {
      await verifyBundleFile(bundlePath, job.spec.bundle.sha256);
      mkdirSync(stored.workspace, { recursive: true });
      await unpackBundle(bundlePath, stored.workspace, {
        maxBytes: job.spec.resources.diskMiB * 1024 * 1024,
      });
      job.plan = await backend.plan({
        id: job.id,
        spec: job.spec,
        workspace: stored.workspace,
        gpuDevices: deps.gpuDevices?.() ?? [],
      });
    } catch (error) {
      return fail(job, (error as Error).message);
    }
    if (job.flags.cancelled !== null) return fail(job, job.flags.cancelled);
    // stopAll ran while the bundle was unpacked: start nothing (the next start cleans up).
    if (closing) return;

    const plan = job.plan;
    const pty = deps.spawnPty(plan.command, plan.args, {
      cwd: stored.workspace,
      env: plan.env,
      cols: 120,
      rows: 32,
    });
    job.pty = pty;
    await plan.limits
      .attach(pty.pid)
      .catch((error: unknown) => deps.logger.warn(`Limits not attached: ${String(error)}`));
    deps.freezer.register(pty.pid);
    deps.repository.setProcess(
      job.id,
      pty.pid,
      readProcStat(pty.pid)?.startTime ?? null,
      `${backend.kind}; limits by ${plan.limits.mechanism}`,
    );
    job.log.append(`[nocturne] ${plan.describe}\r\n`);
    deps.onOutput(job.id, `[nocturne] ${plan.describe}\r\n`);
    apply(job.id, { type: 'start' });

    const batcher = createOutputBatcher((data) => deps.onOutput(job.id, data));
    pty.onData((data) => {
      job.log.append(data);
      batcher.push(data);
    });
    pty.onExit(({ exitCode, signal }) => {
      batcher.flush();
      void finalize(job, { exitCode: signal ? null : exitCode, signal: signalName(signal) });
    });

    job.clock.remainingMs = job.spec.resources.maxSeconds * 1000;
    startClock(job);
    job.timers.push(
      setInterval(() => {
        void directorySizeBytes(stored.workspace)
          .then((bytes: number) => {
            if (bytes > job.spec.resources.diskMiB * 1024 * 1024 && !job.flags.diskExceeded) {
              job.flags.diskExceeded = true;
              killGroup(pty.pid, 'SIGKILL');
            }
          })
          .catch(() => {});
      }, deps.diskPollMs ?? 2_000),
    );
  };

  const control: JobControl = {
    async freezeAll(reason) {
      const frozen: Promise<boolean>[] = [];
      for (const job of live.values()) {
        if (!job.pty) continue;
        const status = deps.repository.get(job.id)?.status;
        if (status === 'paused') job.holds.add('availability');
        if (status !== 'running') continue;
        job.holds.add('availability');
        frozen.push(freezeJob(job));
        apply(job.id, { type: 'pause', reason });
      }
      await Promise.all(frozen);
    },
    async thawAll() {
      for (const job of live.values()) {
        job.holds.delete('availability');
        if (job.holds.size > 0) continue;
        if (job.pty && deps.repository.get(job.id)?.status === 'paused') {
          await thawJob(job);
          apply(job.id, { type: 'resume' });
        }
      }
    },
    running: () => [...live.values()].filter((j) => deps.repository.get(j.id)?.status === 'running').length,
  };

  return {
    ...control,
    /** Starts a job; `done` resolves with its final summary. */
    start(spec: JobSpec, bundlePath: string): { id: string; done: Promise<JobSummary> } {
      const id = `job-${deps.clock.now().toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`;
      const dir = join(deps.jobsDir, id);
      const logPath = join(dir, 'log.txt');
      deps.repository.create(
        { id, spec, workspace: join(dir, 'workspace'), outputDir: join(dir, 'outputs'), logPath },
        deps.clock.now(),
      );
      let finish!: (s: JobSummary) => void;
      const done = new Promise<JobSummary>((r) => (finish = r));
      const job: LiveJob = {
        id,
        spec,
        pty: null,
        plan: null,
        log: createJobLog(logPath),
        timers: [],
        flags: { timedOut: false, diskExceeded: false, cancelled: null },
        holds: new Set(),
        clock: { remainingMs: spec.resources.maxSeconds * 1000, since: 0, timer: null },
        done,
        finish,
      };
      live.set(id, job);
      deps.onChange(summaryOf(deps.repository.get(id)!));
      void launch(job, bundlePath).catch((error: unknown) =>
        fail(job, `Nocturne failed to run the job: ${(error as Error).message}`),
      );
      return { id, done };
    },

    /** SIGTERM to the whole group, then SIGKILL after the grace period. */
    cancel(id: string, reason = 'Cancelled by the owner'): boolean {
      const job = live.get(id);
      if (!job) return false;
      job.flags.cancelled = reason;
      if (job.pty) {
        const pid = job.pty.pid;
        void thawJob(job).then(() => {
          // A frozen job cannot act on SIGTERM; and SIGTERM to bwrap itself would kill the job at once,
          // so it goes to the job's own processes, which get the grace period to clean up.
          if (signalSandboxedJob(pid, 'SIGTERM') === 0) killGroup(pid, 'SIGTERM');
        });
        job.timers.push(setTimeout(() => killGroup(pid, 'SIGKILL'), grace));
      }
      return true;
    },

    /**
     * Pauses one job for `holder`; `frozen` resolves once every process of it is confirmed stopped. A job
     * already paused by someone else gains the hold (summary null).
     */
    pause(
      id: string,
      reason: string,
      holder: PauseHolder = 'owner',
    ): { summary: JobSummary | null; frozen: Promise<boolean> } {
      const job = live.get(id);
      const status = deps.repository.get(id)?.status;
      if (job?.pty && status === 'paused') job.holds.add(holder);
      if (!job?.pty || status !== 'running') return { summary: null, frozen: Promise.resolve(false) };
      job.holds.add(holder);
      const frozen = freezeJob(job);
      return { summary: apply(id, { type: 'pause', reason }), frozen };
    },

    /** Drops `holder`'s hold; the job runs again once no one holds it (null while someone still does). */
    async resume(id: string, holder: PauseHolder = 'owner'): Promise<JobSummary | null> {
      const job = live.get(id);
      if (!job) return null;
      job.holds.delete(holder);
      if (job.holds.size > 0 || !job.pty || deps.repository.get(id)?.status !== 'paused') return null;
      await thawJob(job);
      return apply(id, { type: 'resume' });
    },

    /** Running time so far (or in all, once ended), paused time excluded, ms; null for an unknown job. */
    runningMs(id: string): number | null {
      const job = live.get(id);
      return job ? runningMsOf(job) : (endedRunningMs.get(id) ?? null);
    },

    /**
     * At start-up: jobs a crash left behind are killed (if their process is still the one we started),
     * recorded as lost, and their workspaces removed.
     */
    reconcile(): JobSummary[] {
      const reconciled: JobSummary[] = [];
      for (const job of deps.repository.live()) {
        if (live.has(job.id)) continue;
        if (job.pid !== null) {
          const stat = readProcStat(job.pid);
          if (stat && (job.pidStartTicks === null || stat.startTime === job.pidStartTicks))
            killGroup(job.pid, 'SIGKILL');
        }
        rmSync(job.workspace, { recursive: true, force: true });
        removeUnpackLeftovers(job.workspace);
        const summary = apply(job.id, {
          type: 'lose',
          reason: 'Lost: Nocturne stopped while the job ran; nothing of it runs now.',
        });
        if (summary) reconciled.push(summary);
      }
      return reconciled;
    },

    list: (): JobSummary[] => deps.repository.list().map(summaryOf),
    get: (id: string): JobSummary | null => {
      const job = deps.repository.get(id);
      return job ? summaryOf(job) : null;
    },
    status: (id: string): JobStatus | null => deps.repository.get(id)?.status ?? null,
    isTerminal: (status: JobStatus) => TERMINAL.has(status),
    /** At shutdown: every job is killed at once; the next start records them as lost and cleans up. */
    stopAll() {
      closing = true;
      for (const job of live.values()) {
        for (const t of job.timers) clearInterval(t);
        stopClock(job);
        if (job.pty) {
          void job.plan?.limits.thaw().catch(() => {});
          killGroup(job.pty.pid, 'SIGKILL');
        }
      }
      live.clear();
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
