import type { Logger } from '../core/logger';
import { rpcCall } from './rpc-health';

export const DEVNET_CHAIN_ID = 31337;

/** What the embedded devnet reports once it listens. */
export interface RunningDevnet {
  url: string;
  port: number;
  chainId: number;
  contracts: Record<string, string>;
  stop(): Promise<void>;
}

export type StartDevnet = (options: {
  dataDir: string;
  port: number;
  logger?: Logger;
}) => Promise<RunningDevnet>;

export interface DevnetEndpoint {
  url: string;
  /** Contracts it deployed; empty when another process runs the devnet (see ensure). */
  contracts: Record<string, string>;
  /** False when a devnet was already listening on the port (`nocturne devnet`, or the app). */
  embedded: boolean;
}

/**
 * Starts the embedded devnet the first time something needs the local network, not at launch: most
 * sessions never touch it, and it costs ~0.7 s and ~150 MB. A devnet already answering on the
 * configured port (the owner's `nocturne devnet`, or the app beside a CLI command) is used as is.
 */
export function createDevnetManager(options: {
  dataDir: string;
  port: () => number;
  start: StartDevnet | null;
  logger: Logger;
}) {
  let running: RunningDevnet | null = null;
  let pending: Promise<DevnetEndpoint> | null = null;
  let stopping: Promise<void> = Promise.resolve();

  async function launch(): Promise<DevnetEndpoint> {
    await stopping;
    const port = options.port();
    if (port !== 0) {
      const url = `http://127.0.0.1:${port}`;
      const chainId = await rpcCall(url, 'eth_chainId', [], 1500).catch(() => null);
      if (chainId !== null) {
        if (chainId !== `0x${DEVNET_CHAIN_ID.toString(16)}`)
          throw new Error(
            `Port ${port} answers for chain ${String(chainId)}, not the devnet's ${DEVNET_CHAIN_ID}: choose another devnet port in Settings.`,
          );
        return { url, contracts: {}, embedded: false };
      }
    }
    if (!options.start) throw new Error('The embedded devnet is turned off here.');
    running = await options.start({ dataDir: options.dataDir, port, logger: options.logger });
    options.logger.info(`Embedded devnet listening on ${running.url}`);
    return { url: running.url, contracts: running.contracts, embedded: true };
  }

  return {
    ensure(): Promise<DevnetEndpoint> {
      pending ??= launch().catch((error: unknown) => {
        pending = null; // the next use tries again (the port may have been freed)
        throw error;
      });
      return pending;
    },
    running: () => running !== null,
    /** Every caller waits for the same stop, so a second call cannot return while the port is still held. */
    stop(): Promise<void> {
      const current = running;
      running = null;
      pending = null;
      if (current) stopping = stopping.then(() => current.stop());
      return stopping;
    },
  };
}

export type DevnetManager = ReturnType<typeof createDevnetManager>;
