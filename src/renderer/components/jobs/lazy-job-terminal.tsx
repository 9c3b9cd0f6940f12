import { useEffect, useState } from 'react';
import { toError } from '../../hooks/use-api-data';
import type { JobTerminal } from './job-terminal';

type JobTerminalComponent = typeof JobTerminal;

/**
 * xterm is more than half the app's code and only the Jobs page uses it, so it loads the first time a log
 * is shown: a separate same-origin script and stylesheet, which the CSP allows. Not React.lazy, because a
 * failed load (a stale `nocturne serve` tab after an upgrade) would then take the whole app down instead
 * of this panel.
 */
let loading: Promise<JobTerminalComponent> | null = null;
const load = () => (loading ??= import('./job-terminal').then((module) => module.JobTerminal));

export function LazyJobTerminal(props: { jobId: string; name: string }) {
  const [Loaded, setLoaded] = useState<JobTerminalComponent | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    load().then(
      (component) => {
        if (current) setLoaded(() => component);
      },
      (e: unknown) => {
        loading = null; // let the next selection try again
        if (current) setError(toError(e).message);
      },
    );
    return () => {
      current = false;
    };
  }, []);

  if (error) {
    return (
      <p className="inline-error" role="alert">
        Couldn’t load the terminal: {error}. Reloading the page may help.
      </p>
    );
  }
  if (!Loaded) {
    return (
      <p className="loading" role="status">
        Loading the terminal…
      </p>
    );
  }
  return <Loaded {...props} />;
}
