import { useId, useState } from 'react';
import { api } from '../../api';
import type { AvailabilityView } from '../../../shared/schemas/availability';
import { toError } from '../../hooks/use-api-data';
import { formatOwnerTime } from '../../format/owner-time';
import { useOwnerZone } from '../../hooks/use-owner-zone';

type Action = 'hour' | 'tomorrow' | 'resume';

function PauseState({ pause }: { pause: AvailabilityView['pause'] }) {
  const zone = useOwnerZone();
  if (pause === null) return <>Not paused.</>;
  if (pause.until === null) return <>Paused until you resume.</>;
  return (
    <>
      Paused until <time dateTime={pause.until}>{formatOwnerTime(pause.until, zone, 'until')}</time>.
    </>
  );
}

/** The owner's manual pause, beside the banner it changes. */
export function PausePanel({
  view,
  onChanged,
}: {
  view: AvailabilityView;
  onChanged: (view: AvailabilityView) => void;
}) {
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();

  const run = async (action: Action) => {
    setBusy(action);
    setError(null);
    try {
      if (action === 'resume') await api.appResume();
      else await api.appPause({ for: action });
    } catch (e) {
      setError(toError(e).message);
      setBusy(null);
      return;
    }
    try {
      // availability:changed brings the same news; asking keeps the page right if that event is lost.
      onChanged(await api.availabilityGet());
    } catch {
      // The event, or the next reconnect, will bring it.
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="pause-panel" aria-labelledby={titleId}>
      <div className="pause-panel__text">
        <h2 id={titleId} className="pause-panel__title">
          Pause renting
        </h2>
        <p className="pause-panel__state" data-testid="pause-state">
          <PauseState pause={view.pause} />
        </p>
      </div>
      <div className="pause-panel__actions">
        <button type="button" className="button" disabled={busy !== null} onClick={() => void run('hour')}>
          Pause 1 hour
        </button>
        <button
          type="button"
          className="button"
          disabled={busy !== null}
          onClick={() => void run('tomorrow')}
        >
          Pause until tomorrow
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={busy !== null || view.pause === null}
          onClick={() => void run('resume')}
        >
          Resume
        </button>
      </div>
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
