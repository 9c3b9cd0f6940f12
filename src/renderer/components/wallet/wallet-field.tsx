import type { ReactNode } from 'react';
import type { WalletForm } from '../../hooks/use-wallet-form';

/**
 * A label, its control, and the error main gave for that field (then a hint, if any). The control is
 * passed in with `{...form.control(field)}` so it carries the id, the name and the error wiring.
 */
export function WalletField({
  form,
  field,
  label,
  hint,
  children,
}: {
  form: WalletForm;
  field: string;
  label: string;
  hint?: ReactNode;
  children: ReactNode;
}) {
  const error = form.errors.fields[field];
  return (
    <div className="field">
      <label htmlFor={form.controlId(field)}>{label}</label>
      {children}
      {error !== undefined ? (
        <p id={form.errorId(field)} className="field-error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={form.hintId(field)} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
