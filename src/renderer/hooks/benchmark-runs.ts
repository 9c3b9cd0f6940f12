import { api, connection } from '../api';
import type { BenchmarkProgress } from '../../shared/schemas/benchmark';
import { toError } from './use-api-data';

/** A benchmark running on one card, as far as this window knows. */
export interface RunningBenchmark {
  /** Null until main answers the start request; progress may arrive before that answer does. */
  runId: string | null;
  /** Null until the first progress event. */
  progress: BenchmarkProgress | null;
}

/** How the last run on a card ended, for the card to say so. */
export type BenchmarkOutcome = { kind: 'finished' } | { kind: 'failed'; error: string };

export interface BenchmarkRunsState {
  running: Readonly<Record<string, RunningBenchmark>>;
  outcomes: Readonly<Record<string, BenchmarkOutcome>>;
}

const EMPTY: BenchmarkRunsState = { running: {}, outcomes: {} };

/**
 * Benchmark runs shared by every card on the page. It lives outside React because main runs one
 * benchmark at a time for the whole machine, so each card's button must know about the others' runs,
 * and the page component (which would otherwise hold this) is not ours to change.
 *
 * Runs are keyed by GPU id, not run id: main may push progress, or even the end of a run that failed to
 * launch, before the start request has answered with the run id.
 */
let state: BenchmarkRunsState = EMPTY;
const listeners = new Set<() => void>();
let stopEvents: (() => void) | null = null;
// Bumped whenever the state is thrown away, so a start request answered afterwards changes nothing.
let epoch = 0;

function update(next: BenchmarkRunsState) {
  state = next;
  for (const listener of listeners) listener();
}

function withRun(gpuId: string, run: RunningBenchmark | null, outcome?: BenchmarkOutcome | null) {
  const running = { ...state.running };
  if (run) running[gpuId] = run;
  else delete running[gpuId];
  const outcomes = { ...state.outcomes };
  if (outcome) outcomes[gpuId] = outcome;
  else if (outcome === null) delete outcomes[gpuId];
  update({ running, outcomes });
}

function listenToMain(): () => void {
  const stopProgress = api.onGpuBenchProgress(({ runId, gpuId, progress }) => {
    // Also covers a run started elsewhere (another window, `nocturne gpu bench`): main refuses a second
    // run anyway, so the buttons should say so before the owner clicks.
    withRun(gpuId, { runId, progress });
  });
  const stopFinished = api.onGpuBenchFinished(({ gpuId, error }) => {
    // The record itself reaches the card through the GPU list (see useLiveGpuList).
    withRun(gpuId, null, error === null ? { kind: 'finished' } : { kind: 'failed', error });
  });
  // Events pushed while the connection was down are lost, the end of a run among them; forget the
  // runs rather than keep the buttons disabled for good. A run still going reports progress again.
  const stopWatching = connection.subscribe((next) => {
    if (next === 'open' && Object.keys(state.running).length > 0) update({ ...state, running: {} });
  });
  return () => {
    stopProgress();
    stopFinished();
    stopWatching();
  };
}

export const benchmarkRuns = {
  get: (): BenchmarkRunsState => state,

  /** For useSyncExternalStore. Main's events are listened to only while some card is on screen. */
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    stopEvents ??= listenToMain();
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0) return;
      stopEvents?.();
      stopEvents = null;
      // Nothing is heard while the page is away, so what is known now would go stale.
      epoch++;
      state = EMPTY;
    };
  },

  /** Starts a run on one card; a refusal from main (one already running, no Chromium) becomes its outcome. */
  async start(gpuId: string): Promise<void> {
    if (Object.keys(state.running).length > 0) return;
    const mine = epoch;
    withRun(gpuId, { runId: null, progress: null }, null);
    try {
      const { runId } = await api.gpuBenchmark({ gpuId });
      const run = state.running[gpuId];
      // Without an entry the run has already ended (its finished event came first): nothing to add.
      if (mine === epoch && run && run.runId === null) withRun(gpuId, { ...run, runId });
    } catch (error) {
      if (mine === epoch) withRun(gpuId, null, { kind: 'failed', error: toError(error).message });
    }
  },
};
