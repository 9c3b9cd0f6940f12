import { useId } from 'react';
import type { JobSummary } from '../../../shared/schemas/job';
import { newestFirst } from '../../hooks/use-job-list';
import { JobRow } from './job-row';

export function JobList({
  jobs,
  selectedId,
  onSelect,
  onChanged,
}: {
  jobs: readonly JobSummary[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onChanged: (job: JobSummary) => void;
}) {
  const headingId = useId();
  return (
    <section className="panel job-list" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel__title">
        All jobs
      </h2>
      {jobs.length === 0 ? (
        <p className="panel__text" data-testid="jobs-empty">
          No jobs have run here yet. The self-test runs one.
        </p>
      ) : (
        <ul className="job-list__items">
          {newestFirst(jobs).map((job) => (
            <JobRow
              key={job.id}
              job={job}
              selected={job.id === selectedId}
              onSelect={onSelect}
              onChanged={onChanged}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
