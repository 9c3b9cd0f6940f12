import type { GpuInfo } from '../../../shared/schemas/gpu';
import { formatMemory, formatPercent, formatPower } from './gpu-format';
import { formatTemperature, type TemperatureUnit } from './temperature';

/**
 * The card's live readings, replaced on every telemetry sample. Deliberately not a live region: a
 * screen reader announcing four numbers every second would drown everything else out.
 */
export function GpuReadings({
  info,
  unit,
  temperatureLimitC,
}: {
  info: GpuInfo;
  unit: TemperatureUnit;
  temperatureLimitC: number;
}) {
  const hot = info.temperatureC !== null && info.temperatureC >= temperatureLimitC;
  return (
    <dl className="gpu-readings">
      <div className={hot ? 'gpu-reading gpu-reading--hot' : 'gpu-reading'}>
        <dt>Temperature</dt>
        <dd data-testid="gpu-temperature">{formatTemperature(info.temperatureC, unit)}</dd>
      </div>
      <div className="gpu-reading">
        <dt>Power draw</dt>
        <dd data-testid="gpu-power">{formatPower(info)}</dd>
      </div>
      <div className="gpu-reading">
        <dt>Utilization</dt>
        <dd data-testid="gpu-utilization">{formatPercent(info.utilizationPct)}</dd>
      </div>
      <div className="gpu-reading">
        <dt>Fan</dt>
        <dd data-testid="gpu-fan">{formatPercent(info.fanPct)}</dd>
      </div>
      <div className="gpu-reading">
        <dt>Memory</dt>
        <dd data-testid="gpu-memory">{formatMemory(info)}</dd>
      </div>
    </dl>
  );
}
