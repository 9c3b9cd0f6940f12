import { useId, useState } from 'react';
import { api } from '../../api';
import type { WalletStatus } from '../../../shared/schemas/wallet';
import { useWalletForm } from '../../hooks/use-wallet-form';
import { NewPasswordFields, readNewPassword } from './new-password-fields';
import { WalletField } from './wallet-field';
import { WalletFormFooter } from './wallet-form-footer';

type Source = 'phrase' | 'privateKey';

const LABELS = {
  phrase: 'The recovery phrase',
  privateKey: 'The private key',
  password: 'The password',
  passwordRepeat: 'The repeated password',
};

/** An existing wallet from its recovery phrase or a private key, encrypted here with a new password. */
export function ImportWalletForm({ onImported }: { onImported: (status: WalletStatus) => void }) {
  const form = useWalletForm(LABELS);
  const headingId = useId();
  const [source, setSource] = useState<Source>('phrase');

  const submit = form.submit(async (values, element) => {
    const password = readNewPassword(values);
    const secret = values(source);
    const status = await api.walletImport(
      source === 'phrase' ? { phrase: secret, password } : { privateKey: secret, password },
    );
    element.reset();
    onImported(status);
  });

  return (
    <form className="panel wallet-form" aria-labelledby={headingId} noValidate onSubmit={submit}>
      <h2 id={headingId} className="panel__title">
        Import a wallet
      </h2>
      <fieldset className="wallet-form__choice">
        <legend>Import from</legend>
        <div className="field field--check">
          <input
            id={`${headingId}-phrase`}
            type="radio"
            name="source"
            checked={source === 'phrase'}
            onChange={() => setSource('phrase')}
          />
          <label htmlFor={`${headingId}-phrase`}>A recovery phrase</label>
        </div>
        <div className="field field--check">
          <input
            id={`${headingId}-key`}
            type="radio"
            name="source"
            checked={source === 'privateKey'}
            onChange={() => setSource('privateKey')}
          />
          <label htmlFor={`${headingId}-key`}>A private key</label>
        </div>
      </fieldset>
      {source === 'phrase' ? (
        <WalletField
          form={form}
          field="phrase"
          label="Recovery phrase"
          hint="12 to 24 words, separated by spaces."
        >
          <textarea
            {...form.control('phrase', { hint: true })}
            rows={3}
            autoComplete="off"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
          />
        </WalletField>
      ) : (
        <WalletField
          form={form}
          field="privateKey"
          label="Private key"
          hint="64 hexadecimal digits, with or without 0x."
        >
          <input
            {...form.control('privateKey', { hint: true })}
            type="password"
            autoComplete="off"
            spellCheck={false}
          />
        </WalletField>
      )}
      <NewPasswordFields form={form} />
      <WalletFormFooter
        form={form}
        submitLabel="Import wallet"
        busyText="Importing… (this takes a few seconds)"
      />
    </form>
  );
}
