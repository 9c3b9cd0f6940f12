import type { JobStatus } from '../../../shared/schemas/job';

// Words, not only colour: the badge must read the same to colour-blind owners and screen readers.
const labels: Record<JobStatus, string> = {
  queued: 'Queued',
  preparing: 'Preparing',
  running: 'Running',
  paused: 'Paused',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  lost: 'Lost',
};

export function JobStatusBadge({ status }: { status: JobStatus }) {
  return (
    <span className={`badge badge--job-${status}`} data-testid="job-status">
      {labels[status]}
    </span>
  );
}
