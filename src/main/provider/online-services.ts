import { createP2pNode, type P2pNode } from '../p2p/create-node';
import { createQuoteFor } from '../p2p/quote-protocol';
import { startQuoteService } from '../p2p/quote-service';
import { startJobService, type JobService } from './job-service';
import type { ProviderNodeOptions } from './provider-node';
import { keepRelayReservations, type RelayReservations } from './relay-reservations';

export interface OnlineServices {
  node: P2pNode;
  quotes: { stop(): Promise<void> };
  jobs: JobService | null;
  relays: RelayReservations;
}

/**
 * What being online runs: the libp2p node, `/nocturne/quote/1`, `/nocturne/job/1` and the relay
 * reservations. Loaded only when the provider goes online (provider-node.ts imports it on demand), so an
 * agent that is not renting never loads libp2p. On a failure, what was started is stopped and it throws.
 */
export async function startOnlineServices(
  options: ProviderNodeOptions,
  host: string,
  port: number,
  /** The node's addresses or relays changed (the status follows them). */
  changed: (node: P2pNode) => void,
): Promise<OnlineServices> {
  let node: P2pNode | null = null;
  let relays: RelayReservations | null = null;
  try {
    node = await createP2pNode({
      dataDir: options.dataDir,
      listen: options.listenOnlyViaRelays
        ? []
        : [`/ip4/${host}/tcp/${port}`, `/ip4/${host}/tcp/${port === 0 ? 0 : port + 1}/ws`],
      relayClient: true,
      nat: options.nat,
      logger: options.logger,
    });
    let jobs: JobService | null = null;
    const quotes = await startQuoteService(node, {
      quoteFor: createQuoteFor({
        peerId: node.peerId,
        offers: options.offers,
        availability: options.availability,
        gpus: options.gpus,
        // A rental still receiving its bundle or starting holds the GPU too.
        runningJobs: () => Math.max(options.runningJobs(), jobs?.busy() === true ? 1 : 0),
        signer: options.signer,
        clock: options.clock,
        logger: options.logger,
        pricing: options.pricing,
      }),
      logger: options.logger,
    });
    jobs = options.jobs ? await startJobService(node, options.jobs) : null;
    // The relays after the services, so a renter who arrives through one finds them. A relay that fails
    // is said in the status and tried again; it never stops the node.
    const started = node;
    relays = keepRelayReservations({
      node,
      relays: options.relays?.() ?? [],
      logger: options.logger,
      retry: options.relayRetry,
      onChange: () => changed(started),
    });
    await relays.start();
    return { node, quotes, jobs, relays };
  } catch (error) {
    relays?.stop();
    await node?.stop().catch(() => undefined);
    throw error;
  }
}
