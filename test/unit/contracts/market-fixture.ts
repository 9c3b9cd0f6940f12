import {
  BrowserProvider,
  Contract,
  getAddress,
  HDNodeWallet,
  Interface,
  type ContractRunner,
  JsonRpcSigner,
  type TransactionReceipt,
} from 'ethers';
import { findPackageRoot, loadArtifact } from '../../../src/main/contracts/artifacts';
import { startEdrEngine, type EvmEngine } from '../../../src/main/devnet/edr-engine';
import { DEVNET_CHAIN_ID, DEVNET_MNEMONIC } from '../../../src/main/devnet/start-devnet';
import { JobEscrowClient } from '../../../src/main/market/job-escrow';
import { ProviderRegistryClient } from '../../../src/main/market/provider-registry';
import { deployMarketContracts } from '../../../src/main/market/deploy';
import type { Genesis } from '../../../src/main/devnet/journal';

/** 1,000,000 tUSD (6 decimals) minted to every account. */
export const TOKENS_EACH = 1_000_000n * 10n ** 6n;
export const ACCOUNTS = 10;

/**
 * The devnet's engine (Hardhat's EDR, the same as `nocturne devnet` runs) in this process, without the
 * HTTP server and the journal: contract tests send thousands of transactions. TestUSD, a ProviderRegistry
 * and a JobEscrow are deployed by account 0 as on the devnet.
 */
export interface MarketChain {
  engine: EvmEngine;
  provider: BrowserProvider;
  chainId: bigint;
  accounts: string[];
  /** Node-held key (eth_sendTransaction): the fast way to send. */
  signer(index: number): JsonRpcSigner;
  /** The same account's key in JS, for EIP-712 signatures. */
  wallet(index: number): HDNodeWallet;
  token: string;
  registry: string;
  escrow: string;
  escrowAs(index: number): JobEscrowClient;
  registryAs(index: number): ProviderRegistryClient;
  /** Deploys `name` from build/contracts with `args`, from account `from`. */
  deploy(name: string, args?: unknown[], from?: number): Promise<Contract>;
  /** An ERC-20 (or test token) contract at `address`, sending as `runner`. */
  tokenAt(address: string, runner?: ContractRunner): Contract;
  /** The latest block's timestamp. */
  now(): Promise<bigint>;
  /** Moves the clock and mines a block. */
  increaseTime(seconds: number | bigint): Promise<void>;
  /** Sends a transaction mined in a block stamped `timestamp` exactly (no gas estimate: it may revert). */
  sendAt(timestamp: bigint, from: number, tx: { to: string; data: string }): Promise<TransactionReceipt>;
  close(): Promise<void>;
}

export async function startMarketChain(options: { chainId?: number } = {}): Promise<MarketChain> {
  const genesis: Genesis = {
    format: 1,
    chainId: options.chainId ?? DEVNET_CHAIN_ID,
    hardfork: 'prague',
    mnemonic: DEVNET_MNEMONIC,
    accountCount: ACCOUNTS,
    accountBalanceWei: (10_000n * 10n ** 18n).toString(),
    initialTimestamp: Math.floor(Date.now() / 1000),
    createdAt: new Date().toISOString(),
  };
  const engine = await startEdrEngine(genesis, findPackageRoot());
  const provider = new BrowserProvider(
    { request: ({ method, params }) => engine.request(method, (params ?? []) as unknown[]) },
    Number(genesis.chainId),
    { staticNetwork: true, cacheTimeout: -1, pollingInterval: 10 },
  );
  const accounts = ((await engine.request('eth_accounts')) as string[]).map((a) => getAddress(a));
  const signerCache = new Map<number, JsonRpcSigner>();
  const walletCache = new Map<number, HDNodeWallet>();
  const signer = (index: number) => {
    let made = signerCache.get(index);
    if (!made) {
      made = new JsonRpcSigner(provider, accounts[index]!);
      signerCache.set(index, made);
    }
    return made;
  };
  const wallet = (index: number) => {
    let made = walletCache.get(index);
    if (!made) {
      made = HDNodeWallet.fromPhrase(DEVNET_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
      walletCache.set(index, made);
    }
    return made;
  };

  const deploy = async (name: string, args: unknown[] = [], from = 0): Promise<Contract> => {
    const artifact = loadArtifact(name);
    const iface = new Interface(artifact.abi as never);
    const tx = await signer(from).sendTransaction({
      data: artifact.bytecode + iface.encodeDeploy(args).slice(2),
    });
    const receipt = (await tx.wait()) as TransactionReceipt;
    return new Contract(receipt.contractAddress!, iface, signer(from));
  };

  const tokenContract = await deploy('TestUSD', [accounts, TOKENS_EACH]);
  const token = await tokenContract.getAddress();
  const { registry, escrow } = await deployMarketContracts(signer(0));
  const testTokenAbi = new Interface([
    ...(loadArtifact('TestUSD').abi as never[]),
    'function mint(address to, uint256 amount)',
  ]);

  return {
    engine,
    provider,
    chainId: BigInt(genesis.chainId),
    accounts,
    signer,
    wallet,
    token,
    registry,
    escrow,
    escrowAs: (index) => new JobEscrowClient(escrow, signer(index)),
    registryAs: (index) => new ProviderRegistryClient(registry, signer(index)),
    deploy,
    tokenAt: (address, runner = provider) => new Contract(address, testTokenAbi, runner),
    now: async () => {
      const block = (await engine.request('eth_getBlockByNumber', ['latest', false])) as {
        timestamp: string;
      };
      return BigInt(block.timestamp);
    },
    increaseTime: async (seconds) => {
      await engine.request('evm_increaseTime', [Number(seconds)]);
      await engine.request('evm_mine', []);
    },
    sendAt: async (timestamp, from, tx) => {
      await engine.request('evm_setNextBlockTimestamp', [Number(timestamp)]);
      const hash = (await engine.request('eth_sendTransaction', [
        { from: accounts[from], to: tx.to, data: tx.data, gas: '0x1e8480' },
      ])) as string;
      return (await provider.getTransactionReceipt(hash))!;
    },
    close: async () => {
      provider.destroy();
      await engine.close();
    },
  };
}
