import { api } from '../../api';
import type { WalletStatus } from '../../../shared/schemas/wallet';
import { useApiData } from '../../hooks/use-api-data';
import { useWalletBackup } from '../../hooks/use-wallet-backup';
import { BackupFlow } from '../wallet/backup-flow';
import { UnlockForm } from '../wallet/unlock-form';
import { WalletSetup } from '../wallet/wallet-setup';

const loadStatus = () => api.walletStatus();
const pushStatus = (listener: (status: WalletStatus) => void) => api.onWalletChanged(listener);

/** Where renters pay: a new wallet (with its backup) or one brought in; its keys stay on this computer. */
export function StepWallet() {
  const status = useApiData(loadStatus, pushStatus);
  const { backup, start: startBackup, writtenDown, end } = useWalletBackup();

  if (backup)
    return (
      <BackupFlow
        backup={backup}
        onWrittenDown={writtenDown}
        onConfirmed={(next) => {
          end();
          status.setData(next);
        }}
        onLeave={end}
      />
    );
  const current = status.data;
  if (!current) return <p role="status">Loading…</p>;
  if (!current.exists)
    return (
      <>
        <p>
          Renters pay into this wallet. Its keys are kept on this computer, encrypted with your password, and
          never leave it.
        </p>
        <WalletSetup onCreated={startBackup} onImported={status.setData} />
      </>
    );
  return (
    <div data-testid="setup-wallet">
      <p>
        Your wallet is ready: <code className="wallet-hex">{current.address}</code>
        {current.backupConfirmed
          ? ''
          : '. Its recovery phrase is not backed up yet: the Wallet page reminds you.'}
      </p>
      {current.locked ? (
        <>
          <p>It is locked. Unlock it so it can sign quotes once you go online.</p>
          <UnlockForm status={current} onUnlocked={status.setData} />
        </>
      ) : null}
    </div>
  );
}
