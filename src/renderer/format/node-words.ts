import type { ProviderNodeStatus } from '../../shared/schemas/market';

/** The provider node's state in words, as the Dashboard and the setup say it. */
export const nodeStateWords: Record<ProviderNodeStatus['state'], string> = {
  offline: 'Offline',
  starting: 'Going online…',
  online: 'Online: renters can reach this machine',
  error: 'Could not go online',
};
