import type { Connection, Libp2p, Stream } from '@libp2p/interface';
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import type { P2pNode } from '../p2p/create-node';
import { JOB_PROTOCOL } from '../p2p/job-messages';

type NodeLike = P2pNode | Libp2p;

export function libp2pOf(node: NodeLike): Libp2p {
  return 'libp2p' in node ? node.libp2p : node;
}

/** A provider could not be reached at any of its registry addresses, or would not open the job stream. */
export class ProviderUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderUnreachableError';
  }
}

/**
 * The registry's addresses of `peerId` that can reach it: each must end in `/p2p/<peerId>` (a relayed one
 * ends in `/p2p-circuit/p2p/<peerId>`); one without a peer id gets it appended; one naming another peer,
 * or not a multiaddr at all, is dropped.
 */
export function providerAddresses(peerId: string, multiaddrs: readonly string[]): Multiaddr[] {
  const found: Multiaddr[] = [];
  for (const text of multiaddrs) {
    let address: Multiaddr;
    try {
      address = multiaddr(text);
    } catch {
      continue;
    }
    const peers = address.getComponents().filter((c) => c.name === 'p2p');
    const last = peers.at(-1)?.value;
    const lastIsPeer = address.getComponents().at(-1)?.name === 'p2p';
    if (last === undefined) found.push(address.encapsulate(`/p2p/${peerId}`));
    else if (lastIsPeer && last === peerId) found.push(address);
  }
  return found;
}

/** Dials the provider at its registry addresses (in parallel, as libp2p does) and checks who answered. */
export async function connectToProvider(
  node: NodeLike,
  peerId: string,
  multiaddrs: readonly string[],
  options: { signal?: AbortSignal } = {},
): Promise<Connection> {
  const libp2p = libp2pOf(node);
  const addresses = providerAddresses(peerId, multiaddrs);
  if (addresses.length === 0)
    throw new ProviderUnreachableError(`The registry lists no usable address for ${peerId}.`);
  let connection: Connection;
  try {
    connection = await libp2p.dial(addresses, { signal: options.signal });
  } catch (error) {
    throw new ProviderUnreachableError(
      `Could not reach ${peerId} at ${addresses.map((a) => a.toString()).join(', ')}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (connection.remotePeer.toString() !== peerId) {
    await connection.close().catch(() => undefined);
    throw new ProviderUnreachableError(
      `The address of ${peerId} is answered by another peer (${connection.remotePeer.toString()}).`,
    );
  }
  return connection;
}

/** Opens a `/nocturne/job/1` stream on the connection (allowed on relayed connections, as the spec says). */
export async function openJobStream(
  connection: Connection,
  options: { signal?: AbortSignal } = {},
): Promise<Stream> {
  try {
    return await connection.newStream(JOB_PROTOCOL, {
      signal: options.signal,
      runOnLimitedConnection: true,
      negotiateFully: true,
    });
  } catch (error) {
    throw new ProviderUnreachableError(
      `${connection.remotePeer.toString()} did not open ${JOB_PROTOCOL}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
