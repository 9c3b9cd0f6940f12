import { useId } from 'react';
import { api } from '../../api';
import { clearPasswords, useWalletForm, WalletInputError } from '../../hooks/use-wallet-form';
import { WalletField } from './wallet-field';
import { WalletFormFooter } from './wallet-form-footer';

const LABELS = { password: 'The password' };

/**
 * A new wallet whose phrase the owner never confirmed (they left or reloaded in the middle, or created
 * it from the CLI). The password opens a new backup: the words once, then three of them asked.
 */
export function BackupReminder({ onBackup }: { onBackup: (backupId: string) => void }) {
  const form = useWalletForm(LABELS);
  const headingId = useId();
  const submit = form.submit(async (values, element) => {
    const password = values('password');
    if (!password) throw new WalletInputError('password', 'Type your password.');
    try {
      const { backupId } = await api.walletBeginBackup({ password });
      element.reset();
      onBackup(backupId);
    } catch (error) {
      clearPasswords(element);
      throw error;
    }
  });

  return (
    <div className="wallet-warning wallet-reminder" role="note">
      <p id={headingId}>
        <strong>Your recovery phrase is not confirmed.</strong> If this computer or your password is lost, the
        phrase is the only way back into the wallet.
      </p>
      <form className="wallet-form" aria-labelledby={headingId} noValidate onSubmit={submit}>
        <WalletField form={form} field="password" label="Password">
          <input
            {...form.control('password')}
            type="password"
            autoComplete="current-password"
            spellCheck={false}
          />
        </WalletField>
        <WalletFormFooter form={form} submitLabel="Back up now" busyText="Checking the password…" />
      </form>
    </div>
  );
}
