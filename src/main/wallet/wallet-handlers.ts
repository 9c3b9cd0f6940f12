import type { Handlers } from '../core/router';
import type { KeyVault } from './key-vault';
import type { NetworkService } from '../networks/network-service';
import type { Payments } from './payments';
import type { TransactionRepository } from './transaction-repository';

type WalletChannels =
  | 'wallet:status'
  | 'wallet:create'
  | 'wallet:backupWords'
  | 'wallet:confirmBackup'
  | 'wallet:beginBackup'
  | 'wallet:import'
  | 'wallet:unlock'
  | 'wallet:lock'
  | 'wallet:changePassword'
  | 'wallet:export'
  | 'wallet:balances'
  | 'wallet:estimateSend'
  | 'wallet:send'
  | 'wallet:transactions'
  | 'wallet:faucet';

export function walletHandlers(deps: {
  vault: KeyVault;
  payments: Payments;
  transactions: TransactionRepository;
  networks: Pick<NetworkService, 'list'>;
}): Pick<Handlers, WalletChannels> {
  const { vault, payments } = deps;
  return {
    'wallet:status': () => vault.status(),
    'wallet:create': ({ password }) => vault.create(password),
    'wallet:backupWords': ({ backupId }) => vault.backupWords(backupId),
    'wallet:confirmBackup': ({ backupId, answers }) => vault.confirmBackup(backupId, answers),
    'wallet:beginBackup': ({ password }) => vault.beginBackup(password),
    'wallet:import': (request) => vault.import(request),
    'wallet:unlock': ({ password, remember }) => vault.unlock(password, remember),
    'wallet:lock': () => vault.lock(),
    'wallet:changePassword': ({ current, next }) => vault.changePassword(current, next),
    'wallet:export': ({ password }) => vault.exportSecret(password),
    'wallet:balances': ({ networkId }) => payments.balances(networkId),
    'wallet:estimateSend': (request) => payments.estimate(request),
    'wallet:send': async (request) => payments.toView(await payments.send(request)),
    'wallet:faucet': ({ networkId }) => payments.faucet(networkId),
    'wallet:transactions': ({ networkId }) => {
      const networks = deps.networks.list();
      return { transactions: deps.transactions.list(networkId).map((tx) => payments.toView(tx, networks)) };
    },
  };
}
