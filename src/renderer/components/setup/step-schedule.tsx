import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { ApiError } from '../../../shared/envelope';
import { PRESETS, presetSlots, type PresetName } from '../../../shared/schedule/windows';
import type { GpuView } from '../../../shared/schemas/gpu';
import type { ScheduleView } from '../../../shared/schemas/availability';
import { toError, useApiData } from '../../hooks/use-api-data';
import { TimeZoneField } from '../schedule/time-zone-field';

const CHOICES: readonly PresetName[] = ['overnight', 'workdays', 'always'];
const DEFAULT_LIMIT_C = 83;

const loadSchedule = () => api.scheduleGet();
const loadGpus = () => api.gpuList();

/** The weekly hours, from a preset (the Schedule page paints any other), and one temperature limit for every card. */
export function StepSchedule() {
  const schedule = useApiData(loadSchedule);
  const gpus = useApiData(loadGpus);
  if (!schedule.data || !gpus.data)
    return schedule.error || gpus.error ? (
      <p className="inline-error" role="alert">
        Couldn’t load your schedule: {(schedule.error ?? gpus.error)!.message}
      </p>
    ) : (
      <p role="status">Loading…</p>
    );
  return <ScheduleForm saved={schedule.data} gpus={gpus.data.gpus} onSaved={schedule.setData} />;
}

function presetOf(slots: string): PresetName | null {
  return CHOICES.find((name) => presetSlots(name) === slots) ?? null;
}

function ScheduleForm({
  saved,
  gpus,
  onSaved,
}: {
  saved: ScheduleView;
  gpus: readonly GpuView[];
  onSaved: (view: ScheduleView) => void;
}) {
  const [preset, setPreset] = useState<PresetName | null>(presetOf(saved.slots) ?? 'overnight');
  const [zone, setZone] = useState(saved.timezone);
  const [limit, setLimit] = useState(gpus[0]?.limits.temperatureLimitC ?? DEFAULT_LIMIT_C);
  const [state, setState] = useState<{
    saving: boolean;
    saved: boolean;
    error: string | null;
    field?: string;
  }>({
    saving: false,
    saved: false,
    error: null,
  });
  const groupId = useId();
  const limitId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState({ saving: true, saved: false, error: null });
    try {
      const slots = preset ? presetSlots(preset) : saved.slots;
      onSaved(await api.scheduleSet({ timezone: zone.trim(), slots }));
      for (const gpu of gpus)
        await api.gpuSetLimits({ gpuId: gpu.info.id, limits: { ...gpu.limits, temperatureLimitC: limit } });
      setState({ saving: false, saved: true, error: null });
    } catch (e) {
      const field = e instanceof ApiError ? e.field : undefined;
      setState({ saving: false, saved: false, error: toError(e).message, ...(field ? { field } : {}) });
    }
  };

  return (
    <form className="setup-form" noValidate onSubmit={(e) => void submit(e)} aria-label="When, and how hot">
      <fieldset className="setup-choices" aria-describedby={groupId}>
        <legend>Rent the GPU out</legend>
        {CHOICES.map((name) => (
          <label key={name} className="field field--check">
            <input type="radio" name="preset" checked={preset === name} onChange={() => setPreset(name)} />
            {PRESETS[name].label}
          </label>
        ))}
        <p id={groupId} className="field-hint">
          Any other hours can be painted on the Schedule page. Outside them, and whenever you play or use the
          GPU, renters’ jobs pause and the card is yours.
        </p>
      </fieldset>
      <TimeZoneField
        id="setup-timezone"
        value={zone}
        onChange={setZone}
        error={state.field === 'timezone' ? (state.error ?? undefined) : undefined}
      />
      {gpus.length > 0 ? (
        <div className="field">
          <label htmlFor={limitId}>Highest temperature to allow, °C</label>
          <input
            id={limitId}
            type="number"
            inputMode="numeric"
            min={50}
            max={95}
            value={Number.isNaN(limit) ? '' : limit}
            onChange={(e) => setLimit(e.target.valueAsNumber)}
            aria-invalid={state.field?.startsWith('limits') || undefined}
          />
          <p className="field-hint">
            Above it Nocturne lowers the card’s power, then pauses the job; {DEFAULT_LIMIT_C} °C suits most
            cards.
          </p>
        </div>
      ) : null}
      <div className="setup-actions">
        <button type="submit" className="button button--primary" disabled={state.saving}>
          {state.saving ? 'Saving…' : 'Save'}
        </button>
        <p className={state.error ? 'inline-error' : 'form-status'} role={state.error ? 'alert' : 'status'}>
          {state.error ?? (state.saved ? 'Saved.' : '')}
        </p>
      </div>
    </form>
  );
}
