import { JsonRpcProvider, Network as EthersNetwork } from 'ethers';
import type { Connection } from './network-service';

/**
 * One ethers provider per network and RPC URL, made the way every caller needs it: a static network
 * (ethers would otherwise re-query the chain id and retry forever when the RPC is down) and no cached
 * reads (ethers reuses an identical read for 250 ms by default, so a nonce or balance read right after
 * a transaction would be stale).
 */
export function createRpcProviders(options: { pollingIntervalMs?: number } = {}) {
  const providers = new Map<string, JsonRpcProvider>();
  return {
    for(connection: Connection): JsonRpcProvider {
      const key = `${connection.network.chainId}|${connection.url}`;
      let provider = providers.get(key);
      if (!provider) {
        provider = new JsonRpcProvider(connection.url, EthersNetwork.from(connection.network.chainId), {
          staticNetwork: true,
          batchMaxCount: 1,
          cacheTimeout: -1,
        });
        if (options.pollingIntervalMs) provider.pollingInterval = options.pollingIntervalMs;
        providers.set(key, provider);
      }
      return provider;
    },
    destroyAll(): void {
      for (const provider of providers.values()) provider.destroy();
      providers.clear();
    },
  };
}
