import { useId } from 'react';

/** The zone this computer's clock runs in, as the runtime reports it. */
export function computerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function knownZones(): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    // An engine without the list still accepts typed names; main checks them.
  }
  return zones.includes('UTC') ? zones : [...zones, 'UTC'].sort();
}

const ZONES = knownZones();

/**
 * A typed zone name with the runtime's list as suggestions: a <select> of 400 names is slow to use, and
 * a stored alias (Asia/Calcutta) that the list spells differently still shows as it is.
 */
export function TimeZoneField({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: string;
  onChange: (zone: string) => void;
  error: string | undefined;
}) {
  const listId = useId();
  const here = computerTimeZone();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field time-zone-field">
      <label htmlFor={id}>Time zone</label>
      <div className="time-zone-field__row">
        <input
          id={id}
          name="timezone"
          type="text"
          list={listId}
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error !== undefined || undefined}
          aria-describedby={error !== undefined ? `${errorId} ${hintId}` : hintId}
        />
        <button type="button" className="button" onClick={() => onChange(here)}>
          Use this computer's zone
        </button>
      </div>
      <datalist id={listId}>
        {ZONES.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      {error !== undefined ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <p id={hintId} className="field-hint">
        The grid follows the clock of this zone, also when you travel. This computer is in {here}.
      </p>
    </div>
  );
}
