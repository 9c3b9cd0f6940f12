// Limit mechanisms against fake cgroup trees (plain folders), so the v2 path is covered on this v1 machine.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareCgroupV1 } from '../../../src/main/jobs/limits/cgroup-v1';
import { prepareCgroupV2 } from '../../../src/main/jobs/limits/cgroup-v2';
import { detectLimitMechanism } from '../../../src/main/jobs/limits/detect-limit-mechanism';
import { releaseStaleCgroups } from '../../../src/main/jobs/limits/prepare-limits';
import { countTasksOfUser, prepareRlimits } from '../../../src/main/jobs/limits/rlimits';
import { assertSafeJobId, cpuSecondsBudget, type LimitRequest } from '../../../src/main/jobs/limits/types';
import { cleanupAll, tempDir } from './sandbox-harness';

afterEach(cleanupAll);

const request: LimitRequest = {
  jobId: 'job-1',
  memoryMiB: 64,
  cpus: 1.5,
  maxProcesses: 64,
  diskMiB: 8,
  maxSeconds: 100,
};
const read = (...parts: string[]) => readFileSync(join(...parts), 'utf8');
const files = (dir: string, entries: Record<string, string>) => {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(entries)) writeFileSync(join(dir, name), text);
};

/** A unified (v2) tree: our process sits in /user.slice/app.scope, which holds a process of ours. */
function fakeV2(controllers = 'cpu memory pids') {
  const root = tempDir('nocturne-cg2-');
  files(root, { 'cgroup.controllers': 'cpu io memory pids' });
  const own = join(root, 'user.slice', 'app.scope');
  files(own, {
    'cgroup.controllers': controllers,
    'cgroup.procs': `${process.pid}\n`,
    'cgroup.subtree_control': '',
  });
  const procSelf = join(root, 'self-cgroup');
  writeFileSync(procSelf, '0::/user.slice/app.scope\n');
  return { root, own, procSelf };
}

describe('detectLimitMechanism', () => {
  it('prefers cgroup v2 when our own cgroup is writable and handed memory and pids', async () => {
    const { root, own, procSelf } = fakeV2();
    const found = await detectLimitMechanism({ cgroupRoot: root, procSelfCgroup: procSelf });
    expect(found).toMatchObject({ mechanism: 'cgroup-v2', base: own });
  });

  it('falls back to rlimits on v2 without the memory controller, and says so', async () => {
    const { root, procSelf } = fakeV2('cpu pids');
    const found = await detectLimitMechanism({ cgroupRoot: root, procSelfCgroup: procSelf });
    expect(found.mechanism).toBe('rlimits');
    expect(found.reason).toMatch(/not handed the memory controller/);
  });

  it('finds v1 hierarchies and makes the nocturne parent in each', async () => {
    const root = tempDir('nocturne-cg1-');
    files(join(root, 'memory'), { 'cgroup.procs': '', 'memory.limit_in_bytes': '' });
    files(join(root, 'memory', 'nocturne'), { 'cgroup.procs': '', 'memory.limit_in_bytes': '' });
    files(join(root, 'pids'), { 'cgroup.procs': '' });
    files(join(root, 'pids', 'nocturne'), { 'cgroup.procs': '', 'pids.max': '' });
    const found = await detectLimitMechanism({ cgroupRoot: root });
    expect(found.mechanism).toBe('cgroup-v1');
    if (found.mechanism !== 'cgroup-v1') return;
    expect(found.controllers).toEqual({
      memory: join(root, 'memory', 'nocturne'),
      pids: join(root, 'pids', 'nocturne'),
      cpu: null,
      freezer: null,
    });
  });

  it('says when there is no cgroup hierarchy at all', async () => {
    const found = await detectLimitMechanism({ cgroupRoot: tempDir() });
    expect(found).toEqual({ mechanism: 'rlimits', reason: expect.stringMatching(/no cgroup hierarchy/) });
  });
});

describe('cgroup v2 (fake tree)', () => {
  it('moves our processes to a leaf, hands the controllers down, and sets the job limits', async () => {
    const { root, own } = fakeV2();
    const limits = await prepareCgroupV2(
      { root, base: own, controllers: ['cpu', 'memory', 'pids'] },
      request,
    );
    expect(read(own, 'nocturne-app', 'cgroup.procs')).toBe(String(process.pid));
    expect(read(own, 'cgroup.subtree_control')).toBe('+memory +pids +cpu');
    const job = join(own, 'nocturne-job-job-1');
    expect(read(job, 'memory.max')).toBe(String(64 * 1024 * 1024));
    expect(read(job, 'memory.swap.max')).toBe('0');
    expect(read(job, 'memory.oom.group')).toBe('1');
    expect(read(job, 'pids.max')).toBe('64');
    expect(read(job, 'cpu.max')).toBe('150000 100000');
    expect(limits.joinFiles).toEqual([join(job, 'cgroup.procs')]);
    expect(limits).toMatchObject({
      mechanism: 'cgroup-v2',
      memory: true,
      cpu: true,
      pids: true,
      freezer: true,
    });

    writeFileSync(join(job, 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n');
    writeFileSync(join(job, 'memory.peak'), '67108864\n');
    writeFileSync(join(job, 'pids.events'), 'max 12\n');
    expect(await limits.oomKilled()).toBe(true);
    expect(await limits.memoryPeakBytes()).toBe(64 * 1024 * 1024);
    expect(await limits.pidsLimitHit()).toBe(true);

    writeFileSync(join(job, 'cgroup.events'), 'populated 1\nfrozen 1\n');
    expect(await limits.freeze(100)).toBe(true);
    expect(read(job, 'cgroup.freeze')).toBe('1');
    await limits.thaw();
    expect(read(job, 'cgroup.freeze')).toBe('0');

    await limits.attach(process.pid);
    expect(read(job, 'cgroup.procs')).toBe(String(process.pid));
  });

  it('needs no leaf where the controllers are handed down already', async () => {
    const { root, own } = fakeV2();
    writeFileSync(join(own, 'cgroup.subtree_control'), 'memory pids');
    await prepareCgroupV2({ root, base: own, controllers: ['memory', 'pids'] }, request);
    expect(existsSync(join(own, 'nocturne-app'))).toBe(false);
    expect(existsSync(join(own, 'nocturne-job-job-1', 'cpu.max'))).toBe(false);
  });
});

describe('cgroup v1 (fake tree)', () => {
  it('sets memory (and memory+swap), pids and the CFS quota', async () => {
    const root = tempDir('nocturne-cg1-');
    const dirs = {
      memory: join(root, 'memory'),
      pids: join(root, 'pids'),
      cpu: join(root, 'cpu'),
      freezer: null,
    };
    for (const d of [dirs.memory, dirs.pids, dirs.cpu]) mkdirSync(d);
    const limits = await prepareCgroupV1(dirs, request);
    expect(read(dirs.memory, 'job-1', 'memory.limit_in_bytes')).toBe(String(64 * 1024 * 1024));
    expect(read(dirs.memory, 'job-1', 'memory.memsw.limit_in_bytes')).toBe(String(64 * 1024 * 1024));
    expect(read(dirs.pids, 'job-1', 'pids.max')).toBe('64');
    expect(read(dirs.cpu, 'job-1', 'cpu.cfs_period_us')).toBe('100000');
    expect(read(dirs.cpu, 'job-1', 'cpu.cfs_quota_us')).toBe('150000');
    expect(limits).toMatchObject({
      mechanism: 'cgroup-v1',
      memory: true,
      cpu: true,
      pids: true,
      freezer: false,
    });
    expect(limits.joinFiles).toHaveLength(3);
    expect(await limits.freeze()).toBe(false);
    writeFileSync(
      join(dirs.memory, 'job-1', 'memory.oom_control'),
      'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n',
    );
    expect(await limits.oomKilled()).toBe(true);
  });
});

describe('releaseStaleCgroups', () => {
  it("removes the cgroups of our own ended jobs only: live ones and other instances' jobs stay", async () => {
    const root = tempDir('nocturne-cg1-');
    const memory = join(root, 'memory');
    for (const id of ['old-1', 'live-1', 'other-instance-1'])
      mkdirSync(join(memory, id), { recursive: true });
    const removed = await releaseStaleCgroups(
      {
        mechanism: 'cgroup-v1',
        reason: '',
        root,
        controllers: { memory, pids: null, cpu: null, freezer: null },
      },
      ['old-1'],
    );
    expect(removed).toEqual([join(memory, 'old-1')]);
    expect(existsSync(join(memory, 'live-1'))).toBe(true);
    expect(existsSync(join(memory, 'other-instance-1'))).toBe(true);
    const { root: root2, own } = fakeV2();
    mkdirSync(join(own, 'nocturne-job-gone'));
    mkdirSync(join(own, 'nocturne-job-someone-elses'));
    mkdirSync(join(own, 'nocturne-app'));
    expect(
      await releaseStaleCgroups(
        { mechanism: 'cgroup-v2', reason: '', root: root2, base: own, controllers: [] },
        ['gone'],
      ),
    ).toEqual([join(own, 'nocturne-job-gone')]);
    expect(existsSync(join(own, 'nocturne-job-someone-elses'))).toBe(true);
  });
});

describe('rlimits', () => {
  it('holds file size and CPU time always; process count only for a non-root user, above what it runs already', () => {
    const asRoot = prepareRlimits(request, { uid: 0 });
    expect(asRoot).toMatchObject({ mechanism: 'rlimits', memory: false, cpu: false, pids: false });
    expect(asRoot.rlimits).toEqual({
      fsizeBytes: 8 * 1024 * 1024,
      cpuSeconds: cpuSecondsBudget(100, 1.5),
      nproc: null,
    });
    const asUser = prepareRlimits(request, { uid: 4242, procRoot: tempDir() });
    expect(asUser.pids).toBe(true);
    expect(asUser.rlimits.nproc).toBe(64);
    expect(countTasksOfUser(process.getuid?.() ?? 0)).toBeGreaterThan(0);
    expect(cpuSecondsBudget(100, 1.5)).toBe(160);
  });

  it('refuses job ids that could walk out of a cgroup folder', () => {
    for (const bad of ['..', '../x', 'a/b', '', '.hidden', 'a b'])
      expect(() => assertSafeJobId(bad)).toThrow();
    expect(() => assertSafeJobId('job-20250101-ab12cd34')).not.toThrow();
  });
});
