import { useState } from 'react';
import { api } from '../../api';
import type { JobSummary } from '../../../shared/schemas/job';
import { toError } from '../../hooks/use-api-data';

type Action = 'pause' | 'resume' | 'cancel';

const ENDED = new Set<JobSummary['status']>(['succeeded', 'failed', 'cancelled', 'lost']);

/** Which controls a job in this status offers; main refuses the others anyway. */
function actionsFor(status: JobSummary['status']): Action[] {
  if (ENDED.has(status)) return [];
  if (status === 'running') return ['pause', 'cancel'];
  if (status === 'paused') return ['resume', 'cancel'];
  return ['cancel']; // queued or preparing
}

const labels: Record<Action, string> = { pause: 'Pause job', resume: 'Resume job', cancel: 'Cancel job' };

const calls: Record<Action, (id: string) => Promise<JobSummary>> = {
  pause: (id) => api.jobPause({ id }),
  resume: (id) => api.jobResume({ id }),
  cancel: (id) => api.jobCancel({ id }),
};

/**
 * Pause, Resume and Cancel for one job. Every row has buttons with these same names, so each is also
 * described by the job's name (`describedBy`) for screen readers moving from button to button.
 */
export function JobActions({
  job,
  describedBy,
  onChanged,
}: {
  job: JobSummary;
  describedBy: string;
  onChanged: (job: JobSummary) => void;
}) {
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);
  const actions = actionsFor(job.status);
  if (actions.length === 0 && !error) return null;

  const run = async (action: Action) => {
    setBusy(action);
    setError(null);
    try {
      onChanged(await calls[action](job.id));
    } catch (e) {
      // Main says why in words, e.g. the job ended meanwhile.
      setError(toError(e).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="job-actions">
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          className={action === 'cancel' ? 'button button--small button--danger' : 'button button--small'}
          aria-describedby={describedBy}
          disabled={busy !== null}
          aria-busy={busy === action}
          onClick={() => void run(action)}
        >
          {labels[action]}
        </button>
      ))}
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
