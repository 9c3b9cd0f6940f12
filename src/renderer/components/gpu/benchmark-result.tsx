import type { BenchmarkRecord, WebGpuAdapterSummary } from '../../../shared/schemas/benchmark';
import {
  formatBytes,
  formatGbPerSecond,
  formatGflops,
  formatMeasuredAt,
  formatPeakGbPerSecond,
  formatShare,
  formatTflops,
  peakSource,
  type GpuPeakView,
} from './benchmark-format';
import { useOwnerZone } from '../../hooks/use-owner-zone';

export const FALLBACK_SENTENCE =
  'Measured on a software adapter (no GPU driver was usable for WebGPU), so these figures say nothing about this card.';

/**
 * A stored benchmark next to the card's spec-sheet peak. Only figures main stored are shown; the share
 * of the peak is left out for a software adapter, whose speed is the CPU's, not the card's.
 */
export function BenchmarkResult({ record, peak }: { record: BenchmarkRecord; peak: GpuPeakView | null }) {
  const zone = useOwnerZone();
  const { result } = record;
  const fallback = result.adapter.isFallbackAdapter;
  const adapter = adapterName(result.adapter);

  return (
    <div className="bench-result">
      {fallback ? (
        <p className="bench-result__fallback" role="note">
          {FALLBACK_SENTENCE}
        </p>
      ) : null}
      <div className="bench-figures">
        <div className="bench-figure">
          <p className="bench-figure__main">
            FP32 matmul:{' '}
            <data data-testid="bench-gflops" value={result.matmul.gflops}>
              {formatGflops(result.matmul.gflops)}
            </data>
          </p>
          {peak ? (
            <PeakComparison
              measured={result.matmul.gflops}
              peak={peak.fp32Tflops * 1000}
              source={peakSource(peak, formatTflops(peak.fp32Tflops))}
              fallback={fallback}
            />
          ) : null}
          <p className="bench-figure__detail">
            {result.matmul.size} × {result.matmul.size} matrices, median of{' '}
            {trials(result.matmul.trialsGflops)}
          </p>
        </div>
        <div className="bench-figure">
          <p className="bench-figure__main">
            Memory bandwidth:{' '}
            <data data-testid="bench-bandwidth" value={result.bandwidth.gbPerSecond}>
              {formatGbPerSecond(result.bandwidth.gbPerSecond)}
            </data>
          </p>
          {peak ? (
            <PeakComparison
              measured={result.bandwidth.gbPerSecond}
              peak={peak.memoryBandwidthGBs}
              source={peakSource(peak, formatPeakGbPerSecond(peak.memoryBandwidthGBs))}
              fallback={fallback}
            />
          ) : null}
          <p className="bench-figure__detail">
            Copying a {formatBytes(result.bandwidth.bytes)} buffer (read + write), median of{' '}
            {trials(result.bandwidth.trialsGbPerSecond)}
          </p>
        </div>
      </div>
      <p className="bench-result__when">
        Measured on <time dateTime={record.at}>{formatMeasuredAt(record.at, zone)}</time> with{' '}
        {record.driverVersion === null ? 'an unknown driver version' : `driver ${record.driverVersion}`}
        {adapter ? ` on WebGPU adapter “${adapter}”` : ''}.
      </p>
      {peak ? null : <p className="bench-result__no-peak">No spec-sheet peak is known for this card.</p>}
    </div>
  );
}

/**
 * "34.7 % of 35.6 TFLOPS peak (… spec sheet)". `measured` and `peak` must be in the same unit. A
 * software adapter's figure gets no share: a percentage would read as the card's efficiency.
 */
function PeakComparison({
  measured,
  peak,
  source,
  fallback,
}: {
  measured: number;
  peak: number;
  source: string;
  fallback: boolean;
}) {
  return (
    <p className="bench-figure__peak">
      {fallback
        ? `Not comparable with this card's ${source}.`
        : `${formatShare(measured, peak)} of ${source}`}
    </p>
  );
}

const trials = (values: readonly number[]) => (values.length === 1 ? '1 trial' : `${values.length} trials`);

/** Browsers often blank these fields for privacy; whatever they did give helps tell adapters apart. */
function adapterName(adapter: WebGpuAdapterSummary): string {
  if (adapter.description) return adapter.description;
  return [adapter.vendor, adapter.architecture, adapter.device].filter(Boolean).join(' ');
}
