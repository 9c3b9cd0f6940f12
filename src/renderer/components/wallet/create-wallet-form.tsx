import { useId } from 'react';
import { api } from '../../api';
import { useWalletForm } from '../../hooks/use-wallet-form';
import { NewPasswordFields, readNewPassword } from './new-password-fields';
import { WalletFormFooter } from './wallet-form-footer';

const LABELS = { password: 'The password', passwordRepeat: 'The repeated password' };

/** A new wallet: a password, then (on the page) its recovery phrase, shown once. */
export function CreateWalletForm({ onCreated }: { onCreated: (backupId: string) => void }) {
  const form = useWalletForm(LABELS);
  const headingId = useId();

  const submit = form.submit(async (values, element) => {
    const password = readNewPassword(values);
    const { backupId } = await api.walletCreate({ password });
    element.reset();
    onCreated(backupId);
  });

  return (
    <form className="panel wallet-form" aria-labelledby={headingId} noValidate onSubmit={submit}>
      <h2 id={headingId} className="panel__title">
        Create a new wallet
      </h2>
      <p className="panel__text">
        Nocturne makes a new wallet on this computer and shows its 12-word recovery phrase once, for you to
        write down.
      </p>
      <NewPasswordFields form={form} />
      <WalletFormFooter
        form={form}
        submitLabel="Create wallet"
        busyText="Creating the wallet… (this takes a few seconds)"
      />
    </form>
  );
}
