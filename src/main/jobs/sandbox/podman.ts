import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessRunner } from '../../os/process-runner';
import { assertSafeJobId, describeRequest, MiB, type AppliedLimits } from '../limits/types';
import { isAllowedGpuDevice, sandboxEnv, SANDBOX_GID, SANDBOX_UID, WORKSPACE_INSIDE } from './bubblewrap';
import { LAUNCHER_ENV } from './launcher';
import type { SandboxBackend, SandboxJob, SandboxPlan } from './sandbox-backend';

export type ContainerEngine = 'podman' | 'docker';

export interface ContainerArgsInput {
  engine: ContainerEngine;
  /** Container name; also how cleanup finds it. */
  name: string;
  image: string;
  command: string[];
  workspace: string;
  network: 'none' | 'outbound';
  memoryMiB: number;
  cpus: number;
  maxProcesses: number;
  diskMiB: number;
  /** A 0600 file of NAME=value lines: the job's env stays out of the host's `ps`. */
  envFile: string;
  gpuDevices: string[];
  /** Rootless podman maps the host user to the job's uid with keep-id; rootful engines use --user. */
  rootless: boolean;
  /** Podman 5 has pasta; 4 has slirp4netns. */
  podmanMajor?: number;
}

/**
 * `podman run` / `docker run` for an image job (pure). Not `--rm`: the container stays until cleanup so
 * that its OOM flag can still be read after it exits; cleanup removes it with `rm -f`.
 */
export function buildContainerArgs(input: ContainerArgsInput): string[] {
  const a = ['run', '--name', input.name, '--pull=never', '--tty', '--hostname', 'sandbox'];
  if (input.network === 'none') a.push('--network', 'none');
  else if (input.engine === 'podman')
    // User-mode networking that cannot reach the host's own 127.0.0.1 (unlike bwrap's --share-net).
    a.push(
      '--network',
      (input.podmanMajor ?? 4) >= 5 ? 'pasta:--no-map-gw' : 'slirp4netns:allow_host_loopback=false',
    );
  else a.push('--network', 'bridge');
  a.push(
    '--memory',
    `${input.memoryMiB}m`,
    '--memory-swap',
    `${input.memoryMiB}m`,
    '--cpus',
    String(input.cpus),
    '--pids-limit',
    String(input.maxProcesses),
    '--ulimit',
    `fsize=${input.diskMiB * MiB}:${input.diskMiB * MiB}`,
    '--read-only',
    '--tmpfs',
    `/tmp:rw,nosuid,nodev,size=${input.memoryMiB}m`,
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
  );
  if (input.engine === 'podman' && input.rootless)
    a.push('--userns', `keep-id:uid=${SANDBOX_UID},gid=${SANDBOX_GID}`);
  else a.push('--user', `${SANDBOX_UID}:${SANDBOX_GID}`);
  a.push('--volume', `${input.workspace}:${WORKSPACE_INSIDE}:rw,Z`, '--workdir', WORKSPACE_INSIDE);
  a.push('--env-file', input.envFile);

  const nvidia = input.gpuDevices
    .map((d) => /^\/dev\/nvidia(\d+)$/.exec(d)?.[1])
    .filter((i): i is string => i !== undefined);
  if (nvidia.length > 0) {
    // CDI names (nvidia-ctk cdi generate) for podman; docker's own --gpus flag.
    if (input.engine === 'podman') for (const i of nvidia) a.push('--device', `nvidia.com/gpu=${i}`);
    else a.push('--gpus', `"device=${nvidia.join(',')}"`);
  }
  for (const d of input.gpuDevices) if (/^\/dev\/(kfd|dri\/renderD\d+)$/.test(d)) a.push('--device', d); // AMD / Intel

  a.push(input.image, ...input.command);
  return a;
}

export interface ContainerBackendOptions {
  runner: ProcessRunner;
  engine: ContainerEngine;
  maxProcesses?: number;
  tempRoot?: string;
}

/**
 * Image jobs in rootless podman (or docker where that is what the owner has). Sketched and unit-tested
 * for its argv; not run on the development machine. The runner must stop such a job with
 * `limits.release()` (`rm -f`): a signal to the `run` client's process group does not reach a container
 * (its processes belong to conmon or dockerd), and `freeze()` is `pause`.
 */
export function createContainerBackend(options: ContainerBackendOptions): SandboxBackend {
  const { runner, engine } = options;
  let info: { rootless: boolean; major: number } | null = null;

  const probe = async () => {
    if (info) return info;
    if (!runner.which(engine)) throw new Error(`${engine} is not installed`);
    const format =
      engine === 'podman' ? '{{.Host.Security.Rootless}} {{.Version.Version}}' : '{{.ServerVersion}}';
    const result = await runner.run(engine, ['info', '--format', format], { timeoutMs: 15_000 });
    if (result.exitCode !== 0)
      throw new Error(`${engine} does not answer: ${result.stderr.trim().split('\n').pop() ?? 'no message'}`);
    const [first = '', second = ''] = result.stdout.trim().split(/\s+/);
    info =
      engine === 'podman'
        ? { rootless: first === 'true', major: Number(second.split('.')[0]) || 4 }
        : { rootless: false, major: Number(first.split('.')[0]) || 0 };
    return info;
  };

  return {
    kind: engine,
    async available() {
      try {
        const i = await probe();
        return {
          ok: true,
          reason: `${engine} ${i.major}.x${engine === 'podman' ? (i.rootless ? ' (rootless)' : ' (rootful)') : ''}`,
        };
      } catch (error) {
        return { ok: false, reason: (error as Error).message };
      }
    },

    async plan(job: SandboxJob): Promise<SandboxPlan> {
      assertSafeJobId(job.id);
      const { spec } = job;
      if (!spec.image) throw new Error(`Job ${job.id} names no image; run it with bubblewrap`);
      for (const d of job.gpuDevices)
        if (!isAllowedGpuDevice(d)) throw new Error(`${d} is not a GPU device node a job may be given`);
      if (!existsSync(job.workspace)) throw new Error(`The workspace ${job.workspace} does not exist`);
      const i = await probe();
      const temp = await mkdtemp(join(options.tempRoot ?? tmpdir(), `nocturne-ctr-${job.id}-`));
      const envFile = join(temp, 'env');
      const jobEnv = sandboxEnv(spec.env);
      // An env file holds one NAME=value per line: a value with a newline cannot be passed this way.
      const badEnv = Object.entries(jobEnv).find(([, v]) => v.includes('\n'));
      if (badEnv) {
        await rm(temp, { recursive: true, force: true });
        throw new Error(`The variable ${badEnv[0]} holds a line break, which ${engine} cannot pass to a job`);
      }
      await writeFile(
        envFile,
        Object.entries(jobEnv)
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
        { mode: 0o600 },
      );
      const name = `nocturne-${job.id}`;
      const request = {
        jobId: job.id,
        memoryMiB: spec.resources.memoryMiB,
        cpus: spec.resources.cpus,
        maxProcesses: options.maxProcesses ?? 4096,
        diskMiB: spec.resources.diskMiB,
        maxSeconds: spec.resources.maxSeconds,
      };
      const args = buildContainerArgs({
        engine,
        name,
        image: spec.image,
        command: spec.command,
        workspace: job.workspace,
        network: spec.network,
        memoryMiB: request.memoryMiB,
        cpus: request.cpus,
        maxProcesses: request.maxProcesses,
        diskMiB: request.diskMiB,
        envFile,
        gpuDevices: job.gpuDevices,
        rootless: i.rootless,
        podmanMajor: i.major,
      });
      const run = (verb: string[]) => runner.run(engine, verb, { timeoutMs: 30_000 });
      let removed = false;
      const held = { memory: true, cpu: true, pids: true };
      const limits: AppliedLimits = {
        mechanism: existsSync('/sys/fs/cgroup/cgroup.controllers') ? 'cgroup-v2' : 'cgroup-v1',
        ...held,
        freezer: true,
        summary: `${engine} (its own cgroup): ${describeRequest(request, held)}`,
        attach: async () => undefined,
        memoryPeakBytes: async () => null,
        async oomKilled() {
          const r = await run(['inspect', '--format', '{{.State.OOMKilled}}', name]);
          return r.stdout.trim() === 'true';
        },
        pidsLimitHit: async () => false,
        async freeze() {
          return (await run(['pause', name])).exitCode === 0;
        },
        async thaw() {
          await run(['unpause', name]);
        },
        members: async () => [],
        async release() {
          if (removed) return;
          await run(['rm', '--force', name]);
          removed = true;
        },
      };
      let cleaned = false;
      return {
        command: runner.which(engine) ?? engine,
        args,
        env: { ...LAUNCHER_ENV },
        jobEnv,
        cwdInside: WORKSPACE_INSIDE,
        limits,
        describe: `${engine} ${i.major}.x, image ${spec.image}, network ${spec.network}, read-only root, ${job.workspace} at ${WORKSPACE_INSIDE}; ${limits.summary}`,
        async cleanup() {
          if (cleaned) return;
          cleaned = true;
          try {
            await limits.release();
          } finally {
            await rm(temp, { recursive: true, force: true });
          }
        },
      };
    },
  };
}
