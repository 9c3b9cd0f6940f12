import type { ProviderNodeStatus } from '../../shared/schemas/market';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { createP2pNode, type P2pNode } from '../p2p/create-node';
import type { QuoteAvailability, QuoteGpu, QuoteOffer } from '../p2p/decide-quote';
import { createQuoteFor, type QuoteSigner } from '../p2p/quote-protocol';
import { startQuoteService } from '../p2p/quote-service';

export interface ProviderNodeOptions {
  dataDir: string;
  /** TCP port (WebSockets on port + 1); 0 picks free ones. */
  port: () => number;
  /** Listen on loopback only (tests, and rigs that reach renters through a relay). */
  host?: string;
  /** UPnP, AutoNAT and DCUtR: on for a home PC, off on loopback. */
  nat: boolean;
  offers: () => readonly QuoteOffer[];
  availability: () => QuoteAvailability;
  gpus: () => readonly QuoteGpu[];
  runningJobs: () => number;
  signer: () => QuoteSigner;
  clock: Clock;
  logger: Logger;
  onStatus: (status: ProviderNodeStatus) => void;
}

const OFFLINE: ProviderNodeStatus = {
  state: 'offline',
  peerId: null,
  addresses: [],
  reason: 'Renting is off: go online to take renters.',
};

/**
 * The provider's side of the market: a libp2p node that answers `/nocturne/quote/1`. Started and
 * stopped with the providerOnline setting; one start or stop runs at a time.
 */
export function createProviderNode(options: ProviderNodeOptions) {
  let status: ProviderNodeStatus = OFFLINE;
  let running: { node: P2pNode; quotes: { stop(): Promise<void> } } | null = null;
  let queue: Promise<void> = Promise.resolve();

  const set = (next: ProviderNodeStatus) => {
    status = next;
    options.onStatus(next);
  };

  async function start(): Promise<void> {
    if (running) return;
    set({ ...OFFLINE, state: 'starting', reason: null });
    const host = options.host ?? '0.0.0.0';
    const port = options.port();
    let node: P2pNode | null = null;
    try {
      node = await createP2pNode({
        dataDir: options.dataDir,
        listen: [`/ip4/${host}/tcp/${port}`, `/ip4/${host}/tcp/${port === 0 ? 0 : port + 1}/ws`],
        relayClient: true,
        nat: options.nat,
        logger: options.logger,
      });
      const quotes = await startQuoteService(node, {
        quoteFor: createQuoteFor({
          peerId: node.peerId,
          offers: options.offers,
          availability: options.availability,
          gpus: options.gpus,
          runningJobs: options.runningJobs,
          signer: options.signer,
          clock: options.clock,
          logger: options.logger,
        }),
        logger: options.logger,
      });
      running = { node, quotes };
      const addresses = node.multiaddrs().map((a) => a.toString());
      options.logger.info(`Provider node online as ${node.peerId.toString()} on ${addresses.join(', ')}`);
      set({ state: 'online', peerId: node.peerId.toString(), addresses, reason: null });
    } catch (error) {
      await node?.stop().catch(() => undefined);
      const message = (error as Error).message;
      options.logger.warn(`Provider node could not start: ${message}`);
      set({
        state: 'error',
        peerId: null,
        addresses: [],
        reason: /EADDRINUSE/.test(message)
          ? `Port ${port} is in use: choose another peer-to-peer port in Settings.`
          : `The peer-to-peer node could not start: ${message}`,
      });
    }
  }

  async function stop(): Promise<void> {
    const current = running;
    running = null;
    if (current) {
      await current.quotes.stop();
      await current.node.stop();
    }
    if (status.state !== 'offline') set(OFFLINE);
  }

  const enqueue = (task: () => Promise<void>) => (queue = queue.then(task, task));

  return {
    status: () => status,
    /** Brings the node to the wanted state (online or not); restarts it when asked to (a new port). */
    apply(online: boolean, restart = false): Promise<void> {
      return enqueue(async () => {
        if (!online || restart) await stop();
        if (online) await start();
      });
    },
    stop: (): Promise<void> => enqueue(stop),
  };
}

export type ProviderNode = ReturnType<typeof createProviderNode>;
