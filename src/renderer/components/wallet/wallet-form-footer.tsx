import type { ReactNode } from 'react';
import type { WalletForm } from '../../hooks/use-wallet-form';

/**
 * The end of a wallet form: a refusal that names no field, the submit button (and any others), and a
 * status line. The status region is always rendered: a live region must exist before its text changes.
 */
export function WalletFormFooter({
  form,
  submitLabel,
  busyText,
  doneText,
  children,
}: {
  form: WalletForm;
  submitLabel: string;
  busyText: string;
  doneText?: string | null;
  children?: ReactNode;
}) {
  return (
    <>
      {form.errors.message ? (
        <p className="form-error" role="alert">
          {form.errors.message}
        </p>
      ) : null}
      <div className="wallet-form__actions">
        <button type="submit" className="button button--primary" disabled={form.busy} aria-busy={form.busy}>
          {submitLabel}
        </button>
        {children}
        <p className="form-status" role="status">
          {form.busy ? busyText : (doneText ?? '')}
        </p>
      </div>
    </>
  );
}
