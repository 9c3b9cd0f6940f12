import type { JobStatus } from '../../shared/schemas/job';
import type { SessionRunner } from './job-session-types';
import type { SessionWriter } from './session-writer';

type WireState = 'preparing' | 'running' | 'paused';

/** The runner's status as `status` says it; null once the job ended (`ended` says the rest). */
function wireState(status: JobStatus): WireState | null {
  if (status === 'paused' || status === 'running') return status;
  if (status === 'queued' || status === 'preparing') return 'preparing';
  return null;
}

/**
 * The renter's `status` messages while the job runs. A request while one is still queued is folded into
 * it, and the figures are read when its turn to be written comes, so a slow renter gets fewer, fresher
 * statuses rather than a backlog. Returns the function that asks for one.
 */
export function createStatusReporter(deps: {
  enqueue: SessionWriter['enqueue'];
  runner: Pick<SessionRunner, 'get'>;
  /** The job while the session is in its running phase; null before and after it. */
  runningJobId(): string | null;
  billedMs(): number;
  owedFor(billedMs: number): bigint;
  signed(): bigint;
  pauseReason(): string;
}): () => void {
  let queued = false;
  return () => {
    if (queued || deps.runningJobId() === null) return;
    queued = true;
    void deps.enqueue(() => {
      queued = false;
      const jobId = deps.runningJobId();
      if (jobId === null) return null;
      const job = deps.runner.get(jobId);
      if (!job) return null;
      const state = wireState(job.status);
      if (state === null) return null;
      const ms = deps.billedMs();
      return {
        v: 1,
        type: 'status',
        state,
        billedMs: ms,
        owed: deps.owedFor(ms).toString(),
        signed: deps.signed().toString(),
        reason: state === 'paused' ? deps.pauseReason() : null,
      };
    });
  };
}
