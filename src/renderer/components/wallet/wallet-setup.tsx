import type { WalletStatus } from '../../../shared/schemas/wallet';
import { CreateWalletForm } from './create-wallet-form';
import { ImportWalletForm } from './import-wallet-form';

/** No wallet yet: make a new one or bring one. */
export function WalletSetup({
  onCreated,
  onImported,
}: {
  onCreated: (backupId: string) => void;
  onImported: (status: WalletStatus) => void;
}) {
  return (
    <div className="wallet-setup">
      <CreateWalletForm onCreated={onCreated} />
      <ImportWalletForm onImported={onImported} />
    </div>
  );
}
