import { api } from '../api';
import type { AppStatus } from '../../shared/schemas/app-status';
import { useBusyAction } from '../hooks/use-busy-action';

/**
 * Pauses renting until the owner resumes, or resumes it; hands the status main answers with back up, so
 * the page updates at once. Timed pauses live on the Schedule page.
 */
export function PauseResumeButton({
  state,
  onChanged,
}: {
  state: AppStatus['state'];
  onChanged: (status: AppStatus) => void;
}) {
  const { busy, error, run } = useBusyAction();
  const toggle = () =>
    run(async () =>
      onChanged(state === 'active' ? await api.appPause({ for: 'indefinitely' }) : await api.appResume()),
    );

  return (
    <div className="pause-resume">
      <button
        type="button"
        className={state === 'active' ? 'button' : 'button button--primary'}
        disabled={busy}
        aria-busy={busy}
        onClick={() => void toggle()}
      >
        {state === 'active' ? 'Pause' : 'Resume'}
      </button>
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
