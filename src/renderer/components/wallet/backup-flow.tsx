import type { WalletStatus } from '../../../shared/schemas/wallet';
import { BackupQuiz } from './backup-quiz';
import { BackupWords } from './backup-words';

/**
 * A new wallet's backup, held by the page only while it runs: the words until the owner says they are
 * written down (then null), the three positions to ask, or why the words could not be fetched.
 */
export interface BackupState {
  backupId: string;
  words: string[] | null;
  ask: number[] | null;
  error: string | null;
}

export function BackupFlow({
  backup,
  onWrittenDown,
  onConfirmed,
  onLeave,
}: {
  backup: BackupState;
  onWrittenDown: () => void;
  onConfirmed: (status: WalletStatus) => void;
  onLeave: () => void;
}) {
  if (backup.error !== null) {
    return (
      <div className="panel panel--error" role="alert">
        <p className="panel__text">
          Your wallet was created, but its recovery phrase could not be shown: {backup.error} You can see it
          with your password under Security.
        </p>
        <button type="button" className="button" onClick={onLeave}>
          Go to the wallet
        </button>
      </div>
    );
  }
  if (backup.words !== null) return <BackupWords words={backup.words} onWrittenDown={onWrittenDown} />;
  if (backup.ask !== null)
    return (
      <BackupQuiz backupId={backup.backupId} ask={backup.ask} onConfirmed={onConfirmed} onLater={onLeave} />
    );
  return (
    <p className="panel loading" role="status">
      Loading your recovery phrase…
    </p>
  );
}
