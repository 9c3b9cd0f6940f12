import { ApiError } from '../../../shared/envelope';
import type { GpuLimits } from '../../../shared/schemas/gpu';
import { toError } from '../../hooks/use-api-data';
import { formatDecimal, fromDisplayUnit, toDisplayUnit, type TemperatureUnit } from './temperature';

export type LimitField = keyof GpuLimits;

export const LIMIT_FIELDS: readonly LimitField[] = ['temperatureLimitC', 'powerCapW', 'stopAfterSeconds'];

/**
 * What the owner typed into one field. `badInput` is the browser saying a number field holds text it
 * cannot read ("1e"): its value is then "", which must not be mistaken for an empty power cap.
 */
export interface FieldEdit {
  text: string;
  badInput: boolean;
}

export type LimitsDraft = Partial<Record<LimitField, FieldEdit>>;
export type FieldErrors = Partial<Record<LimitField, string>>;

/** The saved limits as the fields show them: the temperature in the owner's unit, no cap as empty. */
export function savedText(limits: GpuLimits, unit: TemperatureUnit): Record<LimitField, string> {
  return {
    temperatureLimitC: formatDecimal(toDisplayUnit(limits.temperatureLimitC, unit)),
    powerCapW: limits.powerCapW === null ? '' : String(limits.powerCapW),
    stopAfterSeconds: String(limits.stopAfterSeconds),
  };
}

/** The allowed temperature range in the owner's unit, for the hint under the field. */
export function temperatureRange(unit: TemperatureUnit): { min: number; max: number } {
  return { min: Math.round(toDisplayUnit(50, unit)), max: Math.round(toDisplayUnit(95, unit)) };
}

type Parsed = { ok: true; limits: GpuLimits } | { ok: false; errors: FieldErrors };

/**
 * Turns the fields into limits to send. Only readability is checked here; the ranges are main's to
 * judge, so its messages are the ones the owner sees. A temperature left untouched is sent exactly as
 * stored, not converted to Fahrenheit and back.
 */
export function draftToLimits(draft: LimitsDraft, saved: GpuLimits, unit: TemperatureUnit): Parsed {
  const errors: FieldErrors = {};
  const read = (field: LimitField, emptyMessage: string | null): number | null | undefined => {
    const edit = draft[field];
    if (!edit) return undefined;
    const text = edit.text.trim();
    if (edit.badInput || (text !== '' && !Number.isFinite(Number(text)))) {
      errors[field] = 'Enter a number';
      return undefined;
    }
    if (text === '') {
      if (emptyMessage !== null) errors[field] = emptyMessage;
      return null;
    }
    return Number(text);
  };

  const temperature = read('temperatureLimitC', 'Enter a temperature limit');
  const powerCap = read('powerCapW', null);
  const stopAfter = read('stopAfterSeconds', 'Enter a number of seconds');
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    limits: {
      temperatureLimitC:
        typeof temperature === 'number' ? fromDisplayUnit(temperature, unit) : saved.temperatureLimitC,
      powerCapW: powerCap === undefined ? saved.powerCapW : powerCap,
      stopAfterSeconds: typeof stopAfter === 'number' ? stopAfter : saved.stopAfterSeconds,
    },
  };
}

const fieldOf = (path: string | undefined): LimitField | undefined => {
  const name = path?.startsWith('limits.') ? path.slice('limits.'.length) : undefined;
  return LIMIT_FIELDS.find((field) => field === name);
};

/** Main's refusal, split into messages for the fields it names and one for the rest. */
export function describeApplyError(error: unknown): { message: string; fields: FieldErrors } {
  if (!(error instanceof ApiError)) return { message: toError(error).message, fields: {} };
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const field = fieldOf(issue.field);
    if (field) fields[field] ??= issue.message;
  }
  // A refusal without issues (a UserFacingError) names its field and says the whole sentence.
  const named = fieldOf(error.field);
  if (named && fields[named] === undefined) fields[named] = error.message;
  return { message: error.message, fields };
}
