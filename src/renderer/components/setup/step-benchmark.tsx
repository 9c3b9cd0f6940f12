import { rentalGpu } from '../../../shared/rental-gpu';
import { useLiveGpuList } from '../../hooks/use-live-gpu-list';
import { GpuBenchmark } from '../gpu/gpu-benchmark';

/** Measures the card renters get, so offers can state its speed and the price can be suggested from it. */
export function StepBenchmark() {
  const { source, withLiveReadings } = useLiveGpuList();
  if (source.data === undefined) return <p role="status">Loading…</p>;
  const card = rentalGpu(withLiveReadings(source.data).gpus);
  if (!card)
    return <p>There is no GPU to measure yet. Come back to this step once Nocturne finds your card.</p>;
  return (
    <div data-testid="setup-benchmark">
      <p>
        A short WebGPU test of {card.info.name}: matrix work and memory speed, about a minute. Renters see the
        figure in your offer, and it is what a suggested price starts from.
      </p>
      <GpuBenchmark gpuId={card.info.id} record={card.benchmark} peak={card.peak} />
    </div>
  );
}
