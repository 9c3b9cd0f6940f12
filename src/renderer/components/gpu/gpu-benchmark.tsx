import { useId } from 'react';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark';
import { useGpuBenchmark } from '../../hooks/use-gpu-benchmark';
import type { GpuPeakView } from './benchmark-format';
import { BenchmarkResult } from './benchmark-result';

/** The card's WebGPU benchmark: a button to run it, its progress, and the latest stored result. */
export function GpuBenchmark({
  gpuId,
  record,
  peak,
}: {
  gpuId: string;
  record: BenchmarkRecord | null;
  peak: GpuPeakView | null;
}) {
  const { run, anyRunning, outcome, start } = useGpuBenchmark(gpuId);
  const headingId = useId();
  const waitHintId = useId();
  const waitingForAnother = anyRunning && !run;

  const status = run
    ? (run.progress?.message ?? 'Starting the benchmark…')
    : outcome?.kind === 'finished'
      ? 'Benchmark finished.'
      : '';

  return (
    <section className="gpu-bench" data-testid="gpu-benchmark" aria-labelledby={headingId}>
      <h3 id={headingId} className="gpu-section-title">
        Benchmark
      </h3>
      <div className="gpu-bench__actions">
        {/* Main runs one benchmark at a time, and a run is only fair to the card with nothing beside it. */}
        <button
          type="button"
          className="button"
          disabled={anyRunning}
          aria-describedby={waitingForAnother ? waitHintId : undefined}
          onClick={start}
        >
          Run benchmark
        </button>
        {/* Always rendered: a live region must exist before its text changes to be announced. */}
        <p className="gpu-bench__status" role="status">
          {status}
        </p>
      </div>
      {waitingForAnother ? (
        <p id={waitHintId} className="field-hint">
          Another card’s benchmark is running; they run one at a time.
        </p>
      ) : null}
      {run ? (
        // No value until the first progress event: an indeterminate bar rather than a false 0 %.
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
      {record ? (
        <BenchmarkResult record={record} peak={peak} />
      ) : (
        <p className="gpu-bench__empty">Not benchmarked yet</p>
      )}
    </section>
  );
}
