import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessRunner } from '../../os/process-runner';
import { detectLimitMechanism, type LimitMechanismInfo } from '../limits/detect-limit-mechanism';
import { prepareLimits } from '../limits/prepare-limits';
import { assertSafeJobId, MiB, type PreparedLimits } from '../limits/types';
import { buildLauncher, LAUNCHER_ENV } from './launcher';
import type { SandboxBackend, SandboxJob, SandboxPlan } from './sandbox-backend';

/** The uid and gid the job has inside the sandbox (mapped to the host user that runs Nocturne). */
export const SANDBOX_UID = 1000;
export const SANDBOX_GID = 1000;
export const WORKSPACE_INSIDE = '/job';

/** Options of bwrap that not every version has (0.8 has both; Ubuntu 22.04's 0.6.1 has neither). */
export interface BwrapFeatures {
  /** --disable-userns (0.8): the job cannot make nested user namespaces (a large kernel attack surface). */
  disableUserns: boolean;
  /** --size before --tmpfs: bounds /tmp and /dev/shm, which otherwise grow in RAM without limit. */
  tmpfsSize: boolean;
}

export function parseBwrapFeatures(helpText: string): BwrapFeatures {
  return { disableUserns: helpText.includes('--disable-userns'), tmpfsSize: /--size\b/.test(helpText) };
}

/** A top-level name such as /bin: on merged-/usr systems (Debian 12, Fedora, Arch) a link into /usr. */
export interface RootEntry {
  name: string;
  kind: 'symlink' | 'dir';
  target?: string;
}

/** How /bin, /sbin, /lib, /lib32, /lib64, /libx32 look on this host (absent ones are left out). */
export function hostRootLayout(root = '/'): RootEntry[] {
  const entries: RootEntry[] = [];
  for (const name of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    const path = join(root, name);
    try {
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) entries.push({ name, kind: 'symlink', target: readlinkSync(path) });
      else if (stat.isDirectory()) entries.push({ name, kind: 'dir' });
    } catch {
      // not on this system
    }
  }
  return entries;
}

/** Device nodes a GPU job may be given; anything else in `gpuDevices` is refused. */
const GPU_DEVICE =
  /^\/dev\/(nvidia\d+|nvidiactl|nvidia-uvm|nvidia-uvm-tools|nvidia-modeset|nvidia-caps\/nvidia-cap\d+|dri\/renderD\d+|dri\/card\d+|kfd)$/;

export function isAllowedGpuDevice(path: string): boolean {
  return GPU_DEVICE.test(path);
}

export interface BwrapArgsInput {
  /** Host path bound read-write on /job. */
  workspace: string;
  network: 'none' | 'outbound';
  env: Record<string, string>;
  /** Generated files bound read-only over /etc/passwd, /etc/group, /etc/hosts, /etc/nsswitch.conf. */
  etc: { passwd: string; group: string; hosts: string; nsswitch: string };
  gpuDevices: string[];
  /** Size of the private /tmp and /dev/shm (each). */
  tmpSizeBytes: number;
  features: BwrapFeatures;
  rootLayout: RootEntry[];
}

/**
 * The bwrap options for one job (pure; see docs/sandbox.md for why each flag is there).
 * Deliberately absent: `--new-session`. It would setsid() the job into its own session and process
 * group, so the runner's SIGSTOP to the launcher's process group would no longer reach it (measured),
 * and it would cut the job off from the pty node-pty gives it. Its purpose, blocking TIOCSTI into the
 * caller's terminal, does not arise: every job gets a pty of its own, never the owner's terminal.
 */
export function buildBwrapOptions(input: BwrapArgsInput): string[] {
  const a: string[] = [];
  a.push('--unshare-all'); // user, ipc, pid, net, uts, cgroup namespaces
  if (input.network === 'outbound') a.push('--share-net');
  a.push('--unshare-user', '--uid', String(SANDBOX_UID), '--gid', String(SANDBOX_GID));
  if (input.features.disableUserns) a.push('--disable-userns');
  a.push('--cap-drop', 'ALL', '--die-with-parent', '--hostname', 'sandbox');

  a.push('--clearenv');
  for (const [name, value] of Object.entries(input.env)) a.push('--setenv', name, value);

  a.push('--ro-bind', '/usr', '/usr');
  for (const entry of input.rootLayout) {
    if (entry.kind === 'symlink' && entry.target) a.push('--symlink', entry.target, `/${entry.name}`);
    else if (entry.kind === 'dir') a.push('--ro-bind', `/${entry.name}`, `/${entry.name}`);
  }
  a.push('--ro-bind-try', '/etc/ld.so.cache', '/etc/ld.so.cache');
  a.push('--ro-bind-try', '/etc/alternatives', '/etc/alternatives'); // Debian: awk, editor, java...
  a.push('--ro-bind', input.etc.passwd, '/etc/passwd');
  a.push('--ro-bind', input.etc.group, '/etc/group');
  a.push('--ro-bind', input.etc.hosts, '/etc/hosts');
  a.push('--ro-bind', input.etc.nsswitch, '/etc/nsswitch.conf');
  if (input.network === 'outbound') {
    a.push('--ro-bind-try', '/etc/resolv.conf', '/etc/resolv.conf');
    for (const dir of ['/etc/ssl', '/etc/ca-certificates', '/etc/pki', '/etc/crypto-policies'])
      a.push('--ro-bind-try', dir, dir);
  }

  a.push('--proc', '/proc');
  a.push('--dev', '/dev');
  const sized = (bytes: number) => (input.features.tmpfsSize ? ['--size', String(bytes)] : []);
  a.push(...sized(input.tmpSizeBytes), '--tmpfs', '/dev/shm');
  for (const device of input.gpuDevices) a.push('--dev-bind', device, device);
  a.push(...sized(input.tmpSizeBytes), '--tmpfs', '/tmp');
  a.push('--bind', input.workspace, WORKSPACE_INSIDE);
  // The tmpfs under /dev and the root are writable unless remounted: without this a job can fill RAM
  // through /dev/foo or /foo. /dev/shm, /dev/pts and the device binds are their own mounts and stay usable.
  a.push('--remount-ro', '/dev');
  a.push('--remount-ro', '/');
  a.push('--chdir', WORKSPACE_INSIDE);
  return a;
}

/**
 * The whole bwrap command line. The launcher passes the options through a file (`--args 3`), so the
 * job's environment does not show in the host's `ps`; bwrap reads only options that way, so the job's
 * command stays on the command line.
 */
export function buildBwrapArgs(input: BwrapArgsInput & { command: string[] }): string[] {
  return [...buildBwrapOptions(input), '--', ...input.command];
}

/** The job's environment: a clean base, then the spec's own variables. Nothing of the host's. */
export function sandboxEnv(specEnv: Record<string, string>): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: WORKSPACE_INSIDE,
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
    ...specEnv,
  };
}

const ETC = {
  passwd: `sandbox:x:${SANDBOX_UID}:${SANDBOX_GID}:Nocturne job:${WORKSPACE_INSIDE}:/bin/sh\n`,
  group: `sandbox:x:${SANDBOX_GID}:\n`,
  hosts: '127.0.0.1\tlocalhost sandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n',
  nsswitch: 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n',
};

export interface BubblewrapBackendOptions {
  runner: ProcessRunner;
  /** Where bwrap is; found on PATH when not given. */
  bwrapPath?: string;
  /** prlimit (util-linux); found on PATH when not given; null: use the shell's ulimit. */
  prlimitPath?: string | null;
  /** Probed from `bwrap --help` when not given. */
  features?: BwrapFeatures;
  /** How limits are held; detected once (at the first plan) when not given. */
  limitMechanism?: LimitMechanismInfo;
  /** Processes and threads a job may have at once (a spec has no field for it). Default 4096. */
  maxProcesses?: number;
  /** Where per-job temp folders go (generated /etc files, the bwrap argument file). Default os.tmpdir(). */
  tempRoot?: string;
  rootLayout?: RootEntry[];
}

/** The probe run by `available()`: every namespace a plan uses, so disabled user namespaces show here. */
export function probeArgs(features: BwrapFeatures): string[] {
  return [
    '--unshare-all',
    '--unshare-user',
    ...(features.disableUserns ? ['--disable-userns'] : []),
    '--cap-drop',
    'ALL',
    '--ro-bind',
    '/',
    '/',
    'true',
  ];
}

/** Plain words for why `bwrap` could not make its namespaces. */
export function explainBwrapFailure(stderr: string): string {
  const text = stderr.trim().split('\n').slice(-1)[0] ?? '';
  if (/uid map|new namespace|Operation not permitted|Permission denied|No permissions/i.test(text))
    return (
      `bubblewrap cannot create user namespaces here (${text}). Unprivileged user namespaces are ` +
      'switched off: kernel.unprivileged_userns_clone=0 (Debian), user.max_user_namespaces=0, or ' +
      "Ubuntu 24.04's kernel.apparmor_restrict_unprivileged_userns=1 without a bwrap AppArmor profile"
    );
  return `bubblewrap does not run here: ${text || 'it failed without a message'}`;
}

export function createBubblewrapBackend(options: BubblewrapBackendOptions): SandboxBackend & {
  /** What this bwrap supports (probed once from `bwrap --help`). */
  features(): Promise<BwrapFeatures>;
} {
  const { runner } = options;
  let bwrapPath = options.bwrapPath ?? null;
  let features: BwrapFeatures | null = options.features ?? null;
  let mechanism: LimitMechanismInfo | null = options.limitMechanism ?? null;
  const maxProcesses = options.maxProcesses ?? 4096;

  const findBwrap = () => (bwrapPath ??= runner.which('bwrap'));
  const getFeatures = async (): Promise<BwrapFeatures> => {
    if (features) return features;
    const path = findBwrap();
    if (!path) return { disableUserns: false, tmpfsSize: false };
    const help = await runner.run(path, ['--help'], { timeoutMs: 5_000 });
    features = parseBwrapFeatures(help.stdout + help.stderr);
    return features;
  };

  return {
    kind: 'bubblewrap',
    features: getFeatures,

    async available() {
      if (process.platform !== 'linux')
        return { ok: false, reason: `bubblewrap is Linux only (this is ${process.platform})` };
      const path = findBwrap();
      if (!path) return { ok: false, reason: 'bubblewrap is not installed (apt install bubblewrap)' };
      const f = await getFeatures();
      const result = await runner.run(path, probeArgs(f), { timeoutMs: 10_000 });
      if (result.exitCode !== 0) return { ok: false, reason: explainBwrapFailure(result.stderr) };
      const missing = [
        f.disableUserns ? null : 'no --disable-userns (needs 0.8)',
        f.tmpfsSize ? null : 'no --size for tmpfs',
      ].filter(Boolean);
      return {
        ok: true,
        reason: `bubblewrap works (${path})${missing.length ? `; older bwrap: ${missing.join(', ')}` : ''}`,
      };
    },

    async plan(job: SandboxJob): Promise<SandboxPlan> {
      assertSafeJobId(job.id);
      const { spec } = job;
      if (spec.image)
        throw new Error(
          `Job ${job.id} names an image (${spec.image}); bubblewrap runs programs from the host's /usr. ` +
            'Image jobs need podman or docker.',
        );
      const bwrap = findBwrap();
      if (!bwrap)
        throw new Error('No sandbox is available: bubblewrap is not installed (apt install bubblewrap)');
      const workspace = realWorkspace(job.workspace);
      const gpu = checkGpuDevices(job.gpuDevices);
      const f = await getFeatures();
      mechanism ??= await detectLimitMechanism();
      const prlimitPath = options.prlimitPath === undefined ? runner.which('prlimit') : options.prlimitPath;

      const temp = await mkdtemp(join(options.tempRoot ?? tmpdir(), `nocturne-sbx-${job.id}-`));
      let limits: PreparedLimits | null = null;
      try {
        const etc = {
          passwd: join(temp, 'passwd'),
          group: join(temp, 'group'),
          hosts: join(temp, 'hosts'),
          nsswitch: join(temp, 'nsswitch.conf'),
        };
        for (const key of Object.keys(etc) as (keyof typeof etc)[])
          await writeFile(etc[key], ETC[key], { mode: 0o644 });

        limits = await prepareLimits(
          {
            jobId: job.id,
            memoryMiB: spec.resources.memoryMiB,
            cpus: spec.resources.cpus,
            maxProcesses,
            diskMiB: spec.resources.diskMiB,
            maxSeconds: spec.resources.maxSeconds,
          },
          mechanism,
        );
        const jobEnv = sandboxEnv(spec.env);
        const bwrapOptions = buildBwrapOptions({
          workspace,
          network: spec.network,
          env: jobEnv,
          etc,
          gpuDevices: gpu.devices,
          tmpSizeBytes: spec.resources.memoryMiB * MiB,
          features: f,
          rootLayout: options.rootLayout ?? hostRootLayout(),
        });
        const argsFile = join(temp, 'bwrap-args');
        await writeFile(argsFile, bwrapOptions.map((arg) => `${arg}\0`).join(''), { mode: 0o600 });
        const launcher = buildLauncher({
          joinFiles: limits.joinFiles,
          rlimits: limits.rlimits,
          prlimitPath,
          argsFile,
          bwrapPath: bwrap,
          command: spec.command,
        });

        const held = limits;
        let cleaned = false;
        const describe = [
          `bubblewrap (${bwrap}): new user (uid ${SANDBOX_UID}, no capabilities${f.disableUserns ? ', no nested user namespaces' : ''}), pid, ipc, uts, cgroup and mount namespaces`,
          spec.network === 'none'
            ? 'own network namespace (loopback only, no network)'
            : "the host's network namespace (outbound; also reaches the host's 127.0.0.1 and LAN)",
          `read-only /usr; ${workspace} read-write at ${WORKSPACE_INSIDE} (the only writable host path)`,
          `private /tmp and /dev/shm${f.tmpfsSize ? ` of ${spec.resources.memoryMiB} MiB each` : ' (unbounded: old bwrap)'}`,
          gpu.devices.length ? `GPU devices ${gpu.devices.join(', ')}` : 'no GPU devices',
          ...(gpu.missing.length ? [`not on this host: ${gpu.missing.join(', ')}`] : []),
          `limits: ${limits.summary}`,
        ].join('; ');

        return {
          command: launcher.command,
          args: launcher.args,
          env: { ...LAUNCHER_ENV },
          jobEnv,
          cwdInside: WORKSPACE_INSIDE,
          limits: held,
          describe,
          async cleanup() {
            if (cleaned) return;
            cleaned = true;
            try {
              await held.release();
            } finally {
              await rm(temp, { recursive: true, force: true });
            }
          },
        };
      } catch (error) {
        await limits?.release().catch(() => undefined);
        await rm(temp, { recursive: true, force: true });
        throw error;
      }
    },
  };
}

function realWorkspace(path: string): string {
  if (!path.startsWith('/')) throw new Error(`The workspace must be an absolute path, not ${path}`);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new Error(`The workspace ${path} does not exist`);
  }
  if (!statSync(real).isDirectory()) throw new Error(`The workspace ${path} is not a directory`);
  if (real === '/') throw new Error('The workspace cannot be the root directory');
  return real;
}

function checkGpuDevices(paths: string[]): { devices: string[]; missing: string[] } {
  const devices: string[] = [];
  const missing: string[] = [];
  for (const path of new Set(paths)) {
    if (!isAllowedGpuDevice(path)) throw new Error(`${path} is not a GPU device node a job may be given`);
    try {
      if (statSync(path).isCharacterDevice()) devices.push(path);
      else missing.push(path);
    } catch {
      missing.push(path);
    }
  }
  return { devices, missing };
}
