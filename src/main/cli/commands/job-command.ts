import { createWriteStream, existsSync, mkdtempSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { JobSummary } from '../../../shared/schemas/job';
import { readProcStat } from '../../availability/signals/proc-stat';
import { signalSandboxedJob } from '../../jobs/sandbox/signal-job';
import { createCore } from '../../core/create-core';
import { resolveDataDir } from '../../data-dir/resolve-data-dir';
import { JobSpecError, loadJobSpec } from '../../jobs/spec/load-job-spec';
import { printData, UsageError, type CliIo } from '../cli-io';

export const jobHelp = `nocturne job run SPEC.json [--json]
nocturne job list [--json]
nocturne job logs ID [--follow]
nocturne job cancel ID

run     runs a job in the sandbox to its end, printing its output; prints { id, status, exitCode,
        signal, reason, outputDir, logPath, sandbox } with --json; exits 0 only if it succeeded
list    past and present jobs
logs    a job's output (--follow: until it ends)
cancel  stops a running job (SIGTERM, then SIGKILL after 5 s)`;

const resultOf = (job: JobSummary) => ({
  id: job.id,
  status: job.status,
  exitCode: job.exitCode,
  signal: job.signal,
  reason: job.reason,
  outputDir: job.outputDir,
  logPath: job.logPath,
  sandbox: job.sandbox,
});

/** A URL bundle is fetched to a temp file, capped at the job's disk size; its sha256 is checked later. */
async function fetchBundle(url: string, maxBytes: number): Promise<string> {
  const response = await fetch(url);
  if (!response.ok || !response.body)
    throw new Error(`Could not download the bundle from ${url}: HTTP ${response.status}`);
  const file = join(mkdtempSync(join(tmpdir(), 'nocturne-bundle-')), 'bundle.tar.gz');
  let size = 0;
  const body = Readable.fromWeb(response.body as never);
  body.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes)
      body.destroy(new Error(`The bundle at ${url} is larger than the job's ${maxBytes} bytes of disk.`));
  });
  await pipeline(body, createWriteStream(file));
  return file;
}

async function run(
  specFile: string,
  values: { json?: boolean; 'data-dir'?: string },
  io: CliIo,
): Promise<number> {
  const { spec, dir } = await loadJobSpec(specFile);
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env, platform: process.platform });
  const core = createCore({ dataDir, mode: 'headless' });
  try {
    const bundle =
      'path' in spec.bundle
        ? resolve(dir, spec.bundle.path)
        : await fetchBundle(spec.bundle.url, spec.resources.diskMiB * 1024 * 1024);
    if (!existsSync(bundle)) throw new JobSpecError(`${specFile}: bundle.path: ${bundle} does not exist`);
    const { id, done } = core.jobs.start(spec, bundle);
    if (!values.json) {
      core.events.subscribe((event, payload) => {
        if (event === 'job:output' && (payload as { id: string }).id === id)
          io.out((payload as { data: string }).data);
      });
    }
    const stop = () => core.jobs.cancel(id, 'Cancelled from the terminal (Ctrl+C)');
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const summary = await done;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    printData(
      io,
      values.json === true,
      resultOf(summary),
      () => `\n${summary.name}: ${summary.status}. ${summary.reason ?? ''}`,
    );
    return summary.status === 'succeeded' ? 0 : 1;
  } finally {
    core.close();
  }
}

function readFrom(file: string, offset: number): { text: string; next: number } {
  if (!existsSync(file)) return { text: '', next: offset };
  const size = statSync(file).size;
  const start = size < offset ? 0 : offset; // the log was trimmed: start over from its new head
  const buffer = Buffer.alloc(size - start);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, start);
  } finally {
    closeSync(fd);
  }
  return { text: buffer.toString('utf8'), next: size };
}

export async function jobCommand(
  positionals: string[],
  values: { json?: boolean; 'data-dir'?: string; follow?: boolean },
  io: CliIo,
): Promise<number> {
  const [verb, arg, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`Too many arguments: "${rest.join(' ')}".`);
  if (verb === 'run') {
    if (!arg) throw new UsageError('Usage: nocturne job run SPEC.json');
    try {
      return await run(arg, values, io);
    } catch (error) {
      if (error instanceof JobSpecError) {
        io.err(`nocturne: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  }
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env, platform: process.platform });
  // Reading and cancelling work beside the process that runs the job.
  const core = createCore({ dataDir, mode: 'headless', lock: false });
  try {
    const jobs = core.jobRecords;
    if (verb === 'list') {
      const list = core.jobs.list().map(resultOf);
      printData(io, values.json === true, list, () =>
        list.length === 0
          ? 'No jobs yet.'
          : list.map((j) => `${j.id}  ${j.status.padEnd(9)}  ${j.reason ?? ''}`).join('\n'),
      );
      return 0;
    }
    if (!arg) throw new UsageError(`Usage: nocturne job ${verb ?? 'logs'} ID`);
    const job = jobs.get(arg);
    if (!job) {
      io.err(`nocturne: no job with id "${arg}".\n`);
      return 1;
    }
    if (verb === 'logs') {
      let { text, next } = readFrom(job.logPath, 0);
      io.out(text);
      while (
        values.follow &&
        !['succeeded', 'failed', 'cancelled', 'lost'].includes(jobs.get(arg)?.status ?? 'lost')
      ) {
        await new Promise((r) => setTimeout(r, 250));
        ({ text, next } = readFrom(job.logPath, next));
        io.out(text);
      }
      if (values.follow) io.out(readFrom(job.logPath, next).text);
      return 0;
    }
    if (verb === 'cancel') {
      if (['succeeded', 'failed', 'cancelled', 'lost'].includes(job.status)) {
        io.err(`nocturne: job ${arg} has already ended (${job.status}).\n`);
        return 1;
      }
      jobs.requestCancel(arg);
      const stat = job.pid === null ? null : readProcStat(job.pid);
      if (job.pid !== null && stat && (job.pidStartTicks === null || stat.startTime === job.pidStartTicks)) {
        try {
          process.kill(-job.pid, 'SIGCONT');
          // SIGTERM to bwrap would end the job at once: the job's own processes get it, and their grace.
          if (signalSandboxedJob(job.pid, 'SIGTERM') === 0) process.kill(-job.pid, 'SIGTERM');
          const pid = job.pid;
          setTimeout(() => {
            try {
              process.kill(-pid, 'SIGKILL');
            } catch {
              // ended within the grace period
            }
          }, 5_000).unref();
        } catch {
          // already gone
        }
      }
      io.out(`Cancelling ${arg}.\n`);
      return 0;
    }
    throw new UsageError(`Unknown job command "${verb}". Use run, list, logs or cancel.`);
  } finally {
    core.close();
  }
}
