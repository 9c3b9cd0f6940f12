import type { ProviderNodeStatus } from '../../shared/schemas/market';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { P2pNode } from '../p2p/create-node';
import type { QuoteAvailability, QuoteGpu, QuoteOffer } from '../p2p/decide-quote';
import type { QuotePricingSources, QuoteSigner } from '../p2p/quote-protocol';
import type { JobService, JobServiceOptions } from './job-service';
import type { RelayReservations, RelayRetry } from './relay-reservations';

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
  /** The owner's costs and the learnt demand, weighed by quotes (src/main/pricing); none: no price check. */
  pricing?: QuotePricingSources;
  clock: Clock;
  logger: Logger;
  onStatus: (status: ProviderNodeStatus) => void;
  /** `/nocturne/job/1`: renters' rentals (job-service.ts); without it the node only quotes. */
  jobs?: JobServiceOptions;
  /**
   * Circuit relays to listen through (the p2pRelays setting), each ending in `/p2p/<relay id>`: the node
   * listens on `<relay>/p2p-circuit` too, so renters who cannot dial it reach it through the relay.
   */
  relays?: () => readonly string[];
  /**
   * Listen through the relays only, with no address of its own: a provider that renters can reach only
   * through a relay (the relay rental test). Not a setting: the app always listens directly as well, which
   * UPnP and hole punching need.
   */
  listenOnlyViaRelays?: boolean;
  /** How soon a relay that failed, or was lost, is tried again (default 30 s doubling to 10 min). */
  relayRetry?: RelayRetry;
}

const OFFLINE: ProviderNodeStatus = {
  state: 'offline',
  peerId: null,
  addresses: [],
  reason: 'Renting is off: go online to take renters.',
};

/**
 * The provider's side of the market: a libp2p node that answers `/nocturne/quote/1` and serves rentals over
 * `/nocturne/job/1`. Started and stopped with the providerOnline setting; one start or stop runs at a time.
 */
export function createProviderNode(options: ProviderNodeOptions) {
  let status: ProviderNodeStatus = OFFLINE;
  let running: {
    node: P2pNode;
    quotes: { stop(): Promise<void> };
    jobs: JobService | null;
    relays: RelayReservations;
    watch: () => void;
  } | null = null;
  let queue: Promise<void> = Promise.resolve();

  const set = (next: ProviderNodeStatus) => {
    if (JSON.stringify(next) === JSON.stringify(status)) return;
    status = next;
    options.onStatus(next);
  };

  const onlineStatus = (node: P2pNode, relays: RelayReservations): ProviderNodeStatus => {
    const addresses = node.multiaddrs().map((a) => a.toString());
    return {
      state: 'online',
      peerId: node.peerId.toString(),
      addresses,
      reason: relayReason(relays, addresses.length > 0),
    };
  };

  async function start(): Promise<void> {
    if (running) return;
    set({ ...OFFLINE, state: 'starting', reason: null });
    const host = options.host ?? '0.0.0.0';
    const port = options.port();
    try {
      const { startOnlineServices } = await import('./online-services');
      const refresh = (node: P2pNode) => {
        if (running?.node === node) set(onlineStatus(node, running.relays));
      };
      const services = await startOnlineServices(options, host, port, refresh);
      const { node, relays } = services;
      // Addresses come and go after the start (a relay's reservation lost or made again, UPnP, AutoNAT):
      // the status follows them, and the offer publisher with it.
      const watch = () => {
        relays.check();
        refresh(node);
      };
      node.libp2p.addEventListener('self:peer:update', watch);
      running = { ...services, watch };
      const online = onlineStatus(node, relays);
      options.logger.info(
        `Provider node online as ${node.peerId.toString()} on ${online.addresses.join(', ') || 'no address yet'}`,
      );
      set(online);
    } catch (error) {
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
      current.node.libp2p.removeEventListener('self:peer:update', current.watch);
      current.relays.stop();
      await current.quotes.stop();
      await current.jobs?.stop();
      await current.node.stop();
    }
    if (status.state !== 'offline') set(OFFLINE);
  }

  const enqueue = (task: () => Promise<void>) => (queue = queue.then(task, task));

  return {
    status: () => status,
    /** Whether a rental holds the provider now. */
    busy: (): boolean => running?.jobs?.busy() ?? false,
    /** Brings the node to the wanted state (online or not); restarts it when asked to (a new port, new relays). */
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

/** What the status says about relays without a reservation (null when every relay has one). */
function relayReason(relays: RelayReservations, reachable: boolean): string | null {
  const problems = relays.problems();
  if (problems.length === 0) return null;
  const each = problems.map((p) => `relay ${p.relay}: ${p.reason}`).join('; ');
  return (
    `Could not listen through ${problems.length === 1 ? 'a relay' : `${problems.length} relays`} (${each}); ` +
    (reachable
      ? 'renters reach this machine at its other addresses meanwhile, and the relay is tried again.'
      : 'renters cannot reach this machine until a relay can be used; it is tried again.')
  );
}
