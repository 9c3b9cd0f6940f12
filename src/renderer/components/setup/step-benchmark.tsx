import { rentalGpu } from '../../../shared/rental-gpu';
import type { GpuView } from '../../../shared/schemas/gpu';
import { useGpuBenchmark } from '../../hooks/use-gpu-benchmark';
import { useLiveGpuList } from '../../hooks/use-live-gpu-list';
import { BenchmarkResult } from '../gpu/benchmark-result';

/** Measures the card renters get, so offers can state its speed and the price can be suggested from it. */
export function StepBenchmark() {
  const { source, withLiveReadings } = useLiveGpuList();
  if (source.data === undefined) return <p role="status">Loading…</p>;
  const card = rentalGpu(withLiveReadings(source.data).gpus);
  if (!card)
    return <p>There is no GPU to measure yet. Come back to this step once Nocturne finds your card.</p>;
  return <BenchmarkCard card={card} />;
}

function BenchmarkCard({ card }: { card: GpuView }) {
  const { run, anyRunning, outcome, start } = useGpuBenchmark(card.info.id);
  return (
    <div data-testid="setup-benchmark">
      <p>
        A short WebGPU test of {card.info.name}: matrix work and memory speed, about a minute. Renters see the
        figure in your offer, and it is what a suggested price starts from.
      </p>
      <div className="setup-actions">
        <button type="button" className="button button--primary" disabled={anyRunning} onClick={start}>
          {card.benchmark ? 'Measure again' : 'Run the benchmark'}
        </button>
        <p className="gpu-bench__status" role="status">
          {run
            ? (run.progress?.message ?? 'Starting the benchmark…')
            : outcome?.kind === 'finished'
              ? 'Done.'
              : ''}
        </p>
      </div>
      {run ? (
        <progress
          className="gpu-bench__progress"
          aria-label="Benchmark progress"
          max={1}
          value={run.progress?.fraction}
        />
      ) : null}
      {outcome?.kind === 'failed' ? (
        <p className="form-error" role="alert">
          {outcome.error}
        </p>
      ) : null}
      {card.benchmark ? <BenchmarkResult record={card.benchmark} peak={card.peak} /> : null}
    </div>
  );
}
