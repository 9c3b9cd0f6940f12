import type { HistoryRange } from '../../../shared/schemas/gpu';

const RANGES: readonly { range: HistoryRange; label: string }[] = [
  { range: 'hour', label: 'Last hour' },
  { range: 'day', label: 'Last day' },
  { range: 'month', label: 'Last month' },
];

/** Three toggle buttons; aria-pressed tells screen readers which range the charts show. */
export function HistoryRangePicker({
  value,
  onChange,
}: {
  value: HistoryRange;
  onChange: (range: HistoryRange) => void;
}) {
  return (
    <div className="range-picker" role="group" aria-label="Chart range">
      {RANGES.map(({ range, label }) => (
        <button
          key={range}
          type="button"
          className="range-picker__button"
          aria-pressed={range === value}
          onClick={() => onChange(range)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
