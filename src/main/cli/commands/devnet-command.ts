import { ContractArtifactError } from '../../contracts/artifacts';
import { resolveDataDir } from '../../data-dir/resolve-data-dir';
import { DevnetError } from '../../devnet/devnet-errors';
import { DEVNET_DEFAULT_PORT, startDevnet, type Devnet } from '../../devnet/start-devnet';
import { UsageError, type CliIo } from '../cli-io';

export const devnetHelp = `nocturne devnet [--port N] [--data-dir DIR] [--reset]

Runs a local Ethereum test chain (Hardhat's EDR engine) on 127.0.0.1 until Ctrl+C, with 10 funded test
accounts and a test stablecoin, TestUSD (tUSD, 6 decimals), deployed. Its chain id is 31337.
The chain is kept in DIR/devnet (a journal of its transactions, replayed at start) across restarts.
  --port N        port for JSON-RPC (default ${DEVNET_DEFAULT_PORT}; 0 picks a free one)
  --data-dir DIR  data directory (default: NOCTURNE_HOME, else the OS's app-data folder)
  --reset         move the old chain aside to DIR/devnet.bak-<time> and start a fresh one

The test accounts' keys come from Hardhat's public test mnemonic: everyone knows them. Never send real
funds to them or use them on a real chain.`;

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEVNET_DEFAULT_PORT;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535, not "${text}".`);
  return port;
}

function describe(devnet: Devnet, dataDir: string): string {
  return [
    `Nocturne devnet is running.`,
    ``,
    `  RPC URL   ${devnet.url}`,
    `  Chain id  ${devnet.chainId}`,
    `  TestUSD   ${devnet.contracts.TestUSD} (tUSD, ${devnet.tokenDecimals} decimals)`,
    `  ProviderRegistry ${devnet.contracts.ProviderRegistry}`,
    `  JobEscrow        ${devnet.contracts.JobEscrow}`,
    ``,
    `Funded accounts (10,000 ETH and 1,000,000 tUSD each at the start):`,
    ...devnet.accounts.map((address, i) => `  ${String(i).padStart(2)}  ${address}`),
    ``,
    `WARNING: these accounts' private keys are public test keys (Hardhat's test mnemonic "test test ... junk").`,
    `Anyone can spend from them. Never use them, or send real funds to them, on a real chain.`,
    ``,
    `Chain data: ${devnet.stateDir} (data directory ${dataDir})`,
    `Press Ctrl+C to stop.`,
    ``,
  ].join('\n');
}

/**
 * Runs until SIGINT/SIGTERM (or until `options.signal` aborts, for tests and embedding). Resolves with
 * the exit code once the devnet has stopped.
 */
export async function devnetCommand(
  values: { port?: string; 'data-dir'?: string; reset?: boolean },
  io: CliIo,
  options: { signal?: AbortSignal; onReady?: (devnet: Devnet) => void } = {},
): Promise<number> {
  const port = parsePort(values.port);
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env, platform: process.platform });
  let devnet: Devnet;
  try {
    devnet = await startDevnet({
      dataDir,
      port,
      reset: values.reset === true,
      logger: {
        info: (message) => {
          if (message.startsWith('Devnet reset')) io.out(`${message}\n`);
        },
        warn: (message) => io.err(`nocturne: warning: ${message}\n`),
      },
    });
  } catch (error) {
    if (error instanceof DevnetError || error instanceof ContractArtifactError) {
      io.err(`nocturne: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  io.out(describe(devnet, dataDir));
  options.onReady?.(devnet);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      options.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener('abort', stop);
  });
  await devnet.stop();
  io.out('Devnet stopped.\n');
  return 0;
}
