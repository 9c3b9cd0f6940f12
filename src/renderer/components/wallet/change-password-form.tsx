import { useId, useState } from 'react';
import { api } from '../../api';
import type { WalletStatus } from '../../../shared/schemas/wallet';
import { clearPasswords, useWalletForm, WalletInputError } from '../../hooks/use-wallet-form';
import { NewPasswordFields, readNewPassword } from './new-password-fields';
import { WalletField } from './wallet-field';
import { WalletFormFooter } from './wallet-form-footer';

const LABELS = {
  current: 'The current password',
  next: 'The new password',
  nextRepeat: 'The repeated password',
};

/** Re-encrypts the keystore under a new password (written whole, then swapped in). */
export function ChangePasswordForm({ onChanged }: { onChanged: (status: WalletStatus) => void }) {
  const form = useWalletForm(LABELS);
  const headingId = useId();
  const [changed, setChanged] = useState(false);

  const submit = form.submit(async (values, element) => {
    setChanged(false);
    const current = values('current');
    if (!current) throw new WalletInputError('current', 'Type your current password.');
    const next = readNewPassword(values, 'next');
    try {
      const status = await api.walletChangePassword({ current, next });
      element.reset();
      setChanged(true);
      onChanged(status);
    } catch (error) {
      clearPasswords(element);
      throw error;
    }
  });

  return (
    <form className="wallet-form" aria-labelledby={headingId} noValidate onSubmit={submit}>
      <h3 id={headingId} className="wallet-form__title">
        Change password
      </h3>
      <WalletField form={form} field="current" label="Current password">
        <input
          {...form.control('current')}
          type="password"
          autoComplete="current-password"
          spellCheck={false}
        />
      </WalletField>
      <NewPasswordFields form={form} field="next" label="New password" repeatLabel="Repeat new password" />
      <WalletFormFooter
        form={form}
        submitLabel="Change password"
        busyText="Changing the password… (this takes a few seconds)"
        doneText={changed ? 'Password changed' : null}
      />
    </form>
  );
}
