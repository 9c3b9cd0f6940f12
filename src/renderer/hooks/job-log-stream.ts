import { api, connection } from '../api';
import { createLogJoiner } from './log-joiner';
import { toError } from './use-api-data';

/** Where a job's log goes: the terminal and its plain-text mirror. */
export interface JobLogSink {
  /** Forget everything shown: the stream is starting again from the top of the log. */
  reset(): void;
  write(data: string): void;
  /** Why the stored log could not be read, or null once it could. */
  failed(message: string | null): void;
}

/**
 * Streams one job's log into `sink`: the output main has stored so far, then the live output, joined so
 * that nothing is lost or doubled (see log-joiner). Starts again from scratch whenever the event
 * connection (re)opens, since output pushed while it was down never arrives. Returns the way to stop.
 */
export function streamJobLog(id: string, sink: JobLogSink): () => void {
  let stopOutput: (() => void) | null = null;
  // Each start takes a number; a fetch answered after a newer start (or after stopping) is dropped.
  let generation = 0;

  const start = () => {
    const mine = ++generation;
    stopOutput?.();
    sink.reset();
    const joiner = createLogJoiner((data) => sink.write(data));
    // Listen before asking, so output sent while the answer travels is heard; the joiner removes what
    // the answer already holds.
    stopOutput = api.onJobOutput((batch) => {
      if (batch.id === id) joiner.push(batch.data);
    });
    api.jobLogs({ id }).then(
      ({ text }) => {
        if (mine !== generation) return;
        sink.failed(null);
        joiner.fetched(text);
      },
      (error: unknown) => {
        if (mine !== generation) return;
        sink.failed(toError(error).message);
        // Still show the live output heard meanwhile, and from now on.
        joiner.fetched('');
      },
    );
  };

  const stopWatching = connection.subscribe((state) => {
    if (state === 'open') start();
  });
  start();

  return () => {
    generation++;
    stopWatching();
    stopOutput?.();
    stopOutput = null;
  };
}
