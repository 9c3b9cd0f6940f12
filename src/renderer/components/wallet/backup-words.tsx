import { useId } from 'react';
import { RecoveryWords } from './recovery-words';

/** The new wallet's phrase, shown once; the button removes it from the page and from memory. */
export function BackupWords({
  words,
  onWrittenDown,
}: {
  words: readonly string[];
  onWrittenDown: () => void;
}) {
  const headingId = useId();
  const listId = useId();
  return (
    <section className="panel wallet-backup" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel__title">
        Write down your recovery phrase
      </h2>
      <div className="wallet-warning" role="note">
        <p>
          <strong>Write these {words.length} words down on paper, in this order.</strong> Anyone who has them
          owns the wallet and everything in it, so keep the paper safe and do not photograph, copy or type
          them anywhere.
        </p>
        <p>They won’t be shown again: next, Nocturne asks for three of them to check you have them.</p>
      </div>
      <h3 id={listId} className="visually-hidden">
        Recovery phrase
      </h3>
      <RecoveryWords words={words} labelledBy={listId} />
      <div className="wallet-form__actions">
        <button type="button" className="button button--primary" onClick={onWrittenDown}>
          I have written them down
        </button>
      </div>
    </section>
  );
}
