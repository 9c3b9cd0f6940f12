import { useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { api } from '../../api';
import type { GpuLimits, GpuView } from '../../../shared/schemas/gpu';
import {
  LIMIT_FIELDS,
  describeApplyError,
  draftToLimits,
  savedText,
  temperatureRange,
  type FieldErrors,
  type LimitField,
  type LimitsDraft,
} from './limits-draft';
import { unitSymbol, type TemperatureUnit } from './temperature';

/**
 * The owner's limits for one card. Like the settings form it keeps only the owner's edits, so a field
 * they have not touched follows what main holds (another tab, the CLI). Render it with `key={unit}`:
 * an edit typed in one unit means nothing in the other.
 */
export function GpuLimitsForm({
  gpuId,
  limits,
  unit,
  onApplied,
}: {
  gpuId: string;
  limits: GpuLimits;
  unit: TemperatureUnit;
  onApplied: (view: GpuView) => void;
}) {
  const [draft, setDraft] = useState<LimitsDraft>({});
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);
  const [applied, setApplied] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const baseId = useId();
  const saved = savedText(limits, unit);
  const range = temperatureRange(unit);

  const edit = (field: LimitField) => (event: ChangeEvent<HTMLInputElement>) => {
    const text = event.target.value;
    const badInput = event.target.validity.badInput;
    setDraft((current) => ({ ...current, [field]: { text, badInput } }));
    setFieldErrors((current) => ({ ...current, [field]: undefined }));
    setFormError(null);
    setApplied(false);
  };

  const showFirstError = (errors: FieldErrors) => {
    const first = LIMIT_FIELDS.find((field) => errors[field] !== undefined);
    const control = first ? formRef.current?.elements.namedItem(first) : null;
    if (control instanceof HTMLElement) control.focus();
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (applying) return;
    setApplied(false);
    setFormError(null);
    const parsed = draftToLimits(draft, limits, unit);
    if (!parsed.ok) {
      setFieldErrors(parsed.errors);
      showFirstError(parsed.errors);
      return;
    }
    setFieldErrors({});
    setApplying(true);
    try {
      onApplied(await api.gpuSetLimits({ gpuId, limits: parsed.limits }));
      setDraft({});
      setApplied(true);
    } catch (error) {
      const described = describeApplyError(error);
      setFieldErrors(described.fields);
      if (Object.keys(described.fields).length === 0) setFormError(described.message);
      else showFirstError(described.fields);
    } finally {
      setApplying(false);
    }
  };

  /** Label, hint and error wiring for one field; the hint stays read out together with any error. */
  const control = (field: LimitField, hint: string) => {
    const id = `${baseId}-${field}`;
    const error = fieldErrors[field];
    return {
      input: {
        id,
        name: field,
        type: 'number',
        inputMode: 'decimal' as const,
        value: draft[field]?.text ?? saved[field],
        onChange: edit(field),
        'aria-invalid': error !== undefined || undefined,
        'aria-describedby': error !== undefined ? `${id}-error ${id}-hint` : `${id}-hint`,
      },
      hint: (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ),
      error:
        error === undefined ? null : (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        ),
    };
  };

  const temperature = control(
    'temperatureLimitC',
    `In ${unitSymbol(unit)}, from ${range.min} to ${range.max}. Above it, Nocturne caps power, then pauses the job.`,
  );
  const powerCap = control('powerCapW', 'Leave empty for no cap.');
  const stopAfter = control('stopAfterSeconds', 'From 30 to 3600. Past this, the job is stopped.');

  return (
    <form ref={formRef} className="gpu-limits" noValidate onSubmit={(e) => void submit(e)}>
      <fieldset className="gpu-limits__group">
        <legend className="gpu-section-title">Limits</legend>
        <div className="field">
          <label htmlFor={temperature.input.id}>Temperature limit</label>
          <div className="field__with-unit">
            <input {...temperature.input} min={range.min} max={range.max} step="any" />
            <span className="field__unit" aria-hidden="true">
              {unitSymbol(unit)}
            </span>
          </div>
          {temperature.error}
          {temperature.hint}
        </div>
        <div className="field">
          <label htmlFor={powerCap.input.id}>Power cap (W)</label>
          <input {...powerCap.input} min={1} step="any" placeholder="No cap" />
          {powerCap.error}
          {powerCap.hint}
        </div>
        <div className="field">
          <label htmlFor={stopAfter.input.id}>Stop after (seconds above the limit)</label>
          <input {...stopAfter.input} inputMode="numeric" min={30} max={3600} step={1} />
          {stopAfter.error}
          {stopAfter.hint}
        </div>
      </fieldset>
      {formError ? (
        <p className="form-error" role="alert">
          {formError}
        </p>
      ) : null}
      <div className="gpu-limits__actions">
        <button type="submit" className="button button--primary" disabled={applying} aria-busy={applying}>
          Apply limits
        </button>
        {/* Always rendered: a live region must exist before its text changes to be announced. */}
        <p className="form-status" role="status">
          {applying ? 'Applying…' : applied ? 'Limits applied' : ''}
        </p>
      </div>
    </form>
  );
}
