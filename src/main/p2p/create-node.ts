import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { autoNAT } from '@libp2p/autonat';
import {
  circuitRelayServer,
  circuitRelayTransport,
  type CircuitRelayServerInit,
} from '@libp2p/circuit-relay-v2';
import { dcutr } from '@libp2p/dcutr';
import { identify } from '@libp2p/identify';
import type { Libp2p, PeerId, PrivateKey } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { uPnPNAT } from '@libp2p/upnp-nat';
import { webSockets } from '@libp2p/websockets';
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import { createLibp2p, type Libp2pOptions } from 'libp2p';
import type { Logger } from '../core/logger';
import { loadOrCreatePeerKey } from './peer-key';

/**
 * The libp2p node of a provider (or renter): TCP and WebSockets, Noise, Yamux, identify; the circuit relay
 * v2 transport so a node behind NAT can listen through a relay (`/p2p/<relay>/p2p-circuit`) and be dialled
 * there; DCUtR to upgrade a relayed connection to a direct one by hole punching, AutoNAT to learn whether
 * our addresses are reachable, and UPnP to open a port on the home router. No discovery: renters find
 * providers in the on-chain registry and dial them by multiaddr.
 */

export const DEFAULT_LISTEN = ['/ip4/0.0.0.0/tcp/0', '/ip4/0.0.0.0/tcp/0/ws'];

export interface P2pNodeOptions {
  /** Where the persistent peer key lives (`<dataDir>/p2p/peer-key`). Either this or privateKey. */
  dataDir?: string;
  /** A key to use as is (tests, the renter's throwaway identity). */
  privateKey?: PrivateKey;
  /**
   * Multiaddrs to listen on (default DEFAULT_LISTEN). A relay reservation is a listen address too:
   * `/ip4/1.2.3.4/tcp/4001/p2p/<relay peer id>/p2p-circuit`.
   */
  listen?: string[];
  /** Extra addresses to announce (for example the public one a port forward gives). */
  announce?: string[];
  /** The circuit relay transport: dial `/p2p-circuit` addresses and listen through relays. Default true. */
  relayClient?: boolean;
  /** UPnP port mapping, AutoNAT and DCUtR hole punching. Default true; off in tests (no router, no peers). */
  nat?: boolean;
  /**
   * Serve as a circuit relay v2 for other nodes (the test relay; a well-connected provider could too).
   * `true` uses libp2p's defaults (reservations limited to 2 min and 128 KiB per relayed connection).
   */
  relayServer?: boolean | CircuitRelayServerInit;
  logger: Logger;
}

export interface P2pNode {
  readonly libp2p: Libp2p;
  readonly peerId: PeerId;
  /** The addresses peers can dial now, each ending in `/p2p/<our peer id>`. */
  multiaddrs(): Multiaddr[];
  /**
   * Listens on one more address while the node runs: a relay reservation (`<relay>/p2p-circuit`) made
   * after the start, or again after the relay went away. Throws `ListenFailedError` (the address and the
   * reason) when it cannot; the node and its other addresses carry on either way.
   */
  listen(address: string): Promise<void>;
  /** Closes every connection and listener. Safe to call twice. */
  stop(): Promise<void>;
}

export async function createP2pNode(options: P2pNodeOptions): Promise<P2pNode> {
  const { logger } = options;
  const privateKey = options.privateKey ?? (await keyFromDataDir(options.dataDir));
  const relayClient = options.relayClient ?? true;
  const nat = options.nat ?? true;

  const services: NonNullable<Libp2pOptions['services']> = {
    // runOnLimitedConnection: a provider reached through a relay must still tell the renter its addresses.
    identify: identify({ runOnLimitedConnection: true }),
  };
  if (nat) {
    services.autoNAT = autoNAT();
    services.upnp = uPnPNAT({ portMappingDescription: 'Nocturne' });
    if (relayClient) services.dcutr = dcutr();
  }
  // libp2p has no public way to listen once started; a service is handed the components, so this one
  // keeps the transport manager for listen() below.
  let transportManager: RuntimeTransportManager | null = null;
  services.runtimeListen = (components: { transportManager: RuntimeTransportManager }) => {
    transportManager = components.transportManager;
    return {};
  };
  if (options.relayServer !== undefined && options.relayServer !== false)
    services.relay = circuitRelayServer(options.relayServer === true ? {} : options.relayServer);

  const libp2p = await createLibp2p({
    privateKey,
    addresses: { listen: options.listen ?? DEFAULT_LISTEN, announce: options.announce ?? [] },
    transports: [tcp(), webSockets(), ...(relayClient ? [circuitRelayTransport()] : [])],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services,
  });

  const peerId = libp2p.peerId;
  const addresses = () => libp2p.getMultiaddrs();
  logger.info(
    `P2P node ${peerId.toString()} started on ${addresses()
      .map((a) => a.toString())
      .join(', ')}`,
  );
  let known = new Set(addresses().map((a) => a.toString()));
  const onSelfUpdate = () => {
    const now = new Set(addresses().map((a) => a.toString()));
    const added = [...now].filter((a) => !known.has(a));
    const removed = [...known].filter((a) => !now.has(a));
    known = now;
    if (added.length > 0) logger.info(`P2P addresses added: ${added.join(', ')}`);
    if (removed.length > 0) logger.info(`P2P addresses removed: ${removed.join(', ')}`);
  };
  libp2p.addEventListener('self:peer:update', onSelfUpdate);

  let stopping: Promise<void> | null = null;
  return {
    libp2p,
    peerId,
    multiaddrs: addresses,
    async listen(address) {
      if (!transportManager || libp2p.status !== 'started')
        throw new ListenFailedError(address, 'the node is not running');
      try {
        await transportManager.listen([multiaddr(address)]);
      } catch (error) {
        throw new ListenFailedError(address, listenFailure(address, error));
      }
    },
    stop() {
      stopping ??= (async () => {
        libp2p.removeEventListener('self:peer:update', onSelfUpdate);
        await libp2p.stop();
        logger.info(`P2P node ${peerId.toString()} stopped`);
      })();
      return stopping;
    },
  };
}

/** The part of libp2p's transport manager that listen() needs. */
interface RuntimeTransportManager {
  listen(addresses: Multiaddr[]): Promise<void>;
}

/** An address the node could not listen on, and why (in words: "connect ECONNREFUSED 127.0.0.1:4001"). */
export class ListenFailedError extends Error {
  constructor(
    readonly address: string,
    readonly reason: string,
  ) {
    super(`Could not listen on ${address}: ${reason}`);
    this.name = 'ListenFailedError';
  }
}

/**
 * libp2p's error lists every failed address with its cause, after advice about its own configuration that
 * means nothing to an owner; keep the cause only.
 */
function listenFailure(address: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = message.lastIndexOf(`${address}: `);
  const cause = at >= 0 ? message.slice(at + address.length + 2) : message;
  // The first line only (libp2p appends the stack), without a bare "Error: " in front.
  const line = cause.trim().split('\n')[0]!.trim();
  return line.replace(/^Error: /, '').replace(/\.$/, '') || 'unknown error';
}

async function keyFromDataDir(dataDir: string | undefined): Promise<PrivateKey> {
  if (dataDir === undefined) throw new TypeError('createP2pNode: pass dataDir or privateKey');
  return loadOrCreatePeerKey(dataDir);
}
