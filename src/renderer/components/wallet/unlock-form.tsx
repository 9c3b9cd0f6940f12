import { useId, useState } from 'react';
import { api } from '../../api';
import type { WalletStatus } from '../../../shared/schemas/wallet';
import { clearPasswords, useWalletForm, WalletInputError } from '../../hooks/use-wallet-form';
import { WalletField } from './wallet-field';
import { WalletFormFooter } from './wallet-form-footer';

const LABELS = { password: 'The password', remember: 'Remember on this device' };

/**
 * The password, and "Remember on this device" where the OS keychain can keep it (disabled, with the
 * reason, where it cannot: on Linux a keychain with only the `basic_text` backend is no protection).
 */
export function UnlockForm({
  status,
  onUnlocked,
}: {
  status: WalletStatus;
  onUnlocked: (status: WalletStatus) => void;
}) {
  const form = useWalletForm(LABELS);
  const headingId = useId();
  const rememberId = useId();
  const [remember, setRemember] = useState(status.remember.enabled);
  const canRemember = status.remember.available;

  const submit = form.submit(async (values, element) => {
    const password = values('password');
    if (!password) throw new WalletInputError('password', 'Type your password.');
    try {
      const next = await api.walletUnlock(canRemember ? { password, remember } : { password });
      element.reset();
      onUnlocked(next);
    } catch (error) {
      clearPasswords(element);
      throw error;
    }
  });

  return (
    <form className="wallet-form wallet-unlock" aria-labelledby={headingId} noValidate onSubmit={submit}>
      <h3 id={headingId} className="wallet-form__title">
        Unlock the wallet
      </h3>
      <WalletField form={form} field="password" label="Password">
        <input
          {...form.control('password')}
          type="password"
          autoComplete="current-password"
          spellCheck={false}
        />
      </WalletField>
      <div className="field field--check">
        <input
          id={rememberId}
          name="remember"
          type="checkbox"
          checked={canRemember && remember}
          disabled={!canRemember}
          aria-describedby={`${rememberId}-hint`}
          onChange={(e) => setRemember(e.target.checked)}
        />
        <label htmlFor={rememberId}>Remember on this device</label>
        <p id={`${rememberId}-hint`} className="field-hint wallet-unlock__remember-hint">
          {canRemember
            ? 'Unlocks by itself when Nocturne starts, with the password kept in the system keychain. Lock forgets it.'
            : (status.remember.reason ?? 'This device cannot keep the password safely.')}
        </p>
        {form.errors.fields.remember ? <p className="field-error">{form.errors.fields.remember}</p> : null}
      </div>
      <WalletFormFooter form={form} submitLabel="Unlock" busyText="Unlocking… (this takes a few seconds)" />
    </form>
  );
}
