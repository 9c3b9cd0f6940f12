import { useCallback, useState } from 'react';
import { api } from '../api';
import type { BackupState } from '../components/wallet/backup-flow';
import { toError } from './use-api-data';

/**
 * A new wallet's backup while it runs: its words fetched once, from the Create button's handler (not an
 * effect: a second call is refused by main), then dropped once written down or confirmed.
 */
export function useWalletBackup() {
  const [backup, setBackup] = useState<BackupState | null>(null);
  const start = useCallback((backupId: string) => {
    setBackup({ backupId, words: null, ask: null, error: null });
    api.walletBackupWords({ backupId }).then(
      ({ words, ask }) => setBackup((b) => (b?.backupId === backupId ? { ...b, words, ask } : b)),
      (error: unknown) =>
        setBackup((b) => (b?.backupId === backupId ? { ...b, error: toError(error).message } : b)),
    );
  }, []);
  return {
    backup,
    start,
    writtenDown: () => setBackup((b) => (b ? { ...b, words: null } : b)),
    end: () => setBackup(null),
  };
}
