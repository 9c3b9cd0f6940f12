import { useId, useState } from 'react';
import { api } from '../../api';
import { toError } from '../../hooks/use-api-data';

/** Starts the built-in self-test job and hands its id up, so the page can show its log at once. */
export function SelfTestButton({ onStarted }: { onStarted: (id: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hintId = useId();

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const { id } = await api.jobSelfTest();
      onStarted(id);
    } catch (e) {
      setError(toError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="self-test">
      <button
        type="button"
        className="button button--primary"
        aria-describedby={hintId}
        disabled={busy}
        aria-busy={busy}
        onClick={() => void start()}
      >
        Run self-test
      </button>
      <p id={hintId} className="self-test__hint">
        A short job that checks the sandbox from the inside.
      </p>
      {error ? (
        <p className="inline-error" role="alert">
          Couldn’t start the self-test: {error}
        </p>
      ) : null}
    </div>
  );
}
