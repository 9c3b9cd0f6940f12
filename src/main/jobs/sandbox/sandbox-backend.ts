import type { JobSpec } from '../../../shared/schemas/job';
import type { AppliedLimits } from '../limits/types';

export type { AppliedLimits } from '../limits/types';

export type SandboxKind = 'bubblewrap' | 'podman' | 'docker';

/** What a backend needs to know about one job. */
export interface SandboxJob {
  /** Letters, digits, '.', '_', '-': it names cgroups, temp dirs and containers. */
  id: string;
  spec: JobSpec;
  /** Absolute path of the job's folder on the host (the unpacked bundle); the only writable host path. */
  workspace: string;
  /**
   * Device nodes of the GPUs assigned to this job, plus their control nodes: e.g. ['/dev/nvidia0',
   * '/dev/nvidiactl', '/dev/nvidia-uvm'] or ['/dev/dri/renderD128', '/dev/kfd']. Nothing else of /dev is
   * shared.
   */
  gpuDevices: string[];
}

/**
 * How to start one job in its sandbox. The runner spawns `command args` with exactly `env` (under
 * node-pty, which makes it a session and process-group leader), calls `limits.attach(pid)` at once,
 * reads the limits' facts after exit, then calls `cleanup()`.
 */
export interface SandboxPlan {
  command: string;
  args: string[];
  /**
   * The environment to spawn `command` with: a small fixed host-side one for the launcher. The job's own
   * environment (`jobEnv`) is set inside the sandbox and never passes through the host shell, so a spec
   * cannot smuggle BASH_ENV and the like into a host process.
   */
  env: Record<string, string>;
  /** What the job sees: PATH, HOME, LANG, TERM and the spec's env. For display and logs. */
  jobEnv: Record<string, string>;
  /** The job's working directory inside the sandbox (/job for bubblewrap). */
  cwdInside: string;
  /** Removes the plan's temp files and releases its limits (kills anything left in its cgroup). Idempotent. */
  cleanup(): Promise<void>;
  limits: AppliedLimits;
  /** One paragraph for logs: backend, namespaces, network, limits, GPUs. */
  describe: string;
}

export interface SandboxBackend {
  kind: SandboxKind;
  available(): Promise<{ ok: boolean; reason: string }>;
  plan(job: SandboxJob): Promise<SandboxPlan>;
}
