import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { FormActions } from '../form-actions';
import { api } from '../../api';
import type { ScheduleView } from '../../../shared/schemas/availability';
import { PRESETS, presetSlots, slotsToWindows, type PresetName } from '../../../shared/schedule/windows';
import { countSlots } from '../../../shared/schedule/week-slots';
import {
  describeError,
  slotsDuration,
  withFieldName,
  type DescribedError,
} from '../../format/schedule-format';
import { TimeZoneField } from './time-zone-field';
import { WeekGrid, type SlotsUpdate } from './week-grid';

type ScheduleField = 'timezone' | 'slots';
const FIELDS: readonly ScheduleField[] = ['timezone', 'slots'];

const PRESET_BUTTONS: readonly { name: PresetName; text: string }[] = [
  { name: 'overnight', text: 'Overnight' },
  { name: 'workdays', text: 'Workdays' },
  { name: 'always', text: 'Always' },
  { name: 'never', text: 'Never' },
];
const PRESET_SLOTS = Object.fromEntries(PRESET_BUTTONS.map((p) => [p.name, presetSlots(p.name)])) as Record<
  PresetName,
  string
>;

/**
 * The weekly grid, its presets and its time zone. Like the settings form it keeps only the owner's
 * edits: an untouched part shows what main holds, and Save sends both parts together.
 */
export function ScheduleEditor({
  saved,
  onSaved,
}: {
  saved: ScheduleView;
  onSaved: (view: ScheduleView) => void;
}) {
  const [slotsEdit, setSlotsEdit] = useState<string | null>(null);
  const [zoneEdit, setZoneEdit] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [justSaved, setJustSaved] = useState(false);
  const [error, setError] = useState<DescribedError<ScheduleField> | null>(null);
  const zoneInput = useRef<HTMLDivElement>(null);
  const baseId = useId();
  const titleId = `${baseId}-title`;
  const helpId = `${baseId}-help`;
  const slotsErrorId = `${baseId}-slots-error`;
  const zoneId = `${baseId}-zone`;

  const slots = slotsEdit ?? saved.slots;
  const zone = zoneEdit ?? saved.timezone;
  const dirty = slots !== saved.slots || zone !== saved.timezone;
  const windows = useMemo(() => slotsToWindows(slots), [slots]);
  const hours = slotsDuration(countSlots(slots));

  const touched = (field: ScheduleField) => {
    setJustSaved(false);
    setError((current) => {
      if (!current) return current;
      const fields = { ...current.fields };
      delete fields[field];
      // A refusal about the other field stays until that field changes; anything else goes with an edit.
      return Object.keys(fields).length > 0 ? { ...current, fields } : null;
    });
  };

  const changeSlots: SlotsUpdate = (update) => {
    setSlotsEdit((current) => update(current ?? saved.slots));
    touched('slots');
  };

  const changeZone = (next: string) => {
    setZoneEdit(next);
    touched('timezone');
  };

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!dirty || saving) return;
    const sent = { timezone: zone.trim(), slots };
    setSaving(true);
    setJustSaved(false);
    setError(null);
    try {
      onSaved(await api.scheduleSet(sent));
      // Keep whatever the owner changed while the save was on its way.
      setSlotsEdit((current) => (current === sent.slots ? null : current));
      setZoneEdit((current) => (current === null || current.trim() === sent.timezone ? null : current));
      setJustSaved(true);
    } catch (e) {
      const described = describeError(e, FIELDS);
      setError(described);
      if (described.fields.timezone !== undefined) zoneInput.current?.querySelector('input')?.focus();
    } finally {
      setSaving(false);
    }
  };

  const discard = () => {
    setSlotsEdit(null);
    setZoneEdit(null);
    setError(null);
    setJustSaved(false);
  };

  const zoneError = error?.fields.timezone;
  const slotsError = error?.fields.slots;
  const otherError = error && !zoneError && !slotsError ? error.message : null;

  return (
    <section className="panel schedule-panel" aria-labelledby={titleId}>
      <div className="schedule-panel__head">
        <h2 id={titleId} className="panel__title">
          Weekly schedule
        </h2>
        <p className="panel__text">
          Mark the hours of the week when your GPU may be rented out, in the time zone below.
        </p>
      </div>
      <form className="schedule-form" noValidate onSubmit={(e) => void save(e)}>
        <div className="schedule-presets" role="group" aria-label="Presets">
          <span className="schedule-presets__label" aria-hidden="true">
            Presets
          </span>
          {PRESET_BUTTONS.map((preset) => (
            <button
              key={preset.name}
              type="button"
              className={`button button--small${slots === PRESET_SLOTS[preset.name] ? ' button--current' : ''}`}
              title={PRESETS[preset.name].label}
              onClick={() => changeSlots(() => PRESET_SLOTS[preset.name])}
            >
              {preset.text}
            </button>
          ))}
        </div>

        <div className="week-grid-scroll">
          <WeekGrid
            slots={slots}
            onChange={changeSlots}
            labelledBy={titleId}
            describedBy={slotsError !== undefined ? `${slotsErrorId} ${helpId}` : helpId}
          />
        </div>
        <div className="week-grid-legend">
          <span className="week-grid-legend__item">
            <span className="week-grid-legend__swatch week-grid-legend__swatch--on" aria-hidden="true" />
            For rent
          </span>
          <span className="week-grid-legend__item">
            <span className="week-grid-legend__swatch" aria-hidden="true" />
            Not for rent
          </span>
          <p id={helpId} className="field-hint week-grid-legend__help">
            Drag across the grid to mark hours; start on a marked hour to clear them. With the keyboard: arrow
            keys move, Space marks or clears, Shift and an arrow carries the mark along.
          </p>
        </div>
        {slotsError !== undefined ? (
          <p id={slotsErrorId} className="field-error" role="alert">
            {withFieldName('The schedule', slotsError)}
          </p>
        ) : null}

        <div className="schedule-windows" data-testid="schedule-windows">
          <h3 className="schedule-windows__title">
            {hours} a week{windows.length > 0 ? ':' : ''}
          </h3>
          {windows.length > 0 ? (
            <ul className="schedule-windows__list">
              {windows.map((text) => (
                <li key={text}>
                  <code>{text}</code>
                </li>
              ))}
            </ul>
          ) : (
            <p className="panel__text">No hours marked: the schedule never puts your GPU up for rent.</p>
          )}
        </div>

        <div ref={zoneInput}>
          <TimeZoneField
            id={zoneId}
            value={zone}
            onChange={changeZone}
            error={zoneError === undefined ? undefined : withFieldName('The time zone', zoneError)}
          />
        </div>

        <FormActions
          saveLabel="Save schedule"
          discardLabel="Discard schedule changes"
          savedMessage="Schedule saved"
          saving={saving}
          dirty={dirty}
          justSaved={justSaved}
          onDiscard={discard}
          error={otherError}
        />
      </form>
    </section>
  );
}
