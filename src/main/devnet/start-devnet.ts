import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { getAddress, Interface, Transaction } from 'ethers';
import { findPackageRoot, loadArtifact } from '../contracts/artifacts';
import type { Logger } from '../core/logger';
import { acquireInstanceLock, DataDirInUseError } from '../data-dir/instance-lock';
import { marketDeploymentPlan } from '../market/deploy';
import { DevnetError, DevnetJournalError } from './devnet-errors';
import { startEdrEngine, type EvmEngine } from './edr-engine';
import {
  JOURNALED_METHODS,
  JournalWriter,
  readGenesis,
  readJournal,
  writeFileAtomically,
  type Genesis,
  type JournaledMethod,
  type JournalEntry,
} from './journal';
import { startRpcServer, type RpcCall, type RpcError, type RpcOutcome } from './rpc-server';

/** Hardhat's public test mnemonic. Its keys are published everywhere: test chains only. */
export const DEVNET_MNEMONIC = 'test test test test test test test test test test test junk';
export const DEVNET_CHAIN_ID = 31337;
export const DEVNET_DEFAULT_PORT = 18545;
export const TEST_TOKEN_DECIMALS = 6;
/** tUSD minted to every funded account at the first start: 1,000,000 tokens. */
export const TEST_TOKEN_PER_ACCOUNT = 1_000_000n * 10n ** BigInt(TEST_TOKEN_DECIMALS);

const ACCOUNT_COUNT = 10;
const ACCOUNT_BALANCE_WEI = (10_000n * 10n ** 18n).toString(); // 10,000 ETH each
/** Pinned in genesis.json so a chain keeps its rules when the engine's default moves on. */
const HARDFORK = 'prague';
const TEST_TOKEN = 'TestUSD';
const PROVIDER_REGISTRY = 'ProviderRegistry';
const JOB_ESCROW = 'JobEscrow';

/** The contracts every devnet has (see devnet-addresses.ts for where a fresh devnet puts them). */
export type DevnetContracts = {
  TestUSD: string;
  ProviderRegistry: string;
  JobEscrow: string;
};

export interface Devnet {
  /** JSON-RPC over HTTP, e.g. http://127.0.0.1:18545 */
  url: string;
  port: number;
  chainId: number;
  /** Checksummed addresses of the funded test accounts (keys from DEVNET_MNEMONIC, m/44'/60'/0'/0/i). */
  accounts: string[];
  contracts: DevnetContracts;
  tokenDecimals: 6;
  /** `<dataDir>/devnet`: genesis.json and journal.ndjson. */
  stateDir: string;
  /** Stops serving, closes the journal and the engine, and releases the lock. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartDevnetOptions {
  dataDir: string;
  port: number;
  host?: string;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** Rename an existing `<dataDir>/devnet` to `devnet.bak-<time>` first and start a fresh chain. */
  reset?: boolean;
  /** Where the artifacts of the contracts it deploys are (default: build/contracts, see loadArtifact). */
  contractsDir?: string;
  now?: () => Date;
}

/** A JSON-RPC error to answer with, as it is. */
class RpcFailure extends Error {
  constructor(readonly rpc: RpcError) {
    super(rpc.message);
  }
}

/** Methods that only move the clock for blocks mined later (whose timestamps the journal keeps). */
const TIME_METHODS = new Set(['evm_increaseTime', 'evm_setNextBlockTimestamp']);
const READ_PREFIXES = ['eth_', 'net_', 'web3_', 'debug_'];
const READ_METHODS = new Set(['personal_sign', 'hardhat_metadata', 'hardhat_getAutomine']);

type MethodKind = 'journal' | 'time' | 'read' | 'refuse';

/**
 * What the devnet does with a method. Journaled: the chain changes kept across restarts. Time: passed
 * through, not journaled. Read: passed through. Everything else that could change state (snapshots,
 * reverts, impersonation, setCode/setStorageAt/setNonce, automine switches, eth_send* variants) is refused,
 * since it could not be replayed.
 */
export function methodKind(method: string): MethodKind {
  if ((JOURNALED_METHODS as readonly string[]).includes(method)) return 'journal';
  if (TIME_METHODS.has(method)) return 'time';
  if (method.startsWith('eth_send')) return 'refuse';
  if (READ_METHODS.has(method) || READ_PREFIXES.some((prefix) => method.startsWith(prefix))) return 'read';
  return 'refuse';
}

function toRpcError(error: unknown): RpcError {
  if (error instanceof RpcFailure) return error.rpc;
  const e = error as { code?: unknown; message?: unknown; data?: unknown };
  const rpc: RpcError = {
    code: typeof e?.code === 'number' && Number.isInteger(e.code) ? e.code : -32603,
    message: typeof e?.message === 'string' ? e.message : String(error),
  };
  // EDR puts revert data (a hex string) in `data`; for other errors `data` echoes its own request: dropped.
  const echo = typeof e?.data === 'object' && e.data !== null && 'method' in e.data && 'jsonrpc' in e.data;
  if (e?.data !== undefined && !echo) rpc.data = e.data;
  return rpc;
}

const hexToNumber = (value: unknown): number => Number(BigInt(value as string));

interface Head {
  number: number;
  timestamp: number;
}

const locksHeldHere = new Set<string>();

function devnetPaths(dataDir: string) {
  const stateDir = join(dataDir, 'devnet');
  return {
    stateDir,
    genesis: join(stateDir, 'genesis.json'),
    journal: join(stateDir, 'journal.ndjson'),
    lock: join(dataDir, 'devnet.lock'),
  };
}

/** Moves `<dataDir>/devnet` aside to `devnet.bak-<time>`; returns where, or undefined when there was none. */
export function moveDevnetStateAside(dataDir: string, now: Date = new Date()): string | undefined {
  const { stateDir } = devnetPaths(dataDir);
  if (!existsSync(stateDir)) return undefined;
  const target = join(dataDir, `devnet.bak-${now.toISOString().replace(/[:.]/g, '-')}`);
  renameSync(stateDir, target);
  return target;
}

/**
 * Starts the embedded devnet: Hardhat's EDR (a real EVM) in this process, served as JSON-RPC on
 * 127.0.0.1. The chain is rebuilt from `<dataDir>/devnet` (genesis + journal) and keeps growing there.
 */
export async function startDevnet(options: StartDevnetOptions): Promise<Devnet> {
  const { dataDir, port, host = '127.0.0.1', now = () => new Date() } = options;
  const logger = options.logger ?? { info: () => {}, warn: () => {} };
  const paths = devnetPaths(dataDir);
  mkdirSync(dataDir, { recursive: true });

  const inUse = (pid: number) =>
    new DevnetError(
      `Another devnet (process ${pid}) is already running on ${paths.stateDir}. Stop it first, or choose ` +
        `another --data-dir.`,
    );
  // The lock file keeps other processes out; this set, other devnets in this one (the file lets its own pid in).
  if (locksHeldHere.has(paths.lock)) throw inUse(process.pid);
  let lock: { release(): void };
  try {
    lock = acquireInstanceLock(paths.lock);
  } catch (error) {
    throw error instanceof DataDirInUseError ? inUse(error.pid) : error;
  }
  locksHeldHere.add(paths.lock);

  const cleanups: (() => Promise<void> | void)[] = [
    () => {
      locksHeldHere.delete(paths.lock);
      lock.release();
    },
  ];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.warn(`Devnet shutdown: ${(error as Error).message}`);
      }
    }
  };

  try {
    if (options.reset) {
      const moved = moveDevnetStateAside(dataDir, now());
      if (moved) logger.info(`Devnet reset: the old chain was moved to ${moved}`);
    }
    mkdirSync(paths.stateDir, { recursive: true });
    const entries = readJournal(paths.journal, (message) => logger.warn(message));
    let genesis = readGenesis(paths.genesis);
    const genesisIsNew = !genesis;
    if (!genesis) {
      if (entries.length > 0)
        throw new DevnetError(
          `${paths.journal} has entries but ${paths.genesis} is missing, so the chain cannot be rebuilt. ` +
            `Restore it, or start a fresh chain with \`nocturne devnet --reset\`.`,
        );
      genesis = {
        format: 1,
        chainId: DEVNET_CHAIN_ID,
        hardfork: HARDFORK,
        mnemonic: DEVNET_MNEMONIC,
        accountCount: ACCOUNT_COUNT,
        accountBalanceWei: ACCOUNT_BALANCE_WEI,
        initialTimestamp: Math.floor(now().getTime() / 1000),
        createdAt: now().toISOString(),
      } satisfies Genesis;
    }

    // Listen first: a busy port fails at once, before the chain is rebuilt. Calls wait until it is.
    let markReady = () => {};
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    cleanups.push(() => markReady());
    let handleCall: (call: RpcCall) => Promise<RpcOutcome> = async () => ({
      error: { code: -32603, message: 'The devnet is not running' },
    });
    const server = await startRpcServer({
      host,
      port,
      handle: async (call) => {
        await ready;
        return handleCall(call);
      },
      onError: (error) => logger.warn(`Devnet RPC: ${(error as Error).stack ?? String(error)}`),
    });
    cleanups.push(() => server.close());

    const chain = await openChain({ genesis, genesisIsNew, paths, entries, logger, options, now });
    cleanups.push(() => chain.close());
    handleCall = chain.handle;
    markReady();

    const urlHost = host.includes(':') ? `[${host}]` : host;
    let stopped: Promise<void> | undefined;
    return {
      url: `http://${urlHost}:${server.port}`,
      port: server.port,
      chainId: genesis.chainId,
      accounts: chain.accounts,
      contracts: chain.contracts,
      tokenDecimals: TEST_TOKEN_DECIMALS,
      stateDir: paths.stateDir,
      stop: () => (stopped ??= cleanUp()),
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** The engine with the journal replayed, the contracts deployed, and the journaling request handler. */
async function openChain(args: {
  genesis: Genesis;
  genesisIsNew: boolean;
  paths: ReturnType<typeof devnetPaths>;
  entries: ReturnType<typeof readJournal>;
  logger: Pick<Logger, 'info' | 'warn'>;
  options: StartDevnetOptions;
  now: () => Date;
}) {
  const { genesis, genesisIsNew, paths, entries, logger, options, now } = args;
  const started = performance.now();
  const engine: EvmEngine = await startEdrEngine(genesis, findPackageRoot());
  let writer: JournalWriter | undefined;
  const close = async () => {
    writer?.close();
    await engine.close();
  };
  try {
    const request = (method: string, params: unknown[] = []) => engine.request(method, params);
    const latestBlock = async (tag: string = 'latest'): Promise<Head> => {
      const block = (await request('eth_getBlockByNumber', [tag, false])) as {
        number: string;
        timestamp: string;
      };
      return { number: hexToNumber(block.number), timestamp: hexToNumber(block.timestamp) };
    };
    const accounts = ((await request('eth_accounts')) as string[]).map((a) => getAddress(a));
    const contracts = new Map<string, string>();
    const noteDeployment = async (label: string | undefined, hash: unknown) => {
      if (!label?.startsWith('deploy:')) return;
      const receipt = (await request('eth_getTransactionReceipt', [hash])) as {
        status?: string;
        contractAddress?: string | null;
      } | null;
      if (receipt?.status !== '0x1' || !receipt.contractAddress)
        throw new DevnetError(`Deploying ${label.slice(7)} failed (receipt status ${receipt?.status}).`);
      contracts.set(label.slice(7), getAddress(receipt.contractAddress));
    };

    // 1. Replay the journal.
    for (const { line, entry } of entries) {
      let result: unknown;
      try {
        if (entry.time !== undefined) await request('evm_setNextBlockTimestamp', [entry.time]);
        result = await request(entry.method, entry.params);
      } catch (error) {
        throw new DevnetJournalError(
          paths.journal,
          line,
          `replaying ${entry.method} failed (${toRpcError(error).message})`,
        );
      }
      if (entry.result !== undefined && result !== entry.result)
        throw new DevnetJournalError(
          paths.journal,
          line,
          `replaying ${entry.method} gave ${String(result)}, the journal recorded ${entry.result}`,
        );
      const block = hexToNumber(await request('eth_blockNumber'));
      if (block !== entry.block)
        throw new DevnetJournalError(
          paths.journal,
          line,
          `replaying ${entry.method} ended at block ${block}, the journal recorded block ${entry.block}`,
        );
      await noteDeployment(entry.label, result);
    }
    if (genesisIsNew) {
      writeFileAtomically(
        paths.genesis,
        `${JSON.stringify({ ...genesis, engine: engine.versions }, null, 2)}\n`,
      );
    }
    writer = new JournalWriter(paths.journal);
    const journal = writer;
    let head = await latestBlock();

    // 2. The journaling path for calls that change the chain, one at a time.
    let broken: Error | undefined;
    let queue: Promise<unknown> = Promise.resolve();
    const serially = <T>(task: () => Promise<T>): Promise<T> => {
      const run = queue.then(task, task);
      queue = run.catch(() => undefined);
      return run;
    };
    const refuseNonceGap = async (method: JournaledMethod, params: unknown[]) => {
      let from: string | null | undefined;
      let nonce: number | undefined;
      if (method === 'eth_sendRawTransaction' && typeof params[0] === 'string') {
        try {
          const tx = Transaction.from(params[0]);
          from = tx.from;
          nonce = tx.nonce;
        } catch {
          return; // not a signed transaction: the engine gives the error
        }
      } else if (method === 'eth_sendTransaction') {
        const tx = params[0] as { from?: unknown; nonce?: unknown } | undefined;
        if (typeof tx?.from === 'string' && tx.nonce !== undefined) {
          from = tx.from;
          nonce = hexToNumber(tx.nonce);
        }
      }
      if (!from || nonce === undefined) return;
      const expected = hexToNumber(await request('eth_getTransactionCount', [from, 'pending']));
      if (nonce > expected)
        throw new RpcFailure({
          code: -32000,
          message:
            `Nonce too high: ${from} is at nonce ${expected}, the transaction has ${nonce}. The Nocturne ` +
            `devnet mines every transaction as it arrives and does not hold any for a later nonce.`,
        });
    };
    const applyJournaled = async (method: JournaledMethod, params: unknown[], label?: string) => {
      if (broken)
        throw new RpcFailure({
          code: -32603,
          message: `The devnet could not write its journal (${broken.message}) and refuses further changes; restart it.`,
        });
      if (method === 'eth_sendRawTransaction' || method === 'eth_sendTransaction')
        await refuseNonceGap(method, params);
      const result = await request(method, params);
      const latest = await latestBlock();
      const entry: JournalEntry = { method, params, block: latest.number };
      if (latest.number > head.number)
        entry.time =
          latest.number === head.number + 1
            ? latest.timestamp
            : (await latestBlock(`0x${(head.number + 1).toString(16)}`)).timestamp;
      if (
        (method === 'eth_sendRawTransaction' || method === 'eth_sendTransaction') &&
        typeof result === 'string'
      )
        entry.result = result;
      if (label) entry.label = label;
      try {
        journal.append(entry);
      } catch (error) {
        broken = error as Error;
        logger.warn(`Devnet journal ${paths.journal} could not be written: ${broken.message}`);
        throw new RpcFailure({
          code: -32603,
          message: `The devnet could not write its journal (${broken.message}); restart it.`,
        });
      }
      head = latest;
      return result;
    };

    // 3. TestUSD, deployed once and journaled like any transaction (so it keeps its address).
    if (!contracts.has(TEST_TOKEN)) {
      const artifact = loadArtifact(TEST_TOKEN, options.contractsDir);
      const data =
        artifact.bytecode +
        new Interface(artifact.abi as never).encodeDeploy([accounts, TEST_TOKEN_PER_ACCOUNT]).slice(2);
      const hash = await serially(() =>
        applyJournaled('eth_sendTransaction', [{ from: accounts[0], data }], `deploy:${TEST_TOKEN}`),
      );
      await noteDeployment(`deploy:${TEST_TOKEN}`, hash);
    }

    // 3b. The market: ProviderRegistry, then JobEscrow, from the same account at its next two nonces (each
    // is built with the other's address). A journal made before they existed gets them now, as a pair.
    if (!contracts.has(PROVIDER_REGISTRY) || !contracts.has(JOB_ESCROW)) {
      const deployer = accounts[0]!;
      const nonce = hexToNumber(await request('eth_getTransactionCount', [deployer, 'pending']));
      const plan = marketDeploymentPlan(deployer, nonce, options.contractsDir);
      for (const [name, step] of [
        [PROVIDER_REGISTRY, plan.registry],
        [JOB_ESCROW, plan.escrow],
      ] as const) {
        const hash = await serially(() =>
          applyJournaled('eth_sendTransaction', [{ from: deployer, data: step.data }], `deploy:${name}`),
        );
        await noteDeployment(`deploy:${name}`, hash);
      }
    }

    // 4. The chain's clock resumes at the wall clock (or later, if it had been moved ahead).
    const nowSeconds = Math.floor(now().getTime() / 1000);
    if (nowSeconds > head.timestamp) await request('evm_increaseTime', [nowSeconds - head.timestamp]);

    logger.info(
      `Devnet ready: chain ${genesis.chainId}, block ${head.number}, ${entries.length} journal entries ` +
        `replayed in ${Math.round(performance.now() - started)} ms`,
    );

    const handle = async ({ method, params }: RpcCall): Promise<RpcOutcome> => {
      try {
        const kind = methodKind(method);
        if (kind === 'refuse')
          throw new RpcFailure({
            code: -32004,
            message:
              `Method ${method} is not supported by the Nocturne devnet: it keeps its chain across restarts ` +
              `by replaying a journal, and ${method} could not be replayed.`,
          });
        if (kind === 'read') return { result: (await engine.request(method, params)) ?? null };
        if (!Array.isArray(params) && params !== undefined)
          throw new RpcFailure({ code: -32602, message: `${method} takes its params as an array` });
        const list = params ?? [];
        if (kind === 'time') return { result: (await serially(() => request(method, list))) ?? null };
        return {
          result: (await serially(() => applyJournaled(method as JournaledMethod, list))) ?? null,
        };
      } catch (error) {
        return { error: toRpcError(error) };
      }
    };

    const deployed = (name: string): string => {
      const address = contracts.get(name);
      if (!address) throw new DevnetError(`${name} was not deployed.`);
      return address;
    };
    const devnetContracts: DevnetContracts = {
      TestUSD: deployed(TEST_TOKEN),
      ProviderRegistry: deployed(PROVIDER_REGISTRY),
      JobEscrow: deployed(JOB_ESCROW),
    };
    return {
      accounts,
      contracts: devnetContracts,
      handle,
      close: async () => {
        await queue;
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
