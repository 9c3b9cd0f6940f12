import { api } from '../api';
import type { Network } from '../../shared/schemas/network';
import type { WalletStatus, WalletTransaction } from '../../shared/schemas/wallet';
import { DataView } from '../components/data-view';
import { PageHeader } from '../components/page-header';
import { AddressCard } from '../components/wallet/address-card';
import { BackupFlow } from '../components/wallet/backup-flow';
import { BackupReminder } from '../components/wallet/backup-reminder';
import { BalancesCard } from '../components/wallet/balances-card';
import { SecurityCard } from '../components/wallet/security-card';
import { SendCard } from '../components/wallet/send-card';
import { TransactionsCard } from '../components/wallet/transactions-card';
import { WalletSetup } from '../components/wallet/wallet-setup';
import { useApiData, type ApiData } from '../hooks/use-api-data';
import { useWalletBackup } from '../hooks/use-wallet-backup';
import { useWalletTransactions } from '../hooks/use-wallet-transactions';

type NetworkList = { networks: Network[] };

const loadStatus = () => api.walletStatus();
const pushStatus = (listener: (status: WalletStatus) => void) => api.onWalletChanged(listener);
const loadNetworks = () => api.networkList();
const pushNetworks = (listener: (list: NetworkList) => void) => api.onNetworkChanged(listener);

/**
 * The owner's wallet. Keys stay in main: this page sees the address, balances and statuses, plus the
 * new wallet's words once (held only while the backup runs, then set to null) and an exported secret
 * only while it is on screen.
 */
export function WalletPage() {
  const status = useApiData(loadStatus, pushStatus);
  const { backup, start: startBackup, writtenDown, end } = useWalletBackup();

  return (
    <>
      <PageHeader title="Wallet">Where your earnings go. Its keys never leave this computer.</PageHeader>
      {backup ? (
        <BackupFlow
          backup={backup}
          onWrittenDown={writtenDown}
          onConfirmed={(next) => {
            end();
            status.setData(next);
          }}
          onLeave={end}
        />
      ) : (
        <DataView source={status} what="your wallet">
          {(current) =>
            current.exists && current.address ? (
              <WalletView
                status={current}
                address={current.address}
                onStatus={status.setData}
                onBackup={startBackup}
              />
            ) : current.exists ? (
              <p className="panel panel--error" role="alert">
                The wallet’s keystore exists but could not be read. The log has details.
              </p>
            ) : (
              <WalletSetup onCreated={startBackup} onImported={status.setData} />
            )
          }
        </DataView>
      )}
    </>
  );
}

function WalletView({
  status,
  address,
  onStatus,
  onBackup,
}: {
  status: WalletStatus;
  address: string;
  onStatus: (status: WalletStatus) => void;
  onBackup: (backupId: string) => void;
}) {
  const networks: ApiData<NetworkList> = useApiData(loadNetworks, pushNetworks);
  const list = networks.data?.networks;
  const selected = list?.find((n) => n.selected) ?? list?.[0];
  const transactions = useWalletTransactions(selected?.id);

  const onSelected = (network: Network) => {
    if (list) networks.setData({ networks: list.map((n) => ({ ...n, selected: n.id === network.id })) });
  };
  const onSent = (tx: WalletTransaction) => transactions.upsert(tx);

  return (
    <div className="wallet">
      {status.backupConfirmed ? null : <BackupReminder onBackup={onBackup} />}
      <div className="wallet__top">
        <AddressCard status={status} address={address} onStatus={onStatus} />
        <BalancesCard networks={networks} selected={selected} onSelected={onSelected} />
      </div>
      <SendCard
        status={status}
        network={selected}
        transactions={transactions.transactions}
        onStatus={onStatus}
        onSent={onSent}
      />
      <TransactionsCard source={transactions} network={selected} />
      <SecurityCard status={status} onStatus={onStatus} />
    </div>
  );
}
