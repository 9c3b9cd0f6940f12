// npm run bench:jobs: how quickly a job starts and how quickly it can be paused and resumed, with the
// bubblewrap backend and the real runner (node-pty, limits, logs). Prints p50/p99 of
//  1. job start (spec accepted) -> first output line, over N jobs;
//  2. pause -> every process of the job confirmed stopped (cgroup freezer where there is one, else
//     SIGSTOP and /proc), and resume -> thawed, over M rounds.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../src/main/core/create-core';
import { parseJobSpec } from '../src/main/jobs/spec/load-job-spec';
import { writeJob } from '../test/fakes/job-bundle';

const quiet = { info() {}, warn() {}, error: (m: string, e?: unknown) => console.error(m, e) };
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (xs: number[]) =>
  `p50 ${pct(xs, 50).toFixed(1)} ms   p99 ${pct(xs, 99).toFixed(1)} ms   max ${Math.max(...xs).toFixed(1)} ms   (n=${xs.length})`;
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setImmediate(r));
};

const dir = mkdtempSync(join(tmpdir(), 'nocturne-bench-jobs-'));
const core = createCore({ dataDir: join(dir, 'data'), mode: 'headless', logger: quiet, gpuProbes: [] });
try {
  const sandbox = await core.router.call('job:list', {});
  console.log(
    `sandbox: ${sandbox.ok ? (sandbox.data as { sandbox: { description: string } }).sandbox.description : 'unknown'}`,
  );

  const specPath = await writeJob(
    dir,
    { 'run.sh': '#!/bin/sh\necho first\nwhile :; do sleep 1; done\n' },
    { command: ['/bin/sh', './run.sh'] },
  );
  const spec = parseJobSpec(JSON.parse(readFileSync(specPath, 'utf8')), 'job.json');
  const bundle = join(dir, 'bundle.tar.gz');

  const starts: number[] = [];
  const pauses: number[] = [];
  const resumes: number[] = [];
  const jobs = Number(process.env.BENCH_JOBS ?? 20);
  for (let i = 0; i < jobs; i++) {
    let firstAt = 0;
    const t0 = performance.now();
    const { id, done } = core.jobs.start(spec, bundle);
    const off = core.events.subscribe((event, payload) => {
      const p = payload as { id: string; data: string };
      if (event === 'job:output' && p.id === id && firstAt === 0 && p.data.includes('first'))
        firstAt = performance.now();
    });
    await until(() => firstAt > 0);
    starts.push(firstAt - t0);
    off();
    for (let round = 0; round < 5; round++) {
      const p0 = performance.now();
      const { frozen } = core.jobs.pause(id, 'bench');
      if (!(await frozen)) throw new Error('the job was not confirmed frozen');
      pauses.push(performance.now() - p0);
      const r0 = performance.now();
      await core.jobs.resume(id);
      resumes.push(performance.now() - r0);
    }
    core.jobs.cancel(id);
    await done;
  }
  console.log(`job start -> first output line:  ${fmt(starts)}`);
  console.log(`pause -> all processes stopped:   ${fmt(pauses)}`);
  console.log(`resume -> running again:          ${fmt(resumes)}`);
} finally {
  core.close();
  rmSync(dir, { recursive: true, force: true });
}
