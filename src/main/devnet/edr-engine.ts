import type { Genesis } from './journal';

/** The EVM behind the devnet: one EIP-1193 provider over Hardhat's EDR, in this process. */
export interface EvmEngine {
  request(method: string, params?: unknown[] | Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
  versions: Record<string, string>;
}

/**
 * Starts EDR through Hardhat 3's runtime, configured only from `genesis` (no hardhat.config file, no
 * Solidity, nothing written to disk). Hardhat is imported here, lazily, so commands that do not run a
 * chain never load it.
 */
export async function startEdrEngine(genesis: Genesis, projectRoot: string): Promise<EvmEngine> {
  const { createHardhatRuntimeEnvironment } = await import('hardhat/hre');
  const hre = await createHardhatRuntimeEnvironment(
    {
      networks: {
        devnet: {
          type: 'edr-simulated',
          chainType: 'l1',
          chainId: genesis.chainId,
          hardfork: genesis.hardfork,
          initialDate: new Date(genesis.initialTimestamp * 1000),
          // One block per transaction, mined as it arrives: a sent transaction is confirmed in its answer.
          mining: { auto: true, interval: 0 },
          // A reverted transaction is still mined (status 0), as on a real chain; calls still throw.
          throwOnTransactionFailures: false,
          throwOnCallFailures: true,
          loggingEnabled: false,
          accounts: {
            mnemonic: genesis.mnemonic,
            count: genesis.accountCount,
            accountsBalance: BigInt(genesis.accountBalanceWei),
          },
        },
      },
    },
    {},
    projectRoot,
  );
  const connection = await hre.network.create({ network: 'devnet' });
  const provider = connection.provider;
  return {
    request: (method, params) => provider.request({ method, params: params ?? [] }),
    close: () => provider.close(),
    versions: { ...hre.versions } as unknown as Record<string, string>,
  };
}
