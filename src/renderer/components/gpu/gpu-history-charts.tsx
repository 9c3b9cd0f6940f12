import { useId, useState } from 'react';
import type { GpuLimits, HistoryRange } from '../../../shared/schemas/gpu';
import { useGpuHistory } from '../../hooks/use-gpu-history';
import { historyCharts } from './history-chart-specs';
import { HistoryRangePicker } from './history-range-picker';
import { LineChart } from './line-chart';
import type { TemperatureUnit } from './temperature';

/** Temperature, power and utilization of one card over the chosen range. */
export function GpuHistoryCharts({
  gpuId,
  limits,
  unit,
}: {
  gpuId: string;
  limits: GpuLimits;
  unit: TemperatureUnit;
}) {
  const [range, setRange] = useState<HistoryRange>('hour');
  const history = useGpuHistory(gpuId, range);
  const headingId = useId();

  return (
    <section className="gpu-charts" data-testid={`gpu-chart-${gpuId}`} aria-labelledby={headingId}>
      <div className="gpu-charts__head">
        <h3 id={headingId} className="gpu-section-title">
          History
        </h3>
        <HistoryRangePicker value={range} onChange={setRange} />
      </div>
      {history.data ? (
        <div className="gpu-charts__list">
          {historyCharts(history.data, { unit, ...limits }).map((chart) => (
            <LineChart key={chart.title} {...chart} />
          ))}
        </div>
      ) : history.error ? (
        <div className="gpu-charts__message" role="alert">
          <p>Couldn’t load the history: {history.error.message}</p>
          <button type="button" className="button" onClick={history.reload}>
            Retry
          </button>
        </div>
      ) : (
        <p className="gpu-charts__message loading" role="status">
          Loading history…
        </p>
      )}
    </section>
  );
}
