import { useEffect, useId, useState } from 'react';
import { api } from '../../api';
import type { WalletStatus } from '../../../shared/schemas/wallet';
import { clearPasswords, useWalletForm, WalletInputError } from '../../hooks/use-wallet-form';
import { RecoveryWords } from './recovery-words';
import { WalletField } from './wallet-field';
import { WalletFormFooter } from './wallet-form-footer';

const LABELS = { password: 'The password' };
const SHOWN_FOR_MS = 60_000;

interface Shown {
  kind: 'mnemonic' | 'privateKey';
  secret: string;
}

/**
 * The recovery phrase (or the imported private key) behind the password, to write down. It lives in
 * this component's state only while shown: Hide, 60 seconds, or leaving the page clears it.
 */
export function ExportSecret({ kind }: { kind: WalletStatus['kind'] }) {
  const form = useWalletForm(LABELS);
  const headingId = useId();
  const secretHeadingId = useId();
  const [shown, setShown] = useState<Shown | null>(null);
  const what = kind === 'privateKey' ? 'private key' : 'recovery phrase';

  useEffect(() => {
    if (shown === null) return;
    const id = setTimeout(() => setShown(null), SHOWN_FOR_MS);
    return () => clearTimeout(id);
  }, [shown]);

  const submit = form.submit(async (values, element) => {
    const password = values('password');
    if (!password) throw new WalletInputError('password', 'Type your password.');
    try {
      const exported = await api.walletExport({ password });
      element.reset();
      setShown({ kind: exported.kind, secret: exported.secret });
    } catch (error) {
      clearPasswords(element);
      throw error;
    }
  });

  return (
    <section className="wallet-form wallet-export" aria-labelledby={headingId}>
      <h3 id={headingId} className="wallet-form__title">
        Show {what}
      </h3>
      {shown ? (
        <div className="wallet-secret">
          <div className="wallet-warning" role="note">
            <p>
              <strong>Anyone who sees this owns the wallet.</strong> Write it on paper; do not photograph or
              paste it anywhere. It hides by itself after a minute.
            </p>
          </div>
          <h4 id={secretHeadingId} className="visually-hidden">
            {shown.kind === 'mnemonic' ? 'Recovery phrase' : 'Private key'}
          </h4>
          {shown.kind === 'mnemonic' ? (
            <RecoveryWords words={shown.secret.split(/\s+/)} labelledBy={secretHeadingId} />
          ) : (
            <p className="wallet-secret__key" aria-labelledby={secretHeadingId}>
              <code className="wallet-hex">{shown.secret}</code>
            </p>
          )}
          <div className="wallet-form__actions">
            <button type="button" className="button button--primary" onClick={() => setShown(null)}>
              Hide
            </button>
          </div>
        </div>
      ) : (
        <form className="wallet-form" aria-labelledby={headingId} noValidate onSubmit={submit}>
          <p className="field-hint">Your password is asked again, even while the wallet is unlocked.</p>
          <WalletField form={form} field="password" label="Password">
            <input
              {...form.control('password')}
              type="password"
              autoComplete="current-password"
              spellCheck={false}
            />
          </WalletField>
          <WalletFormFooter form={form} submitLabel={`Show ${what}`} busyText="Checking the password…" />
        </form>
      )}
    </section>
  );
}
