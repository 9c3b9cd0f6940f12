import type { JobSummary } from '../../../shared/schemas/job';
import { formatDuration } from '../../format/duration';
import { useNow } from '../../hooks/use-now';
import { formatOwnerTime } from '../../format/owner-time';
import { useOwnerZone } from '../../hooks/use-owner-zone';

/** When a job started and how long it ran (or has been running); "Not started" before it starts. */
export function JobTimes({ job }: { job: JobSummary }) {
  const zone = useOwnerZone();
  if (!job.startedAt) {
    return <span className="job-times">{job.endedAt ? 'Never started' : 'Not started yet'}</span>;
  }
  return (
    <span className="job-times">
      Started <time dateTime={job.startedAt}>{formatOwnerTime(job.startedAt, zone, 'moment')}</time>
      {' · '}
      {job.endedAt ? (
        <>Ran {formatDuration(Date.parse(job.endedAt) - Date.parse(job.startedAt))}</>
      ) : (
        <LiveDuration since={job.startedAt} />
      )}
    </span>
  );
}

/** Its own component so that only this text re-renders every second, not the whole list. */
function LiveDuration({ since }: { since: string }) {
  const now = useNow(1000);
  return <>Running for {formatDuration(now - Date.parse(since))}</>;
}
