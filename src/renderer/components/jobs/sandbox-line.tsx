import type { JobListView } from '../../hooks/use-job-list';

/** Which isolation strangers' jobs get on this PC, or, loudly, why they cannot run at all. */
export function SandboxLine({ sandbox }: { sandbox: JobListView['sandbox'] }) {
  if (sandbox.available) {
    return (
      <p className="jobs-sandbox" data-testid="jobs-sandbox">
        Jobs run in: <strong>{sandbox.description}</strong>
      </p>
    );
  }
  return (
    <div className="panel panel--warning jobs-sandbox" data-testid="jobs-sandbox">
      <p className="panel__text">Jobs cannot run here: {sandbox.description}</p>
    </div>
  );
}
