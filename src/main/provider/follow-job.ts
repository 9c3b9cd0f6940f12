import type { JobStatus, JobSummary } from '../../shared/schemas/job';
import type { JobFeed } from './job-session-types';
import type { PaymentWatch } from './payment-watch';
import type { RentalRecord } from './rental-record';

/**
 * Step 5 of a session, while its job lives: the job's output goes to the renter, its running/paused
 * changes to the ledger and out as a status, and a status goes out every `statusIntervalMs` besides (the
 * renter pays by them). Resolves with the job's summary once it ended, or null when the runner dropped it
 * (`lost`, at shutdown); either way the payments watch is disposed and the feed let go.
 *
 * Everything up to the wait happens synchronously on the call, so the caller may act on the running job
 * (cancel it) right after calling, before awaiting.
 */
export async function followJob(deps: {
  job: { id: string; done: Promise<JobSummary> };
  lost: Promise<null>;
  jobFeed: JobFeed;
  payments: PaymentWatch;
  record: Pick<RentalRecord, 'setSecondsRun' | 'setStatus'>;
  billedMs(): number;
  pushLog(data: string): void;
  requestStatus(): void;
  statusIntervalMs: number;
}): Promise<JobSummary | null> {
  const { job, record, requestStatus } = deps;
  let lastStatus: JobStatus | null = null;
  const unsubscribe = deps.jobFeed.subscribe({
    output: (id, data) => {
      if (id === job.id) deps.pushLog(data);
    },
    change: (summary) => {
      if (summary.id !== job.id || summary.status === lastStatus) return;
      lastStatus = summary.status;
      if (summary.status === 'running' || summary.status === 'paused') {
        record.setSecondsRun(deps.billedMs());
        record.setStatus(summary.status, summary.status === 'paused' ? summary.reason : null);
      }
      requestStatus();
    },
  });
  const ticker = setInterval(requestStatus, deps.statusIntervalMs);
  ticker.unref();
  requestStatus();
  try {
    return await Promise.race([job.done, deps.lost]);
  } finally {
    clearInterval(ticker);
    deps.payments.dispose();
    unsubscribe();
  }
}
