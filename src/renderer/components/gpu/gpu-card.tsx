import { useId } from 'react';
import type { GpuView, GuardActionEvent } from '../../../shared/schemas/gpu';
import { UNKNOWN, vendorName } from './gpu-format';
import { GpuBenchmark } from './gpu-benchmark';
import { GpuGuardStatus } from './gpu-guard-status';
import { GpuHistoryCharts } from './gpu-history-charts';
import { GpuLimitsForm } from './gpu-limits-form';
import { GpuReadings } from './gpu-readings';
import type { TemperatureUnit } from './temperature';

/** One graphics card: what it is, how it is doing now, what it measured, its limits and its history. */
export function GpuCard({
  view,
  unit,
  lastGuardAction,
  onLimitsApplied,
}: {
  view: GpuView;
  unit: TemperatureUnit;
  lastGuardAction: GuardActionEvent | undefined;
  onLimitsApplied: (view: GpuView) => void;
}) {
  const { info, limits } = view;
  const titleId = useId();
  return (
    <section className="gpu-card" data-testid="gpu-card" data-gpu-id={info.id} aria-labelledby={titleId}>
      <header className="gpu-card__head">
        <h2 id={titleId} className="gpu-card__name">
          {info.name}
        </h2>
        <dl className="gpu-card__details">
          <div>
            <dt>Vendor</dt>
            <dd>{vendorName(info.vendor)}</dd>
          </div>
          <div>
            <dt>Bus ID</dt>
            <dd>
              <code>{info.busId ?? UNKNOWN}</code>
            </dd>
          </div>
          <div>
            <dt>Driver</dt>
            <dd>{info.driverVersion ?? UNKNOWN}</dd>
          </div>
        </dl>
      </header>
      <GpuGuardStatus view={view} lastAction={lastGuardAction} />
      <GpuReadings info={info} unit={unit} temperatureLimitC={limits.temperatureLimitC} />
      <GpuBenchmark gpuId={info.id} record={view.benchmark} peak={view.peak} />
      <div className="gpu-card__body">
        <GpuLimitsForm key={unit} gpuId={info.id} limits={limits} unit={unit} onApplied={onLimitsApplied} />
        <GpuHistoryCharts gpuId={info.id} limits={limits} unit={unit} />
      </div>
    </section>
  );
}
