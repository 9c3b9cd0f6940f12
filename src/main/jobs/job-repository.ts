import type { Database } from 'better-sqlite3';
import type { JobSpec, JobStatus, JobSummary } from '../../shared/schemas/job';

interface JobRow {
  id: string;
  name: string;
  spec_json: string;
  status: JobStatus;
  reason: string | null;
  exit_code: number | null;
  signal: string | null;
  sandbox: string | null;
  pid: number | null;
  pid_start_ticks: number | null;
  workspace: string;
  output_dir: string;
  log_path: string;
  cancel_requested: number;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
}

export interface StoredJob extends JobSummary {
  spec: JobSpec;
  pid: number | null;
  pidStartTicks: number | null;
  workspace: string;
  cancelRequested: boolean;
}

const toJob = (r: JobRow): StoredJob => ({
  id: r.id,
  name: r.name,
  status: r.status,
  reason: r.reason,
  exitCode: r.exit_code,
  signal: r.signal,
  sandbox: r.sandbox,
  createdAt: r.created_at,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  outputDir: r.output_dir,
  logPath: r.log_path,
  spec: JSON.parse(r.spec_json) as JobSpec,
  pid: r.pid,
  pidStartTicks: r.pid_start_ticks,
  workspace: r.workspace,
  cancelRequested: r.cancel_requested === 1,
});

/** What a job is to the UI: the stored job without its spec and host-side bookkeeping. */
export function summaryOf(job: StoredJob): JobSummary {
  const {
    spec: _spec,
    pid: _pid,
    pidStartTicks: _ticks,
    workspace: _ws,
    cancelRequested: _cancel,
    ...summary
  } = job;
  return summary;
}

/** Jobs and their state history, behind named statements; every status change is one transaction. */
export function createJobRepository(db: Database) {
  const statements = {
    insert: db.prepare(
      `INSERT INTO jobs (id, name, spec_json, status, workspace, output_dir, log_path, created_at)
       VALUES (@id, @name, @specJson, 'queued', @workspace, @outputDir, @logPath, @at)`,
    ),
    get: db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?'),
    list: db.prepare<[number], JobRow>('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?'),
    live: db.prepare<[], JobRow>(
      `SELECT * FROM jobs WHERE status IN ('queued', 'preparing', 'running', 'paused')`,
    ),
    setStatus: db.prepare(
      `UPDATE jobs SET status = @status, reason = @reason,
         started_at = CASE WHEN @status = 'running' AND started_at IS NULL THEN @at ELSE started_at END,
         ended_at = CASE WHEN @status IN ('succeeded', 'failed', 'cancelled', 'lost') THEN @at ELSE ended_at END
       WHERE id = @id`,
    ),
    event: db.prepare('INSERT INTO job_events (job_id, at, status, reason) VALUES (?, ?, ?, ?)'),
    events: db.prepare<[string], { at: string; status: string }>(
      'SELECT at, status FROM job_events WHERE job_id = ? ORDER BY id',
    ),
    setProcess: db.prepare('UPDATE jobs SET pid = ?, pid_start_ticks = ?, sandbox = ? WHERE id = ?'),
    setExit: db.prepare('UPDATE jobs SET exit_code = ?, signal = ? WHERE id = ?'),
    requestCancel: db.prepare('UPDATE jobs SET cancel_requested = 1 WHERE id = ?'),
  };
  return {
    create(
      job: { id: string; spec: JobSpec; workspace: string; outputDir: string; logPath: string },
      at: Date,
    ): void {
      statements.insert.run({
        ...job,
        name: job.spec.name,
        specJson: JSON.stringify(job.spec),
        at: at.toISOString(),
      });
      statements.event.run(job.id, at.toISOString(), 'queued', null);
    },
    get(id: string): StoredJob | null {
      const row = statements.get.get(id);
      return row ? toJob(row) : null;
    },
    list: (limit = 200) => statements.list.all(limit).map(toJob),
    live: () => statements.live.all().map(toJob),
    /** A job's state changes, oldest first (when it ran, for the energy it used). */
    events: (id: string) => statements.events.all(id),
    setStatus: db.transaction((id: string, status: JobStatus, reason: string | null, at: Date) => {
      statements.setStatus.run({ id, status, reason, at: at.toISOString() });
      statements.event.run(id, at.toISOString(), status, reason);
    }),
    setProcess(id: string, pid: number, pidStartTicks: number | null, sandbox: string): void {
      statements.setProcess.run(pid, pidStartTicks, sandbox, id);
    },
    setExit(id: string, exitCode: number | null, signal: string | null): void {
      statements.setExit.run(exitCode, signal, id);
    },
    requestCancel(id: string): void {
      statements.requestCancel.run(id);
    },
  };
}

export type JobRepository = ReturnType<typeof createJobRepository>;
