import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import {
  Contract,
  HDNodeWallet,
  JsonRpcProvider,
  NonceManager,
  parseEther,
  parseUnits,
  Wallet,
} from 'ethers';

/**
 * Separate processes of the market on loopback, for the end-to-end tests: a devnet of its own, providers
 * (`nocturne serve`) and renters (the CLI), each with its own data directory, all through bin/nocturne.js.
 * The devnet runs as its own process so that killing a provider (SIGKILL) leaves the chain as it was.
 */

let bin = 'bin/nocturne.js';

/**
 * Runs every process below from `path` (a CLI bundled from the sources by buildNocturneCli) rather than
 * bin/nocturne.js, which loads the last `npm run build`'s out/.
 */
export function useNocturneBin(path: string): void {
  bin = path;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one CLI command to its end. */
export function runNocturne(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `nocturne ${args.join(' ')} took over ${options.timeoutMs ?? 120_000} ms:\n${stdout}\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 120_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export interface LongProcess {
  child: ChildProcess;
  output: () => string;
  /** The first match of `pattern` in the output so far or to come. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGTERM (or `signal`), then waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startNocturne(args: string[], env: NodeJS.ProcessEnv = {}): LongProcess {
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters) wake();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (!match) return false;
          cleanup();
          resolve(match);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`No ${String(pattern)} within ${timeoutMs} ms in:\n${output}`));
        }, timeoutMs);
        const onExit = () => {
          if (check()) return;
          cleanup();
          reject(new Error(`nocturne ${args[0]} exited before ${String(pattern)}:\n${output}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(wake);
          child.off('exit', onExit);
        };
        const wake = () => void check();
        if (check()) return;
        waiters.add(wake);
        child.once('exit', onExit);
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

/** Hardhat's first public test account: funded with ETH and tUSD on every fresh devnet. */
const FUNDER = HDNodeWallet.fromPhrase(
  'test test test test test test test test test test test junk',
).privateKey;
export const DEVNET_TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
export const TOKEN_DECIMALS = 6;

const ERC20 = [
  'function transfer(address to, uint256 amount) returns (bool)',
  'function balanceOf(address owner) view returns (uint256)',
];

export interface Devnet {
  url: string;
  port: number;
  process: LongProcess;
  rpc: JsonRpcProvider;
  /** Sends `eth` ETH and `usd` tUSD to `address` from the public test account, mined before it returns. */
  fund(address: string, eth: string, usd: string): Promise<void>;
  tokenBalance(address: string): Promise<bigint>;
  stop(): Promise<void>;
}

export async function startDevnetProcess(dataDir: string): Promise<Devnet> {
  const port = await freePort();
  const process_ = startNocturne(['devnet', '--port', String(port), '--data-dir', dataDir]);
  await process_.waitFor(/RPC URL\s+(http:\/\/\S+)/, 60_000);
  const url = `http://127.0.0.1:${port}`;
  const rpc = new JsonRpcProvider(url, undefined, {
    staticNetwork: true,
    polling: true,
    pollingInterval: 100,
  });
  const funder = new NonceManager(new Wallet(FUNDER, rpc));
  const token = new Contract(DEVNET_TOKEN, ERC20, funder);
  return {
    url,
    port,
    process: process_,
    rpc,
    async fund(address, eth, usd) {
      await (await funder.sendTransaction({ to: address, value: parseEther(eth) })).wait();
      const transfer = token.getFunction('transfer');
      await (await transfer(address, parseUnits(usd, TOKEN_DECIMALS))).wait();
    },
    async tokenBalance(address) {
      return (await token.getFunction('balanceOf')(address)) as bigint;
    },
    async stop() {
      rpc.destroy();
      await process_.stop();
    },
  };
}

/** Imports `privateKey` as the wallet of `dataDir` (password NOCTURNE_PASSWORD). */
export async function importWallet(dataDir: string, privateKey: string, password: string): Promise<void> {
  const result = await runNocturne(['wallet', 'import', '--private-key', '--data-dir', dataDir], {
    env: { NOCTURNE_PASSWORD: password },
    input: `${privateKey}\n`,
  });
  if (result.code !== 0)
    throw new Error(`wallet import failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
}

/** Runs `nocturne <args> --data-dir DIR` and throws with its output unless it exits 0. */
export async function nocturneOk(
  dataDir: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  const result = await runNocturne([...args, '--data-dir', dataDir], { env });
  if (result.code !== 0)
    throw new Error(
      `nocturne ${args.join(' ')} failed (${result.code}):\n${result.stdout}\n${result.stderr}`,
    );
  return result.stdout;
}
