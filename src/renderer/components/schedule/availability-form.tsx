import { useId, useRef, useState, type FormEvent } from 'react';
import { FormActions } from '../form-actions';
import { api } from '../../api';
import type { Settings, SettingsPatch } from '../../../shared/schemas/settings';
import { describeError, withFieldName, type DescribedError } from '../../format/schedule-format';

type Mode = Settings['availabilityMode'];
type Field = 'availabilityMode' | 'idleMinutes' | 'ownGames';
const FIELDS: readonly Field[] = ['availabilityMode', 'idleMinutes', 'ownGames'];

const MODES: readonly { value: Mode; label: string; hint: string }[] = [
  {
    value: 'schedule',
    label: 'Only inside my schedule',
    hint: 'Renting follows the weekly grid, whether or not you are at the computer.',
  },
  {
    value: 'schedule-and-idle',
    label: 'Inside my schedule, when I am away',
    hint: 'Inside the weekly grid, and only once you have left the keyboard and mouse alone for a while.',
  },
  {
    value: 'idle',
    label: 'Whenever I am away',
    hint: 'Any time you have left the keyboard and mouse alone for a while; the weekly grid is not used.',
  },
];

const LABELS: Record<Field, string> = {
  availabilityMode: 'When the GPU is for rent',
  idleMinutes: 'Minutes away before renting',
  ownGames: 'My own games',
};

/** One program per line; blank lines and repeats dropped. */
function parseGames(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean),
    ),
  ];
}

/** The typed minutes as a number, NaN when the box is empty or not a number. */
const parseMinutes = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

interface Edits {
  mode?: Mode;
  minutes?: string;
  games?: string;
}

/**
 * The availability part of the settings: the mode, the minutes away and the owner's own games. Keeps only
 * the owner's edits, as the Settings form does, so a change from elsewhere shows in untouched fields.
 */
export function AvailabilityForm({
  saved,
  onSaved,
}: {
  saved: Settings;
  onSaved: (settings: Settings) => void;
}) {
  const [edits, setEdits] = useState<Edits>({});
  const [saving, setSaving] = useState(false);
  const [justSaved, setJustSaved] = useState(false);
  const [error, setError] = useState<DescribedError<Field> | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const baseId = useId();
  const id = (field: Field) => `${baseId}-${field}`;

  const mode = edits.mode ?? saved.availabilityMode;
  const minutesText = edits.minutes ?? String(saved.idleMinutes);
  const gamesText = edits.games ?? saved.ownGames.join('\n');

  const patch: SettingsPatch = {};
  if (mode !== saved.availabilityMode) patch.availabilityMode = mode;
  const minutes = parseMinutes(minutesText);
  if (minutes !== saved.idleMinutes) patch.idleMinutes = minutes;
  const games = parseGames(gamesText);
  if (games.join('\n') !== saved.ownGames.join('\n')) patch.ownGames = games;
  const dirty = Object.keys(patch).length > 0;

  const edit = (field: Field, next: Edits) => {
    setEdits((current) => ({ ...current, ...next }));
    setJustSaved(false);
    setError((current) => {
      if (!current) return current;
      const fields = { ...current.fields };
      delete fields[field];
      return Object.keys(fields).length > 0 ? { ...current, fields } : null;
    });
  };

  const showErrors = (described: DescribedError<Field>) => {
    setError(described);
    const first = FIELDS.find((field) => described.fields[field] !== undefined);
    const control = first ? formRef.current?.elements.namedItem(first) : null;
    if (control instanceof HTMLElement) control.focus();
    else if (control instanceof RadioNodeList) (control[0] as HTMLElement | undefined)?.focus();
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!dirty || saving) return;
    if (patch.idleMinutes !== undefined && !Number.isFinite(patch.idleMinutes)) {
      showErrors({ message: '', fields: { idleMinutes: 'must be a number of minutes from 1 to 240' } });
      return;
    }
    const sent = patch;
    setSaving(true);
    setJustSaved(false);
    setError(null);
    try {
      onSaved(await api.settingsUpdate(sent));
      // Forget the edits that went out; keep any made while the save was on its way.
      setEdits((current) => {
        const next = { ...current };
        if (next.mode === mode) delete next.mode;
        if (next.minutes === minutesText) delete next.minutes;
        if (next.games === gamesText) delete next.games;
        return next;
      });
      setJustSaved(true);
    } catch (e) {
      showErrors(describeError(e, FIELDS));
    } finally {
      setSaving(false);
    }
  };

  const discard = () => {
    setEdits({});
    setError(null);
    setJustSaved(false);
  };

  const errorOf = (field: Field) => error?.fields[field];
  const a11y = (field: Field, hintId?: string) => {
    const invalid = errorOf(field) !== undefined;
    const describedBy = [invalid ? `${id(field)}-error` : null, hintId ?? null].filter(Boolean).join(' ');
    return {
      'aria-invalid': invalid || undefined,
      'aria-describedby': describedBy || undefined,
    };
  };
  const fieldError = (field: Field) => {
    const message = errorOf(field);
    return message === undefined ? null : (
      <p id={`${id(field)}-error`} className="field-error" role="alert">
        {withFieldName(LABELS[field], message)}
      </p>
    );
  };
  const otherError = error && Object.keys(error.fields).length === 0 ? error.message : null;
  const legendId = `${baseId}-mode-legend`;

  return (
    <form ref={formRef} className="panel availability-form" noValidate onSubmit={(e) => void submit(e)}>
      <fieldset
        className="availability-form__modes"
        role="radiogroup"
        aria-labelledby={legendId}
        {...a11y('availabilityMode')}
      >
        <legend id={legendId} className="availability-form__legend">
          When is the GPU for rent?
        </legend>
        {MODES.map((option) => {
          const optionId = `${id('availabilityMode')}-${option.value}`;
          return (
            <div key={option.value} className="field field--check availability-form__mode">
              <input
                id={optionId}
                type="radio"
                name="availabilityMode"
                value={option.value}
                checked={mode === option.value}
                onChange={() => edit('availabilityMode', { mode: option.value })}
                aria-describedby={`${optionId}-hint`}
              />
              <label htmlFor={optionId}>{option.label}</label>
              <p id={`${optionId}-hint`} className="field-hint availability-form__mode-hint">
                {option.hint}
              </p>
            </div>
          );
        })}
        {fieldError('availabilityMode')}
      </fieldset>

      <div className="field">
        <label htmlFor={id('idleMinutes')}>Minutes away before renting</label>
        <input
          id={id('idleMinutes')}
          name="idleMinutes"
          type="number"
          inputMode="numeric"
          min={1}
          max={240}
          step={1}
          value={minutesText}
          onChange={(e) => edit('idleMinutes', { minutes: e.target.value })}
          {...a11y('idleMinutes', `${id('idleMinutes')}-hint`)}
        />
        {fieldError('idleMinutes')}
        <p id={`${id('idleMinutes')}-hint`} className="field-hint">
          From 1 to 240. You count as away once the keyboard and mouse have been untouched this long.
        </p>
      </div>

      <div className="field">
        <label htmlFor={id('ownGames')}>My own games (one program name per line)</label>
        <textarea
          id={id('ownGames')}
          name="ownGames"
          rows={4}
          spellCheck={false}
          autoComplete="off"
          placeholder="eldenring.exe"
          value={gamesText}
          onChange={(e) => edit('ownGames', { games: e.target.value })}
          {...a11y('ownGames', `${id('ownGames')}-hint`)}
        />
        {fieldError('ownGames')}
        <p id={`${id('ownGames')}-hint`} className="field-hint">
          While one of these programs runs, your GPU is yours and not for rent.
        </p>
      </div>

      <FormActions
        saveLabel="Save availability settings"
        discardLabel="Discard availability changes"
        savedMessage="Availability settings saved"
        saving={saving}
        dirty={dirty}
        justSaved={justSaved}
        onDiscard={discard}
        error={otherError}
      />
    </form>
  );
}
