import { useCallback, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../shared/envelope';
import { toError } from './use-api-data';

/** A mistake caught before anything is sent (passwords that differ); shown under its field like main's own. */
export class WalletInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'WalletInputError';
  }
}

export interface WalletFormErrors {
  /** By field name (main's name for it: `to`, `amount`, `answers.0.word`). */
  fields: Record<string, string>;
  /** A refusal that names no field this form shows. */
  message: string | null;
}

const NO_ERRORS: WalletFormErrors = { fields: {}, message: null };

/**
 * Turns a refusal into messages by field. `labels` names the fields the form shows (main's field name ->
 * its label): main's check of the request ("to: must be an address: ...") reads "Recipient must be an
 * address: ...", its refusals ("Wrong password.") are shown as they are, and one that names no field the
 * form shows goes above the buttons.
 */
export function describeWalletError(
  error: unknown,
  labels: Readonly<Record<string, string>>,
): WalletFormErrors {
  const known = (field: string | undefined): field is string =>
    field !== undefined && Object.hasOwn(labels, field);
  if (error instanceof WalletInputError) {
    return known(error.field)
      ? { fields: { [error.field]: error.message }, message: null }
      : { fields: {}, message: error.message };
  }
  if (!(error instanceof ApiError)) return { fields: {}, message: toError(error).message };
  const fields: Record<string, string> = {};
  if (error.code === 'invalid_request') {
    for (const issue of error.issues) {
      if (known(issue.field)) fields[issue.field] ??= `${labels[issue.field]} ${issue.message}.`;
    }
  } else if (known(error.field)) {
    fields[error.field] = error.message;
  }
  return Object.keys(fields).length > 0 ? { fields, message: null } : { fields, message: error.message };
}

/** Empties a form's password fields (after a refused password, so it is not left sitting in the page). */
export function clearPasswords(form: HTMLFormElement): void {
  for (const input of form.querySelectorAll<HTMLInputElement>('input[type="password"]')) input.value = '';
}

/** Reads one text field of the submitted form; secrets are read here, once, never kept in state. */
export type FormValues = (name: string) => string;

export interface WalletForm {
  busy: boolean;
  errors: WalletFormErrors;
  controlId: (field: string) => string;
  errorId: (field: string) => string;
  hintId: (field: string) => string;
  /** id, name and the error wiring for a control; `hint` when a hint is shown under it. */
  control: (
    field: string,
    options?: { hint?: boolean },
  ) => { id: string; name: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined };
  /** The form's onSubmit: reads the values, runs `task`, and shows what it throws by field. */
  submit: (
    task: (values: FormValues, form: HTMLFormElement) => Promise<void>,
  ) => (event: FormEvent<HTMLFormElement>) => void;
  /** Shows a refusal that came from elsewhere (a second step of the same form). */
  fail: (error: unknown) => void;
  clearErrors: () => void;
}

/**
 * The wallet's forms share this: secret inputs stay uncontrolled (a controlled input mirrors its value
 * into the DOM's value attribute), values are read from the form on submit, and errors are shown inline
 * under the field main named.
 */
export function useWalletForm(labels: Readonly<Record<string, string>>): WalletForm {
  const baseId = useId();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<WalletFormErrors>(NO_ERRORS);

  const controlId = useCallback((field: string) => `${baseId}-${field.replace(/\W/g, '-')}`, [baseId]);
  const errorId = (field: string) => `${controlId(field)}-error`;
  const hintId = (field: string) => `${controlId(field)}-hint`;

  const show = (described: WalletFormErrors, form: HTMLFormElement | null) => {
    setErrors(described);
    const first = Object.keys(described.fields)[0];
    const control = first && form ? form.elements.namedItem(first) : null;
    if (control instanceof HTMLElement) control.focus();
  };

  return {
    busy,
    errors,
    controlId,
    errorId,
    hintId,
    control(field, options) {
      const invalid = errors.fields[field] !== undefined;
      const describedBy = [invalid ? errorId(field) : null, options?.hint ? hintId(field) : null]
        .filter(Boolean)
        .join(' ');
      return {
        id: controlId(field),
        name: field,
        'aria-invalid': invalid || undefined,
        'aria-describedby': describedBy || undefined,
      };
    },
    submit: (task) => (event) => {
      event.preventDefault();
      if (busy) return;
      const form = event.currentTarget;
      const data = new FormData(form);
      const values: FormValues = (name) => {
        const value = data.get(name);
        return typeof value === 'string' ? value : '';
      };
      setBusy(true);
      setErrors(NO_ERRORS);
      task(values, form)
        .catch((error: unknown) => show(describeWalletError(error, labels), form))
        .finally(() => setBusy(false));
    },
    fail: (error) => show(describeWalletError(error, labels), null),
    clearErrors: () => setErrors(NO_ERRORS),
  };
}
