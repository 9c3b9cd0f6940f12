import { generateKeyPair } from '@libp2p/crypto/keys';
import { Wallet } from 'ethers';
import { afterEach } from 'vitest';
import { createP2pNode, type P2pNode, type P2pNodeOptions } from '../../../src/main/p2p/create-node';
import type { QuoteAvailability, QuoteOffer } from '../../../src/main/p2p/decide-quote';
import type { QuoteRequest } from '../../../src/main/p2p/messages';
import { createQuoteFor, type QuoteFor } from '../../../src/main/p2p/quote-protocol';
import { createMemoryLogger } from '../../fakes/memory-logger';

export const LOOPBACK_TCP = '/ip4/127.0.0.1/tcp/0';
export const LOOPBACK_WS = '/ip4/127.0.0.1/tcp/0/ws';

/** TestUSD's address on the devnet is not needed here: any checksummed address will do. */
export const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
export const CHAIN_ID = 31337;

/** Starts nodes for a test and stops every one of them after it, so no handle outlives the test. */
export function useNodes() {
  const started: P2pNode[] = [];
  afterEach(async () => {
    // One at a time, newest first: two connected nodes stopping at once each wait ~500 ms for the other's
    // close to be acknowledged, one after the other take a few ms.
    for (const node of started.splice(0).reverse()) await node.stop();
  });
  return async (options: Partial<P2pNodeOptions> = {}): Promise<P2pNode> => {
    const node = await createP2pNode({
      privateKey: options.dataDir === undefined ? await generateKeyPair('Ed25519') : undefined,
      listen: [LOOPBACK_TCP],
      relayClient: false,
      nat: false,
      logger: createMemoryLogger(),
      ...options,
    });
    started.push(node);
    return node;
  };
}

export function sampleRequest(
  renter: string,
  overrides: Partial<QuoteRequest['requirements']> = {},
): QuoteRequest {
  return {
    v: 1,
    chainId: CHAIN_ID,
    token: TOKEN,
    renter,
    requirements: { vramMiB: 8192, seconds: 600, gpuCount: 1, runtime: 'host', ...overrides },
  };
}

export const sampleOffer: QuoteOffer = {
  chainId: CHAIN_ID,
  token: TOKEN,
  pricePerSecond: 25n,
  maxSeconds: 3600,
};

export interface ProviderState {
  offers: QuoteOffer[];
  availability: QuoteAvailability;
  gpus: { vramMiB: number }[];
  runningJobs: number;
  now: Date;
}

/** A quoteFor over mutable state, signing with a fresh wallet. */
export function providerQuoteFor(peerId: string, state?: Partial<ProviderState>) {
  const wallet = Wallet.createRandom();
  const current: ProviderState = {
    offers: [sampleOffer],
    availability: { available: true, sentence: 'For rent now.', nextChange: null },
    gpus: [{ vramMiB: 24576 }],
    runningJobs: 0,
    now: new Date(),
    ...state,
  };
  const quoteFor: QuoteFor = createQuoteFor({
    peerId,
    offers: () => current.offers,
    availability: () => current.availability,
    gpus: () => current.gpus,
    runningJobs: () => current.runningJobs,
    signer: () => wallet,
    clock: { now: () => current.now },
    logger: createMemoryLogger(),
  });
  return { quoteFor, wallet, state: current };
}
