import type { WalletForm } from '../../hooks/use-wallet-form';
import { WalletInputError, type FormValues } from '../../hooks/use-wallet-form';
import { WalletField } from './wallet-field';

export const MIN_PASSWORD_LENGTH = 8;

/**
 * A new password typed twice. Uncontrolled: the value is read once on submit and never kept in state.
 * Call `readNewPassword` in the submit task: it throws a field error when the two differ or it is short.
 */
export function NewPasswordFields({
  form,
  field = 'password',
  label = 'Password',
  repeatLabel = 'Repeat password',
}: {
  form: WalletForm;
  field?: string;
  label?: string;
  repeatLabel?: string;
}) {
  return (
    <>
      <WalletField
        form={form}
        field={field}
        label={label}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. It encrypts the keys on this computer; Nocturne cannot recover it.`}
      >
        <input
          {...form.control(field, { hint: true })}
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          minLength={MIN_PASSWORD_LENGTH}
          required
        />
      </WalletField>
      <WalletField form={form} field={`${field}Repeat`} label={repeatLabel}>
        <input
          {...form.control(`${field}Repeat`)}
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          required
        />
      </WalletField>
    </>
  );
}

export function readNewPassword(values: FormValues, field = 'password'): string {
  const password = values(field);
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new WalletInputError(field, `The password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
  if (values(`${field}Repeat`) !== password)
    throw new WalletInputError(`${field}Repeat`, 'The two passwords are not the same.');
  return password;
}
