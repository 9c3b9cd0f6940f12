import { getCreateAddress } from 'ethers';
import type { Network, NetworkAdd, NetworkHealth } from '../../shared/schemas/network';
import type { Clock } from '../core/clock';
import { UserFacingError } from '../core/router';
import { DEVNET_MARKET_CONTRACTS } from '../devnet/devnet-addresses';
import { DEVNET_CHAIN_ID, type DevnetManager } from './devnet-manager';
import type { NetworkRepository } from './network-repository';
import { checkRpc } from './rpc-health';

export const DEVNET_ID = 'devnet';
/** Hardhat's first test account deploys TestUSD as its first transaction, so the address is fixed. */
const DEVNET_DEPLOYER = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
export const DEVNET_TOKEN_ADDRESS = getCreateAddress({ from: DEVNET_DEPLOYER, nonce: 0 });

function devnetNetwork(port: number): Omit<Network, 'selected'> {
  return {
    id: DEVNET_ID,
    name: 'Local devnet',
    chainId: DEVNET_CHAIN_ID,
    rpcUrls: [`http://127.0.0.1:${port}`],
    explorerUrl: null,
    nativeSymbol: 'ETH',
    token: { address: DEVNET_TOKEN_ADDRESS, symbol: 'tUSD', decimals: 6 },
    contracts: { ...DEVNET_MARKET_CONTRACTS },
    builtin: true,
  };
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'network'
  );
}

/** A network and the RPC endpoint to use for it now. */
export interface Connection {
  network: Network;
  url: string;
}

export function createNetworkService(options: {
  repository: NetworkRepository;
  devnet: DevnetManager;
  devnetPort: () => number;
  clock: Clock;
  onChange: (networks: Network[]) => void;
}) {
  const { repository, devnet, clock } = options;
  const changed = () => options.onChange(repository.list());

  // The built-in devnet row always exists, and something is always selected.
  if (!repository.get(DEVNET_ID))
    repository.insertIfMissing(devnetNetwork(options.devnetPort()), clock.now());
  if (!repository.list().some((n) => n.selected)) repository.select(DEVNET_ID);

  function require(id: string): Network {
    const network = repository.get(id);
    if (!network) throw new UserFacingError(`There is no network "${id}". See network list.`, 'id');
    return network;
  }

  async function devnetConnection(): Promise<Connection> {
    let endpoint;
    try {
      endpoint = await devnet.ensure();
    } catch (error) {
      throw new UserFacingError(`The local devnet could not start: ${(error as Error).message}`);
    }
    const current = require(DEVNET_ID);
    const contracts = { ...current.contracts, ...endpoint.contracts };
    if (
      current.rpcUrls[0] !== endpoint.url ||
      JSON.stringify(contracts) !== JSON.stringify(current.contracts)
    ) {
      repository.update({ ...current, rpcUrls: [endpoint.url], contracts });
      changed();
    }
    return { network: require(DEVNET_ID), url: endpoint.url };
  }

  return {
    list: () => repository.list(),
    get: require,
    selected(): Network {
      return repository.list().find((n) => n.selected) ?? require(DEVNET_ID);
    },

    async add(request: NetworkAdd): Promise<Network> {
      const id = request.id ?? slug(request.name);
      if (repository.get(id))
        throw new UserFacingError(`A network with the id "${id}" exists already; choose another.`, 'id');
      const duplicate = repository.list().find((n) => n.chainId === request.chainId);
      if (duplicate)
        throw new UserFacingError(
          `Chain id ${request.chainId} is already "${duplicate.name}"; edit or remove that one instead.`,
          'chainId',
        );
      const checks = await Promise.all(request.rpcUrls.map((url) => checkRpc(url, request.chainId)));
      const failed = checks.findIndex((c) => !c.ok);
      if (failed >= 0)
        throw new UserFacingError(checks[failed]!.error ?? 'The RPC failed.', `rpcUrls.${failed}`);
      repository.insert(
        {
          id,
          name: request.name,
          chainId: request.chainId,
          rpcUrls: request.rpcUrls,
          explorerUrl: request.explorerUrl ?? null,
          nativeSymbol: request.nativeSymbol ?? 'ETH',
          token: request.token ?? null,
          contracts: request.contracts ?? {},
          builtin: false,
        },
        clock.now(),
      );
      changed();
      return require(id);
    },

    remove(id: string): Network[] {
      const network = require(id);
      if (network.builtin)
        throw new UserFacingError('The local devnet is built in and cannot be removed.', 'id');
      repository.remove(id);
      changed();
      return repository.list();
    },

    select(id: string): Network {
      require(id);
      repository.select(id);
      changed();
      return require(id);
    },

    async check(id: string): Promise<NetworkHealth> {
      const network = require(id);
      const url = id === DEVNET_ID ? (await devnetConnection()).url : network.rpcUrls[0]!;
      return checkRpc(url, network.chainId);
    },

    /** The endpoint to talk to: starts the devnet when needed; other networks use their first healthy RPC. */
    async connect(id?: string): Promise<Connection> {
      const network = id ? require(id) : this.selected();
      if (network.id === DEVNET_ID) return devnetConnection();
      let lastError = 'no RPC URL';
      for (const url of network.rpcUrls) {
        const health = await checkRpc(url, network.chainId);
        if (health.ok) return { network, url };
        lastError = health.error ?? lastError;
      }
      throw new UserFacingError(`${network.name} is unreachable: ${lastError}`);
    },

    /** When the devnet port setting changes, the stored URL follows (the devnet restarts on next use). */
    async devnetPortChanged(): Promise<void> {
      await devnet.stop();
      repository.update({ ...require(DEVNET_ID), rpcUrls: devnetNetwork(options.devnetPort()).rpcUrls });
      changed();
    },
  };
}

export type NetworkService = ReturnType<typeof createNetworkService>;
