import type { ReactNode } from 'react';
import type { Settings } from '../../shared/schemas/settings';

type Tariff = Settings['electricityPerKWh'];

const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** "03:00–04:00": the hour a time-of-use price applies to, on the schedule's clock. */
export function tariffHourLabel(hour: number): string {
  return `${hh(hour)}–${hh((hour + 1) % 24 === 0 ? 24 : hour + 1)}`;
}

/** Whether two tariffs are the same prices (a list is edited as a new array each time). */
export function sameTariff(a: Tariff, b: Tariff): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** NaN (an emptied number field) travels as null in JSON, and main names the field; keep it visible. */
const shown = (value: number) => (Number.isNaN(value) ? '' : value);

/**
 * The electricity tariff: one price per kWh, or 24 by the hour of the day (time of use) on the schedule's
 * clock. Switching keeps the prices: a flat price fills every hour; hourly prices become their first.
 */
export function TariffField({
  value,
  onChange,
  error,
  a11y,
}: {
  value: Tariff;
  onChange: (value: Tariff) => void;
  error: ReactNode;
  a11y: { id: string; name: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string };
}) {
  const hourly = typeof value !== 'number';
  return (
    <div className="field">
      <label htmlFor="settings-electricityTariffKind">Electricity tariff</label>
      <select
        id="settings-electricityTariffKind"
        value={hourly ? 'hourly' : 'flat'}
        onChange={(e) =>
          onChange(
            e.target.value === 'hourly'
              ? Array.from({ length: 24 }, () => (typeof value === 'number' ? value : 0))
              : typeof value === 'number'
                ? value
                : (value[0] ?? 0),
          )
        }
      >
        <option value="flat">One price for every hour</option>
        <option value="hourly">By hour of the day (time of use)</option>
      </select>
      {hourly ? (
        <fieldset className="tariff-grid" {...a11y} aria-describedby={describedBy(a11y)}>
          <legend className="tariff-grid__legend">
            Electricity price per kWh for each hour, in your currency, on your schedule’s clock
          </legend>
          {value.map((price, hour) => (
            <div key={hour} className="tariff-grid__cell">
              <label htmlFor={`settings-electricityPerKWh-${hour}`}>{tariffHourLabel(hour)}</label>
              <input
                id={`settings-electricityPerKWh-${hour}`}
                type="number"
                inputMode="decimal"
                step="any"
                min={0}
                value={shown(price)}
                onChange={(e) => onChange(value.map((p, h) => (h === hour ? e.target.valueAsNumber : p)))}
              />
            </div>
          ))}
        </fieldset>
      ) : (
        <>
          <label htmlFor={a11y.id}>Electricity price per kWh, in your currency (0: not counted)</label>
          <input
            {...a11y}
            aria-describedby={describedBy(a11y)}
            type="number"
            inputMode="decimal"
            step="any"
            min={0}
            value={shown(value)}
            onChange={(e) => onChange(e.target.valueAsNumber)}
          />
        </>
      )}
      {error}
      <p id="settings-electricityPerKWh-hint" className="field-hint">
        Quotes refuse jobs that would not pay for their electricity, and the suggested price counts it.
      </p>
    </div>
  );
}

function describedBy(a11y: { 'aria-describedby'?: string }): string {
  return [a11y['aria-describedby'], 'settings-electricityPerKWh-hint'].filter(Boolean).join(' ');
}
