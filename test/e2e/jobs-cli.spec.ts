import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { writeJob } from '../fakes/job-bundle';

const nocturne = (args: string[], dataDir: string) =>
  spawnSync(process.execPath, ['bin/nocturne.js', ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    timeout: 90_000,
  });

function jobRow(
  dataDir: string,
): { id: string; status: string; pid: number | null; workspace: string } | undefined {
  if (!existsSync(join(dataDir, 'nocturne.sqlite'))) return undefined;
  const db = new Database(join(dataDir, 'nocturne.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT id, status, pid, workspace FROM jobs ORDER BY created_at DESC LIMIT 1')
      .get() as never;
  } catch {
    return undefined;
  } finally {
    db.close();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test.describe('nocturne job', () => {
  let dir: string;
  test.beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nocturne-jobs-e2e-'));
  });
  test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('job run runs a bundle in the sandbox, collects its outputs and reports JSON', async () => {
    const spec = await writeJob(
      dir,
      { 'run.sh': '#!/bin/sh\necho "hello from $(id -u)"\nmkdir -p out && echo result > out/answer.txt\n' },
      { command: ['/bin/sh', './run.sh'], outputs: ['out'] },
    );
    const data = join(dir, 'data');
    const run = nocturne(['job', 'run', spec, '--json'], data);
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ status: 'succeeded', exitCode: 0, signal: null });
    expect(result.sandbox).toMatch(/bubblewrap/);
    expect(readFileSync(join(result.outputDir, 'out', 'answer.txt'), 'utf8')).toBe('result\n');
    expect(readFileSync(result.logPath, 'utf8')).toContain('hello from 1000');
    expect(existsSync(jobRow(data)!.workspace)).toBe(false); // nothing of the job is left but its outputs

    const failing = await writeJob(
      dir,
      { 'run.sh': '#!/bin/sh\necho bad >&2\nexit 3\n' },
      { command: ['/bin/sh', './run.sh'] },
    );
    const failed = nocturne(['job', 'run', failing, '--json'], data);
    expect(failed.status).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ status: 'failed', exitCode: 3 });
    const listed = JSON.parse(nocturne(['job', 'list', '--json'], data).stdout);
    expect(listed.map((j: { status: string }) => j.status)).toEqual(['failed', 'succeeded']);
  });

  test('a malformed job spec is refused naming the field, and nothing runs', async () => {
    const spec = await writeJob(dir, { 'run.sh': 'echo hi' }, { command: [], resources: { memoryMiB: 0 } });
    const run = nocturne(['job', 'run', spec], join(dir, 'data'));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/command/);
    expect(run.stderr).toMatch(/resources\.memoryMiB/);
  });

  test('kill -9 of Nocturne while a job runs: nothing of the job survives, and a restart records it as lost', async () => {
    test.setTimeout(60_000);
    const spec = await writeJob(
      dir,
      { 'run.sh': '#!/bin/sh\necho started\nsleep 300\n' },
      { command: ['/bin/sh', './run.sh'] },
    );
    const data = join(dir, 'data');
    const child = spawn(process.execPath, ['bin/nocturne.js', 'job', 'run', spec, '--data-dir', data], {
      stdio: 'ignore',
    });
    await expect.poll(() => jobRow(data)?.status, { timeout: 30_000 }).toBe('running');
    const { pid } = jobRow(data)!;
    expect(pid).not.toBeNull();
    expect(alive(pid!)).toBe(true);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    await expect.poll(() => alive(pid!), { timeout: 10_000 }).toBe(false);

    // A crash mid-unpack would have left this beside the workspace; reconciling removes it too.
    const row0 = jobRow(data)!;
    const leftover = join(dirname(row0.workspace), `.${basename(row0.workspace)}.unpacking-abc123`);
    mkdirSync(leftover, { recursive: true });
    // Any command that takes the data directory reconciles it.
    expect(nocturne(['settings', 'get'], data).status).toBe(0);
    expect(existsSync(leftover)).toBe(false);
    const row = jobRow(data)!;
    expect(row.status).toBe('lost');
    expect(existsSync(row.workspace)).toBe(false);
    const listed = JSON.parse(nocturne(['job', 'list', '--json'], data).stdout);
    expect(listed[0]).toMatchObject({
      status: 'lost',
      reason: 'Lost: Nocturne stopped while the job ran; nothing of it runs now.',
    });
  });

  test('job cancel from another terminal gives the job its SIGTERM grace and records it as cancelled', async () => {
    test.setTimeout(60_000);
    const spec = await writeJob(
      dir,
      {
        'run.sh':
          "#!/bin/sh\ntrap 'echo cleaning up; exit 0' TERM\necho started\nwhile :; do sleep 0.1; done\n",
      },
      { command: ['/bin/sh', './run.sh'] },
    );
    const data = join(dir, 'data');
    const child = spawn(process.execPath, [
      'bin/nocturne.js',
      'job',
      'run',
      spec,
      '--json',
      '--data-dir',
      data,
    ]);
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await expect.poll(() => jobRow(data)?.status, { timeout: 30_000 }).toBe('running');
    const { id } = jobRow(data)!;
    const cancel = nocturne(['job', 'cancel', id], data);
    expect(cancel.status, cancel.stderr).toBe(0);
    expect(await exited).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ id, status: 'cancelled' });
    expect(nocturne(['job', 'logs', id], data).stdout).toContain('cleaning up');
  });
});
