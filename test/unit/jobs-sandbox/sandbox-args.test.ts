// The argv the backends build, and the refusals, without running anything.
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessRunner, RunResult } from '../../../src/main/os/process-runner';
import {
  buildBwrapArgs,
  buildBwrapOptions,
  createBubblewrapBackend,
  explainBwrapFailure,
  isAllowedGpuDevice,
  parseBwrapFeatures,
  sandboxEnv,
  type BwrapArgsInput,
} from '../../../src/main/jobs/sandbox/bubblewrap';
import { detectSandbox } from '../../../src/main/jobs/sandbox/detect-sandbox';
import { buildLauncher } from '../../../src/main/jobs/sandbox/launcher';
import { buildContainerArgs, createContainerBackend } from '../../../src/main/jobs/sandbox/podman';
import { cleanupAll, makeSpec, tempDir } from './sandbox-harness';

afterEach(cleanupAll);

const input: BwrapArgsInput = {
  workspace: '/data/jobs/j1/workspace',
  network: 'none',
  env: sandboxEnv({ FOO: 'bar' }),
  etc: { passwd: '/t/passwd', group: '/t/group', hosts: '/t/hosts', nsswitch: '/t/nsswitch.conf' },
  gpuDevices: [],
  tmpSizeBytes: 64 * 1024 * 1024,
  features: { disableUserns: true, tmpfsSize: true },
  rootLayout: [
    { name: 'bin', kind: 'symlink', target: 'usr/bin' },
    { name: 'lib', kind: 'symlink', target: 'usr/lib' },
    { name: 'lib64', kind: 'dir' },
  ],
};

/** The pairs `flag value` of an argv, e.g. all '--ro-bind' sources. */
const after = (argv: string[], flag: string, width = 1) =>
  argv.flatMap((a, i) => (a === flag ? [argv.slice(i + 1, i + 1 + width).join(' ')] : []));

function fakeRunner(
  answers: Record<string, Partial<RunResult>>,
  onPath: string[],
): ProcessRunner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async run(command, args) {
      const key = `${command} ${args.join(' ')}`;
      calls.push(key);
      const hit = Object.entries(answers).find(([prefix]) => key.startsWith(prefix))?.[1] ?? {};
      return { stdout: '', stderr: '', exitCode: 0, failure: null, ...hit };
    },
    stream() {
      throw new Error('not used');
    },
    which: (c) => (onPath.includes(c) ? `/usr/bin/${c}` : null),
  };
}

describe('bubblewrap argv', () => {
  it('unshares every namespace, maps an unprivileged uid, drops capabilities, and shares only /usr read-only', () => {
    const argv = buildBwrapArgs({ ...input, command: ['python3', 'train.py'] });
    expect(argv.slice(0, 1)).toEqual(['--unshare-all']);
    expect(argv).not.toContain('--share-net');
    expect(argv).not.toContain('--new-session');
    expect(after(argv, '--uid')).toEqual(['1000']);
    expect(after(argv, '--gid')).toEqual(['1000']);
    for (const flag of ['--unshare-user', '--disable-userns', '--die-with-parent', '--clearenv'])
      expect(argv).toContain(flag);
    expect(after(argv, '--cap-drop')).toEqual(['ALL']);
    expect(after(argv, '--hostname')).toEqual(['sandbox']);
    expect(after(argv, '--ro-bind', 2)).toEqual([
      '/usr /usr',
      '/lib64 /lib64',
      '/t/passwd /etc/passwd',
      '/t/group /etc/group',
      '/t/hosts /etc/hosts',
      '/t/nsswitch.conf /etc/nsswitch.conf',
    ]);
    expect(after(argv, '--symlink', 2)).toEqual(['usr/bin /bin', 'usr/lib /lib']);
    expect(after(argv, '--bind', 2)).toEqual(['/data/jobs/j1/workspace /job']); // the only writable host path
    expect(after(argv, '--tmpfs')).toEqual(['/dev/shm', '/tmp']);
    expect(after(argv, '--size')).toEqual([String(64 * 1024 * 1024), String(64 * 1024 * 1024)]);
    expect(after(argv, '--remount-ro')).toEqual(['/dev', '/']);
    expect(after(argv, '--chdir')).toEqual(['/job']);
    expect(argv.slice(-3)).toEqual(['--', 'python3', 'train.py']);
    expect(after(argv, '--setenv', 2)).toEqual([
      'PATH /usr/local/bin:/usr/bin:/bin',
      'HOME /job',
      'LANG C.UTF-8',
      'TERM xterm-256color',
      'FOO bar',
    ]);
    expect(argv.join(' ')).not.toMatch(/resolv|\/etc\/ssl|\/home|\/root|\/run/);
  });

  it("network 'outbound' shares the network namespace (only) and adds DNS and CA certificates", () => {
    const argv = buildBwrapOptions({ ...input, network: 'outbound' });
    expect(argv.slice(0, 2)).toEqual(['--unshare-all', '--share-net']);
    expect(after(argv, '--ro-bind-try', 2)).toEqual(
      expect.arrayContaining(['/etc/resolv.conf /etc/resolv.conf', '/etc/ssl /etc/ssl']),
    );
  });

  it('binds only the assigned GPU nodes, before /dev is made read-only', () => {
    const argv = buildBwrapOptions({
      ...input,
      gpuDevices: ['/dev/nvidia1', '/dev/nvidiactl', '/dev/nvidia-uvm'],
    });
    expect(after(argv, '--dev-bind', 2)).toEqual([
      '/dev/nvidia1 /dev/nvidia1',
      '/dev/nvidiactl /dev/nvidiactl',
      '/dev/nvidia-uvm /dev/nvidia-uvm',
    ]);
    expect(argv.indexOf('--dev-bind')).toBeLessThan(argv.indexOf('--remount-ro'));
    expect(isAllowedGpuDevice('/dev/dri/renderD128')).toBe(true);
    expect(isAllowedGpuDevice('/dev/kfd')).toBe(true);
    for (const bad of ['/dev/sda', '/dev/mem', '/dev/nvidia0/../sda', '/etc/passwd', '/dev/dri/../../etc'])
      expect(isAllowedGpuDevice(bad)).toBe(false);
  });

  it('leaves out what an older bwrap lacks', () => {
    const argv = buildBwrapOptions({ ...input, features: { disableUserns: false, tmpfsSize: false } });
    expect(argv).not.toContain('--disable-userns');
    expect(argv).not.toContain('--size');
    expect(parseBwrapFeatures('--disable-userns  Disable ...\n --size BYTES  Set size')).toEqual({
      disableUserns: true,
      tmpfsSize: true,
    });
    expect(parseBwrapFeatures('--unshare-all')).toEqual({ disableUserns: false, tmpfsSize: false });
  });

  it('the spec env may add variables but the host env never enters', () => {
    process.env.NOCTURNE_ARGS_TEST = 'x';
    expect(sandboxEnv({ A: '1' })).not.toHaveProperty('NOCTURNE_ARGS_TEST');
    delete process.env.NOCTURNE_ARGS_TEST;
  });
});

describe('launcher', () => {
  it('joins each cgroup, opens the options file as fd 3, sets rlimits with prlimit, then execs bwrap', () => {
    const l = buildLauncher({
      joinFiles: ['/cg/memory/nocturne/j/cgroup.procs', '/cg/pids/nocturne/j/cgroup.procs'],
      rlimits: { fsizeBytes: 8 * 1024 * 1024, cpuSeconds: 70, nproc: null },
      prlimitPath: '/usr/bin/prlimit',
      argsFile: '/tmp/x/bwrap-args',
      bwrapPath: '/usr/bin/bwrap',
      command: ['sh', '-c', 'echo hi'],
    });
    expect(l.command).toBe('/bin/sh');
    expect(l.args.slice(2)).toEqual([
      'nocturne-sandbox',
      '/cg/memory/nocturne/j/cgroup.procs',
      '/cg/pids/nocturne/j/cgroup.procs',
      '--',
      '/tmp/x/bwrap-args',
      '/usr/bin/prlimit',
      '--fsize=8388608:8388608',
      '--cpu=70:80',
      '--',
      '/usr/bin/bwrap',
      '--args',
      '3',
      '--',
      'sh',
      '-c',
      'echo hi',
    ]);
  });

  it('falls back to ulimit (512-byte blocks) without prlimit, and adds --nproc where used', () => {
    const without = buildLauncher({
      joinFiles: [],
      rlimits: { fsizeBytes: 1024 * 1024, cpuSeconds: 20, nproc: 500 },
      prlimitPath: null,
      argsFile: '/a',
      bwrapPath: '/usr/bin/bwrap',
      command: ['true'],
    });
    expect(without.args[1]).toContain('ulimit -f 2048');
    expect(without.args[1]).toContain('ulimit -t 20');
    const withNproc = buildLauncher({
      joinFiles: [],
      rlimits: { fsizeBytes: 1, cpuSeconds: 1, nproc: 500 },
      prlimitPath: '/usr/bin/prlimit',
      argsFile: '/a',
      bwrapPath: '/usr/bin/bwrap',
      command: ['true'],
    });
    expect(withNproc.args).toContain('--nproc=500:500');
  });
});

describe('bubblewrap plan', () => {
  const backend = (runner = fakeRunner({}, ['bwrap'])) =>
    createBubblewrapBackend({
      runner,
      bwrapPath: '/usr/bin/bwrap',
      prlimitPath: null,
      features: { disableUserns: true, tmpfsSize: true },
      limitMechanism: { mechanism: 'rlimits', reason: 'test' },
      maxProcesses: 64,
    });

  it('writes the options to a private file, keeps the env out of argv, and cleans up', async () => {
    const workspace = tempDir();
    const spec = makeSpec(['python3', 'x.py'], { env: { TOKEN: 'sekrit' }, memoryMiB: 128 });
    const plan = await backend().plan({ id: 'j-1', spec, workspace, gpuDevices: ['/dev/nvidia7'] });
    expect(plan.cwdInside).toBe('/job');
    expect(plan.env).toEqual({ PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' });
    expect(plan.jobEnv.TOKEN).toBe('sekrit');
    expect(plan.args.join(' ')).not.toContain('sekrit');
    expect(plan.args.slice(-4)).toEqual(['3', '--', 'python3', 'x.py']);
    const argsFile = plan.args[plan.args.indexOf('--') + 1] as string;
    const options = readFileSync(argsFile, 'utf8').split('\0');
    expect(options).toContain('sekrit');
    expect(options[options.indexOf('--bind') + 1]).toBe(realpathSync(workspace));
    expect(plan.limits.mechanism).toBe('rlimits');
    expect(plan.describe).toMatch(/not on this host: \/dev\/nvidia7/);
    await plan.cleanup();
    expect(() => readFileSync(argsFile)).toThrow();
    await plan.cleanup(); // idempotent
  });

  it('refuses image jobs, unsafe ids, missing workspaces and non-GPU devices', async () => {
    const workspace = tempDir();
    const b = backend();
    const spec = makeSpec(['true']);
    await expect(
      b.plan({
        id: 'j',
        spec: { ...spec, image: 'docker.io/library/python:3.12' },
        workspace,
        gpuDevices: [],
      }),
    ).rejects.toThrow(/Image jobs need podman or docker/);
    await expect(b.plan({ id: '../x', spec, workspace, gpuDevices: [] })).rejects.toThrow(
      /cannot name a sandbox/,
    );
    await expect(
      b.plan({ id: 'j', spec, workspace: join(workspace, 'nope'), gpuDevices: [] }),
    ).rejects.toThrow(/does not exist/);
    await expect(b.plan({ id: 'j', spec, workspace: 'rel/path', gpuDevices: [] })).rejects.toThrow(
      /absolute/,
    );
    await expect(b.plan({ id: 'j', spec, workspace, gpuDevices: ['/dev/sda'] })).rejects.toThrow(
      /not a GPU device/,
    );
  });
});

describe('detectSandbox', () => {
  it('names the missing package', async () => {
    const found = await detectSandbox(fakeRunner({}, []), { platform: 'linux' });
    expect(found.backend).toBeNull();
    expect(found.reason).toBe(
      'No sandbox is available: bubblewrap is not installed (apt install bubblewrap).',
    );
    expect(found.tried).toEqual([
      { kind: 'bubblewrap', ok: false, reason: 'bubblewrap is not installed (apt install bubblewrap)' },
    ]);
  });

  it('really makes the namespaces: disabled user namespaces are reported in words', async () => {
    const runner = fakeRunner(
      {
        '/usr/bin/bwrap --help': { stdout: '--disable-userns\n--size BYTES' },
        '/usr/bin/bwrap --unshare-all': {
          exitCode: 1,
          stderr: 'bwrap: setting up uid map: Permission denied\n',
        },
      },
      ['bwrap'],
    );
    const found = await detectSandbox(runner, { platform: 'linux', containers: false });
    expect(found.backend).toBeNull();
    expect(found.reason).toMatch(/^No sandbox is available: bubblewrap cannot create user namespaces here/);
    expect(runner.calls).toContain(
      '/usr/bin/bwrap --unshare-all --unshare-user --disable-userns --cap-drop ALL --ro-bind / / true',
    );
    expect(explainBwrapFailure('bwrap: No permissions to creating new namespace')).toMatch(/user namespaces/);
  });

  it('picks bubblewrap, and podman for image jobs where it answers', async () => {
    const runner = fakeRunner(
      {
        '/usr/bin/bwrap --help': { stdout: '--disable-userns --size' },
        'podman info': { stdout: 'true 4.3.1\n' },
      },
      ['bwrap', 'podman', 'docker'],
    );
    const found = await detectSandbox(runner, { platform: 'linux' });
    expect(found.backend?.kind).toBe('bubblewrap');
    expect(found.reason).toBe('Jobs run in bubblewrap works (/usr/bin/bwrap)');
    expect(found.imageBackend?.kind).toBe('podman');
    expect(found.imageReason).toBe('Image jobs run in podman 4.x (rootless)');
    expect(found.tried.map((t) => t.kind)).toEqual(['bubblewrap', 'podman']);
  });

  it('says plainly that Windows and macOS are not served yet', async () => {
    const win = await detectSandbox(fakeRunner({}, ['bwrap']), { platform: 'win32' });
    expect(win.backend).toBeNull();
    expect(win.reason).toMatch(/^No sandbox is available: jobs run only on Linux for now; on Windows .*WSL2/);
    const mac = await detectSandbox(fakeRunner({}, []), { platform: 'darwin' });
    expect(mac.reason).toMatch(/Virtualization.framework VM/);
  });
});

describe('podman / docker argv', () => {
  const base = {
    name: 'nocturne-j1',
    image: 'docker.io/library/python:3.12',
    command: ['python', 'train.py'],
    workspace: '/data/jobs/j1/workspace',
    memoryMiB: 2048,
    cpus: 2.5,
    maxProcesses: 512,
    diskMiB: 100,
    envFile: '/tmp/e/env',
    gpuDevices: ['/dev/nvidia1', '/dev/nvidiactl', '/dev/nvidia-uvm'],
  };

  it('rootless podman: no network, limits, read-only root, workspace, keep-id, CDI GPU', () => {
    const argv = buildContainerArgs({
      ...base,
      engine: 'podman',
      network: 'none',
      rootless: true,
      podmanMajor: 4,
    });
    expect(argv[0]).toBe('run');
    expect(after(argv, '--network')).toEqual(['none']);
    expect(after(argv, '--memory')).toEqual(['2048m']);
    expect(after(argv, '--memory-swap')).toEqual(['2048m']);
    expect(after(argv, '--cpus')).toEqual(['2.5']);
    expect(after(argv, '--pids-limit')).toEqual(['512']);
    expect(argv).toContain('--read-only');
    expect(after(argv, '--cap-drop')).toEqual(['ALL']);
    expect(after(argv, '--volume')).toEqual(['/data/jobs/j1/workspace:/job:rw,Z']);
    expect(after(argv, '--workdir')).toEqual(['/job']);
    expect(after(argv, '--userns')).toEqual(['keep-id:uid=1000,gid=1000']);
    expect(after(argv, '--device')).toEqual(['nvidia.com/gpu=1']);
    expect(after(argv, '--env-file')).toEqual(['/tmp/e/env']);
    expect(argv).not.toContain('--rm'); // removed by cleanup, after its OOM flag was read
    expect(argv.slice(-3)).toEqual(['docker.io/library/python:3.12', 'python', 'train.py']);
  });

  it("outbound: podman's user-mode network without the host's loopback; docker's bridge and --gpus", () => {
    expect(
      after(
        buildContainerArgs({
          ...base,
          engine: 'podman',
          network: 'outbound',
          rootless: true,
          podmanMajor: 4,
        }),
        '--network',
      ),
    ).toEqual(['slirp4netns:allow_host_loopback=false']);
    expect(
      after(
        buildContainerArgs({
          ...base,
          engine: 'podman',
          network: 'outbound',
          rootless: true,
          podmanMajor: 5,
        }),
        '--network',
      ),
    ).toEqual(['pasta:--no-map-gw']);
    const docker = buildContainerArgs({ ...base, engine: 'docker', network: 'outbound', rootless: false });
    expect(after(docker, '--network')).toEqual(['bridge']);
    expect(after(docker, '--gpus')).toEqual(['"device=1"']);
    expect(after(docker, '--user')).toEqual(['1000:1000']);
  });

  it('plans an image job with the env in a private file and removes the container at cleanup', async () => {
    const runner = fakeRunner({ 'podman info': { stdout: 'true 4.3.1' } }, ['podman']);
    const workspace = tempDir();
    const b = createContainerBackend({ runner, engine: 'podman', tempRoot: tempDir() });
    const spec = { ...makeSpec(['python', 'x.py'], { env: { TOKEN: 'sekrit' } }), image: 'localhost/job:1' };
    const plan = await b.plan({ id: 'j2', spec, workspace, gpuDevices: [] });
    expect(plan.command).toBe('/usr/bin/podman');
    expect(plan.args.join(' ')).not.toContain('sekrit');
    const envFile = plan.args[plan.args.indexOf('--env-file') + 1] as string;
    expect(readFileSync(envFile, 'utf8')).toContain('TOKEN=sekrit\n');
    await plan.cleanup();
    expect(runner.calls).toContain('podman rm --force nocturne-j2');
    await expect(b.plan({ id: 'j3', spec: makeSpec(['true']), workspace, gpuDevices: [] })).rejects.toThrow(
      /names no image/,
    );
  });
});
