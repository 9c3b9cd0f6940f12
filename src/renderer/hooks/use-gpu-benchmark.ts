import { useCallback, useSyncExternalStore } from 'react';
import { benchmarkRuns, type BenchmarkOutcome, type RunningBenchmark } from './benchmark-runs';

export interface GpuBenchmarkState {
  /** The run on this card, if one is going. */
  run: RunningBenchmark | undefined;
  /** Whether any card's run is going: main runs one at a time, so every button waits for it. */
  anyRunning: boolean;
  /** How this card's last run (started or watched since the page opened) ended. */
  outcome: BenchmarkOutcome | undefined;
  start: () => void;
}

/** One card's view of the page's benchmark runs. */
export function useGpuBenchmark(gpuId: string): GpuBenchmarkState {
  const state = useSyncExternalStore(benchmarkRuns.subscribe, benchmarkRuns.get);
  const start = useCallback(() => void benchmarkRuns.start(gpuId), [gpuId]);
  return {
    run: state.running[gpuId],
    anyRunning: Object.keys(state.running).length > 0,
    outcome: state.outcomes[gpuId],
    start,
  };
}
