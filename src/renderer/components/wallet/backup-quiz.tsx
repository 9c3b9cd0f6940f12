import { useId, useMemo } from 'react';
import { api } from '../../api';
import type { WalletStatus } from '../../../shared/schemas/wallet';
import { useWalletForm } from '../../hooks/use-wallet-form';
import { WalletField } from './wallet-field';
import { WalletFormFooter } from './wallet-form-footer';

const answerField = (index: number) => `answers.${index}.word`;

/** Three words of the phrase asked back; main says which one is wrong, and the owner may try again. */
export function BackupQuiz({
  backupId,
  ask,
  onConfirmed,
  onLater,
}: {
  backupId: string;
  ask: readonly number[];
  onConfirmed: (status: WalletStatus) => void;
  onLater: () => void;
}) {
  const labels = useMemo(
    () => Object.fromEntries(ask.map((position, index) => [answerField(index), `Word #${position}`])),
    [ask],
  );
  const form = useWalletForm(labels);
  const headingId = useId();

  const submit = form.submit(async (values, element) => {
    const answers = ask.map((position, index) => ({
      position,
      word: values(answerField(index)).trim().toLowerCase(),
    }));
    const status = await api.walletConfirmBackup({ backupId, answers });
    element.reset();
    onConfirmed(status);
  });

  return (
    <form className="panel wallet-form" aria-labelledby={headingId} noValidate onSubmit={submit}>
      <h2 id={headingId} className="panel__title">
        Check your recovery phrase
      </h2>
      <p className="panel__text">Type these three words from what you wrote down.</p>
      <div className="wallet-quiz">
        {ask.map((position, index) => (
          <WalletField key={position} form={form} field={answerField(index)} label={`Word #${position}`}>
            <input
              {...form.control(answerField(index))}
              type="text"
              autoComplete="off"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
            />
          </WalletField>
        ))}
      </div>
      <WalletFormFooter form={form} submitLabel="Confirm backup" busyText="Checking…">
        <button type="button" className="button button--quiet" onClick={onLater}>
          Finish later
        </button>
      </WalletFormFooter>
    </form>
  );
}
