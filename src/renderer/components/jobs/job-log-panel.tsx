import { useId } from 'react';
import { LazyJobTerminal } from './lazy-job-terminal';

/** The selected job's log; `name` may be the id while a just-started job is not in the list yet. */
export function JobLogPanel({ jobId, name }: { jobId: string; name: string }) {
  const headingId = useId();
  return (
    <section className="panel job-log" aria-labelledby={headingId} data-testid="job-log">
      <h2 id={headingId} className="panel__title">
        Log of {name}
      </h2>
      <LazyJobTerminal key={jobId} jobId={jobId} name={name} />
    </section>
  );
}
