import { useId } from 'react';
import type { JobSummary } from '../../../shared/schemas/job';
import { JobActions } from './job-actions';
import { JobStatusBadge } from './job-status-badge';
import { JobTimes } from './job-times';

/**
 * One job in the list. Its name is the button that shows the job's log below the list; the status,
 * times and reason describe it, so a screen reader on the button hears which of several same-named jobs
 * (every self-test is "Self-test") it is on.
 */
export function JobRow({
  job,
  selected,
  onSelect,
  onChanged,
}: {
  job: JobSummary;
  selected: boolean;
  onSelect: (id: string) => void;
  onChanged: (job: JobSummary) => void;
}) {
  const nameId = useId();
  const statusId = useId();
  const detailsId = useId();
  return (
    <li
      className={selected ? 'job-row job-row--selected' : 'job-row'}
      data-testid="job-row"
      data-job-id={job.id}
      data-status={job.status}
    >
      <div className="job-row__head">
        <button
          type="button"
          id={nameId}
          className="job-row__name"
          aria-current={selected ? 'true' : undefined}
          aria-describedby={`${statusId} ${detailsId}`}
          onClick={() => onSelect(job.id)}
        >
          {job.name}
        </button>
        <span id={statusId}>
          <JobStatusBadge status={job.status} />
        </span>
      </div>
      <p className="job-row__details" id={detailsId}>
        <JobTimes job={job} />
        {job.reason ? <span className="job-row__reason">{job.reason}</span> : null}
      </p>
      <JobActions job={job} describedBy={nameId} onChanged={onChanged} />
    </li>
  );
}
