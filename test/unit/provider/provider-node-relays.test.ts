// The provider node and its relays (the p2pRelays setting): a relay that cannot be reached never stops the
// node, which keeps serving at its own addresses and says so in its status; the relay is tried again, and
// a reservation lost when the relay goes away is made again when it comes back.
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import { Wallet } from 'ethers';
import { describe, expect, it, afterEach } from 'vitest';
import type { ProviderNodeStatus } from '../../../src/shared/schemas/market';
import { systemClock } from '../../../src/main/core/clock';
import type { P2pNode } from '../../../src/main/p2p/create-node';
import { requestQuote } from '../../../src/main/p2p/quote-service';
import { createProviderNode } from '../../../src/main/provider/provider-node';
import { relayWords } from '../../../src/main/provider/relay-reservations';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';
import { sampleOffer, sampleRequest, useNodes } from '../p2p/p2p-helpers';

const tempDir = useTempDirs();
const startNode = useNodes();
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** A relay on a fixed loopback port and key, so it can be stopped and started again at the same address. */
async function relayAt(key: PrivateKey, port: number): Promise<P2pNode> {
  return startNode({
    privateKey: key,
    listen: [`/ip4/127.0.0.1/tcp/${port}`],
    relayServer: { reservations: { maxReservations: 16, reservationTtl: 60 * 60_000 } },
  });
}

function provider(relays: string[], options: { listenOnlyViaRelays?: boolean } = {}) {
  const logger = createMemoryLogger();
  const statuses: ProviderNodeStatus[] = [];
  const wallet = Wallet.createRandom();
  const node = createProviderNode({
    dataDir: tempDir(),
    port: () => 0,
    host: '127.0.0.1',
    nat: false,
    relays: () => relays,
    listenOnlyViaRelays: options.listenOnlyViaRelays,
    relayRetry: { firstMs: 100, maxMs: 400 },
    offers: () => [sampleOffer],
    availability: () => ({ available: true, sentence: 'For rent now.', nextChange: null }),
    gpus: () => [{ vramMiB: 24_576 }],
    runningJobs: () => 0,
    signer: () => wallet,
    clock: systemClock,
    logger,
    onStatus: (status) => statuses.push(status),
  });
  stops.push(() => node.stop());
  return { node, logger, statuses };
}

const until = async (check: () => boolean, ms = 10_000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('provider node relays', () => {
  it('goes online without a relay it cannot reach, serves directly, and picks the relay up once it answers', async () => {
    // A relay's address and key, with nothing listening there yet.
    const key = await generateKeyPair('Ed25519');
    const first = await relayAt(key, 0);
    const relayAddress = first.multiaddrs()[0]!.toString();
    const port = Number(/\/tcp\/(\d+)\//.exec(relayAddress)![1]);
    await first.stop();

    const p = provider([relayAddress]);
    await p.node.apply(true);
    const status = p.node.status();
    expect(status.state).toBe('online');
    expect(status.addresses).toHaveLength(2); // its own TCP and WebSockets addresses
    expect(status.addresses.every((a) => !a.includes('/p2p-circuit'))).toBe(true);
    expect(status.reason).toBe(
      `Could not listen through a relay (relay ${relayAddress}: nothing answers at that address (connection ` +
        'refused)); renters reach this machine at its other addresses meanwhile, and the relay is tried again.',
    );
    expect(p.logger.lines.some((l) => l.level === 'warn' && l.message.includes(relayAddress))).toBe(true);

    // It serves renters at its own address meanwhile.
    const renter = await startNode({ listen: [], relayClient: true });
    const direct = await requestQuote(
      renter,
      status.addresses[0]!,
      sampleRequest(Wallet.createRandom().address),
    );
    expect(direct.ok).toBe(true);

    // The relay comes up: the next try makes the reservation, and the status gains the circuit address.
    const relay = await relayAt(key, port);
    const circuit = `${relayAddress}/p2p-circuit/p2p/${status.peerId!}`;
    await until(() => p.node.status().addresses.includes(circuit));
    expect(p.node.status()).toMatchObject({ state: 'online', reason: null });
    expect(p.statuses.at(-1)).toEqual(p.node.status()); // told to the app (the offer publisher follows)

    // The relay goes away: the circuit address goes, and the reason says why; it comes back, and so does
    // the reservation.
    await relay.stop();
    await until(() => !p.node.status().addresses.includes(circuit));
    expect(p.node.status().reason).toContain('the reservation was lost');
    await relayAt(key, port);
    await until(() => p.node.status().addresses.includes(circuit));
    expect(p.node.status().reason).toBeNull();
  });

  it('says when nothing can reach a provider that listens only through relays', async () => {
    const key = await generateKeyPair('Ed25519');
    const notRelay = await startNode({ privateKey: key }); // a peer, but no relay server
    const address = notRelay.multiaddrs()[0]!.toString();
    const only = provider([address], { listenOnlyViaRelays: true }).node;
    await only.apply(true);
    expect(only.status()).toMatchObject({ state: 'online', addresses: [] });
    expect(only.status().reason).toBe(
      `Could not listen through a relay (relay ${address}: that peer is not a circuit relay (v2): it does not ` +
        'take reservations); renters cannot reach this machine until a relay can be used; it is tried again.',
    );
  });

  it("words libp2p's reasons for an owner", () => {
    expect(relayWords('connect ECONNREFUSED 127.0.0.1:1')).toBe(
      'nothing answers at that address (connection refused)',
    );
    expect(
      relayWords(
        'EncryptionFailedError: Payload identity key 12D3A does not match expected remote identity key 12D3B',
      ),
    ).toBe('another peer answers at that address: check the peer id after /p2p/');
    expect(relayWords('getaddrinfo ENOTFOUND relay.example.invalid')).toBe(
      'its host name could not be resolved',
    );
    expect(relayWords('The operation was aborted due to timeout')).toBe('no answer in time');
    expect(relayWords('something else')).toBe('something else');
  });
});
