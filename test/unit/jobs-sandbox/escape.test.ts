// The escape suite: real bubblewrap plans, real limits, hostile jobs. Each test shows the job was held
// (and how), that the host did not change, and the words the runner will show for it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { directorySizeBytes } from '../../../src/main/jobs/limits/directory-size';
import { createBubblewrapBackend } from '../../../src/main/jobs/sandbox/bubblewrap';
import { createProcessRunner } from '../../../src/main/os/process-runner';
import {
  alive,
  bwrapProbe,
  cleanupAll,
  limitsHere,
  makeSpec,
  MAX_PROCESSES,
  planJob,
  runPlan,
  sleep,
  tempDir,
} from './sandbox-harness';

afterEach(cleanupAll);

const skipReason = bwrapProbe.ok ? '' : ` (skipped: ${bwrapProbe.reason})`;
const sh = (script: string) => ['/bin/sh', '-c', script];

describe.skipIf(!bwrapProbe.ok)(`escape suite: real bwrap plans${skipReason}`, () => {
  it('cannot read /etc/shadow', async () => {
    expect(existsSync('/etc/shadow')).toBe(true); // the host has one
    const workspace = tempDir();
    const spec = makeSpec(sh('ls /etc; cat /etc/shadow'));
    const out = await runPlan(await planJob(spec, workspace), spec, { workspace });
    expect(out.stderr).toMatch(/\/etc\/shadow: No such file or directory/);
    const etc = out.stdout.split('\n').filter(Boolean);
    for (const hostOnly of ['shadow', 'gshadow', 'sudoers', 'ssh', 'machine-id'])
      expect(etc).not.toContain(hostOnly);
    expect(out.reason).toBe("Failed: the job's program exited with code 1.");
    expect(out.leftInCgroup).toEqual([]);
  });

  it("cannot see the owner's home, /root or /home", async () => {
    const home = tempDir('nocturne-owner-home-');
    const sentinel = join(home, 'nocturne-sentinel-home.txt');
    writeFileSync(sentinel, 'owner secret');
    const workspace = tempDir();
    const spec = makeSpec(
      sh(
        `cat ${sentinel}; ls /root; ls /home; ` +
          `find / \\( -path /proc -o -path /usr \\) -prune -o -name 'nocturne-sentinel*' -print 2>/dev/null; ` +
          'echo HOME=$HOME; exit 0',
      ),
    );
    const out = await runPlan(await planJob(spec, workspace), spec, { workspace });
    expect(out.stdout).not.toContain('owner secret');
    expect(out.stdout).not.toContain('nocturne-sentinel');
    expect(out.stdout).toContain('HOME=/job');
    expect(out.stderr).toMatch(/nocturne-sentinel-home.txt: No such file or directory/);
    expect(out.stderr).toMatch(/\/root': No such file or directory/);
    expect(out.stderr).toMatch(/\/home': No such file or directory/);
    expect(readFileSync(sentinel, 'utf8')).toBe('owner secret');
    expect(out.reason).toBe('Finished: the job exited successfully.');
  });

  it("cannot read another job's workspace", async () => {
    const a = tempDir('nocturne-job-a-');
    const b = tempDir('nocturne-job-b-');
    writeFileSync(join(a, 'mine.txt'), 'job A data');
    writeFileSync(join(b, 'secret.txt'), 'job B secret');
    const spec = makeSpec(
      sh(
        `ls /job; cat ${b}/secret.txt; cat ../${basename(b)}/secret.txt; ` +
          `find / \\( -path /proc -o -path /usr \\) -prune -o -name secret.txt -print 2>/dev/null; exit 0`,
      ),
    );
    const out = await runPlan(await planJob(spec, a), spec, { workspace: a });
    expect(out.stdout.trim()).toBe('mine.txt');
    expect(out.stdout).not.toContain('job B secret');
    expect(out.stderr).toMatch(/secret.txt: No such file or directory/);
  });

  it('cannot write outside its workspace (/usr, /etc, /, /dev, the host /tmp)', async () => {
    const workspace = tempDir();
    const hostTmpFile = join(tmpdir(), `nocturne-escape-${process.pid}-${Date.now()}`);
    const targets = [
      '/usr/nocturne-escape',
      '/etc/nocturne-escape',
      '/nocturne-escape',
      '/dev/nocturne-escape',
    ];
    const spec = makeSpec(
      sh(
        [...targets, hostTmpFile, '/job/ok.txt']
          .map((t) => `if echo x > ${t} 2>/dev/null; then echo "wrote ${t}"; else echo "refused ${t}"; fi`)
          .join('; '),
      ),
    );
    const out = await runPlan(await planJob(spec, workspace), spec, { workspace });
    for (const t of targets) expect(out.stdout).toContain(`refused ${t}`);
    // /tmp inside is a private tmpfs: the write lands there, never on the host.
    expect(out.stdout).toContain(`wrote ${hostTmpFile}`);
    expect(existsSync(hostTmpFile)).toBe(false);
    for (const t of ['/usr/nocturne-escape', '/etc/nocturne-escape', '/nocturne-escape'])
      expect(existsSync(t)).toBe(false);
    // The workspace is the one writable host path, and what the job writes there is the owner's user's.
    expect(readFileSync(join(workspace, 'ok.txt'), 'utf8')).toBe('x\n');
    expect(statSync(join(workspace, 'ok.txt')).uid).toBe(process.getuid?.());
  });

  describe('network', () => {
    let server: Server;
    let port = 0;
    let connections = 0;
    const listen = async () => {
      connections = 0;
      server = createServer((socket) => {
        // The probe hangs up as soon as it connects; a reset then is expected, not a failure.
        socket.on('error', () => {});
        connections++;
        socket.end('hello from the host\n');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    };
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const probe = () =>
      sh(
        `if (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null; then echo bash-connected; else echo bash-refused; fi; ` +
          `python3 -c "import socket; socket.create_connection(('127.0.0.1', ${port}), 2); print('py-connected')" ` +
          `2>/dev/null || echo py-refused; ip -o link 2>/dev/null || cat /proc/net/dev`,
      ).map((s, i) => (i === 0 ? '/bin/bash' : s));

    it("with network 'none', cannot reach a listener on the host's 127.0.0.1", async () => {
      await listen();
      const workspace = tempDir();
      const spec = makeSpec(probe());
      const out = await runPlan(await planJob(spec, workspace), spec, { workspace });
      expect(out.stdout).toContain('bash-refused');
      expect(out.stdout).toContain('py-refused');
      expect(out.stdout).not.toMatch(/eth|ens|enp|wlan|docker|veth/); // only lo
      await sleep(50);
      expect(connections).toBe(0);
    });

    it("with network 'outbound', the same probe does connect (the control: and the known gap)", async () => {
      await listen();
      const workspace = tempDir();
      const spec = makeSpec(probe(), { network: 'outbound' });
      const out = await runPlan(await planJob(spec, workspace), spec, { workspace });
      expect(out.stdout).toContain('bash-connected');
      expect(connections).toBeGreaterThan(0);
    });
  });

  it('cannot list or signal host processes', async () => {
    const sentinel = spawn('/bin/sleep', ['60'], { stdio: 'ignore' });
    const hostPid = sentinel.pid as number;
    try {
      const workspace = tempDir();
      const spec = makeSpec(
        sh(
          `ps -e -o pid=,comm=; echo ---; ls /proc | grep -E '^[0-9]+$' | tr '\\n' ' '; echo; ` +
            `ls -d /proc/${hostPid} 2>&1; kill -9 ${hostPid} && echo killed || echo kill-failed; exit 0`,
        ),
      );
      const out = await runPlan(await planJob(spec, workspace), spec, { workspace });
      const [psPart = '', rest = ''] = out.stdout.split('---');
      const names = psPart
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/)[1]);
      // Only the sandbox's own: bwrap's init, the shell, ps.
      expect(names.length).toBeLessThanOrEqual(5);
      expect(names).not.toContain('sleep');
      expect(names).not.toContain('node');
      const pids = (rest.split('\n')[1] ?? '').trim().split(' ').map(Number);
      expect(Math.max(...pids)).toBeLessThan(20); // its own pid namespace
      expect(rest).toContain('kill-failed');
      expect(alive(hostPid)).toBe(true);
    } finally {
      sentinel.kill('SIGKILL');
    }
  });

  it.skipIf(!limitsHere.pids)(
    `a fork bomb is held to its process limit, the host stays responsive, and killing the group ends it${limitsHere.pidsNote}`,
    async () => {
      const workspace = tempDir();
      const spec = makeSpec(['/bin/bash', '-c', 'bomb() { bomb | bomb & }; bomb; sleep 30'], {
        maxSeconds: 3,
      });
      const plan = await planJob(spec, workspace);
      expect(plan.limits.pids).toBe(true);
      let worstSpawnMs = 0;
      let mostMembers = 0;
      const out = await runPlan(plan, spec, {
        workspace,
        during: async () => {
          const until = Date.now() + 2_500;
          while (Date.now() < until) {
            const t = performance.now();
            const r = spawnSync('/bin/true');
            expect(r.status).toBe(0);
            worstSpawnMs = Math.max(worstSpawnMs, performance.now() - t);
            mostMembers = Math.max(mostMembers, (await plan.limits.members()).length);
            await sleep(100);
          }
        },
        killAfterDuring: true, // the runner's time limit, shortened
      });
      expect(out.pidsLimitHit).toBe(true);
      expect(mostMembers).toBeGreaterThan(10);
      expect(mostMembers).toBeLessThanOrEqual(MAX_PROCESSES);
      expect(worstSpawnMs).toBeLessThan(1_000);
      expect(out.leftInCgroup).toEqual([]);
      expect(out.reason).toBe(
        `Stopped: too many processes (limit ${MAX_PROCESSES}); it was then stopped at its 3 s time limit.`,
      );
    },
  );

  it.skipIf(!limitsHere.memory)(
    `is OOM-killed when it takes more memory than it was given, and the reason says so${limitsHere.memoryNote}`,
    async () => {
      const workspace = tempDir();
      const spec = makeSpec(sh('head -c 300M /dev/zero | tail; echo "tail exited $?"'), { memoryMiB: 64 });
      const plan = await planJob(spec, workspace);
      expect(plan.limits.memory).toBe(true);
      const out = await runPlan(plan, spec, { workspace });
      expect(out.stdout).toContain('tail exited 137'); // SIGKILL from the OOM killer
      expect(out.oomKilled).toBe(true);
      expect(out.memoryPeakBytes).not.toBeNull();
      expect(out.memoryPeakBytes as number).toBeLessThanOrEqual(64 * 1024 * 1024);
      expect(out.reason).toBe('Stopped: the job used more memory than its 64 MiB.');
    },
  );

  it('cannot write one file bigger than its disk (RLIMIT_FSIZE stops the writer)', async () => {
    const workspace = tempDir();
    const spec = makeSpec(['dd', 'if=/dev/zero', 'of=/job/big', 'bs=1M', 'count=64'], { diskMiB: 8 });
    const out = await runPlan(await planJob(spec, workspace), spec, { workspace });
    expect(out.exitCode).toBe(128 + 25); // bwrap's code for a command killed by SIGXFSZ
    expect(statSync(join(workspace, 'big')).size).toBeLessThanOrEqual(8 * 1024 * 1024);
    expect(out.reason).toBe('Stopped: the job wrote more than its 8 MiB of disk.');
  });

  it('without cgroups or prlimit (rlimits, shell ulimit), the file-size and CPU-time limits still hold', async () => {
    const bare = createBubblewrapBackend({
      runner: createProcessRunner(),
      prlimitPath: null,
      limitMechanism: { mechanism: 'rlimits', reason: 'test: as if no cgroup were writable' },
    });
    const workspace = tempDir();
    const spec = makeSpec(
      sh('ulimit -f; ulimit -t; dd if=/dev/zero of=/job/big bs=1M count=64 2>/dev/null'),
      {
        diskMiB: 8,
      },
    );
    const plan = await bare.plan({ id: `t-rlimits-${process.pid}`, spec, workspace, gpuDevices: [] });
    try {
      expect(plan.limits).toMatchObject({ mechanism: 'rlimits', memory: false, cpu: false });
      expect(plan.limits.summary).toMatch(
        /^rlimits \(test: as if no cgroup were writable\): memory 256 MiB \(not enforced\)/,
      );
      const out = await runPlan(plan, spec, { workspace });
      expect(out.stdout.split('\n').slice(0, 2)).toEqual([String(8 * 2048), String(20 + 10)]); // 512-byte blocks; s
      expect(statSync(join(workspace, 'big')).size).toBe(8 * 1024 * 1024);
      expect(out.reason).toBe('Stopped: the job wrote more than its 8 MiB of disk.');
    } finally {
      await plan.cleanup();
    }
  });

  it('cannot fill more disk than given with many small files (the runner polls the workspace)', async () => {
    const workspace = tempDir();
    const spec = makeSpec(
      sh(
        'i=0; while [ $i -lt 64 ]; do head -c 1048576 /dev/zero > f$i; i=$((i+1)); sleep 0.05; done; echo wrote-all',
      ),
      { diskMiB: 8 },
    );
    const out = await runPlan(await planJob(spec, workspace), spec, { workspace, diskPollMs: 200 });
    expect(out.diskExceeded).toBe(true);
    expect(out.stdout).not.toContain('wrote-all');
    expect(existsSync(join(workspace, 'f63'))).toBe(false);
    expect(await directorySizeBytes(workspace)).toBeLessThan(24 * 1024 * 1024);
    expect(out.reason).toBe('Stopped: the job wrote more than its 8 MiB of disk.');
  });

  it('cannot escape through links in its bundle', async () => {
    const other = tempDir('nocturne-job-other-');
    writeFileSync(join(other, 'secret.txt'), 'other job secret');
    const workspace = tempDir();
    mkdirSync(join(workspace, 'sub'));
    symlinkSync('/etc', join(workspace, 'etc-link'));
    symlinkSync('/root', join(workspace, 'root-link'));
    symlinkSync(`../${basename(other)}`, join(workspace, 'other-rel'));
    symlinkSync(other, join(workspace, 'other-abs'));
    symlinkSync('../../..', join(workspace, 'sub', 'up'));
    const spec = makeSpec(
      sh(
        'cat etc-link/shadow; cat etc-link/passwd; ls root-link; cat other-rel/secret.txt; cat other-abs/secret.txt; ' +
          'ls sub/up; exit 0',
      ),
    );
    const out = await runPlan(await planJob(spec, workspace), spec, { workspace });
    expect(out.stdout).not.toContain('other job secret');
    expect(out.stdout).not.toMatch(/^root:/m); // the sandbox's passwd: one user
    expect(out.stdout).toContain('sandbox:x:1000:1000');
    expect(out.stderr).toMatch(/etc-link\/shadow: No such file or directory/);
    expect(out.stderr).toMatch(/other-rel\/secret.txt: No such file or directory/);
    expect(out.stderr).toMatch(/other-abs\/secret.txt: No such file or directory/);
    // `..` from /job is the sandbox's own root, not the host's.
    expect(out.stdout).toMatch(/\bjob\b/);
    expect(out.stdout).not.toContain('lost+found');
  });

  it('cannot make nested user namespaces or gain capabilities', async () => {
    const workspace = tempDir();
    const spec = makeSpec(
      sh(
        'unshare -U -r true && echo userns-made || echo userns-refused; grep CapEff /proc/self/status; id -u',
      ),
    );
    const out = await runPlan(await planJob(spec, workspace), spec, { workspace });
    expect(out.stdout).toContain('userns-refused');
    expect(out.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(out.stdout).toMatch(/^1000$/m);
  });

  it("sees only the plan's environment, never the host's", async () => {
    process.env.NOCTURNE_HOST_SECRET = 'host-only';
    try {
      const workspace = tempDir();
      const spec = makeSpec(sh('env | sort'), { env: { RENTER_VAR: 'hello', BASH_ENV: '/job/evil.sh' } });
      writeFileSync(join(workspace, 'evil.sh'), 'echo sourced > /job/evil-ran\n');
      const plan = await planJob(spec, workspace);
      const out = await runPlan(plan, spec, { workspace });
      expect(out.stdout).not.toContain('NOCTURNE_HOST_SECRET');
      expect(out.stdout).toContain('RENTER_VAR=hello');
      expect(out.stdout).toContain('PATH=/usr/local/bin:/usr/bin:/bin');
      // The spec's env never reaches the host-side launcher shell (BASH_ENV would run there otherwise).
      expect(plan.env).toEqual({ PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' });
      expect(existsSync(join(workspace, 'evil-ran'))).toBe(false);
      // ...nor the host's command lines.
      expect(plan.args.join(' ')).not.toContain('RENTER_VAR');
    } finally {
      delete process.env.NOCTURNE_HOST_SECRET;
    }
  });
});
