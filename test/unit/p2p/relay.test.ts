import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { verifyQuote } from '../../../src/main/p2p/quote-protocol';
import { requestQuote, startQuoteService } from '../../../src/main/p2p/quote-service';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { LOOPBACK_TCP, providerQuoteFor, sampleRequest, useNodes } from './p2p-helpers';

/**
 * A provider behind NAT: it has no address of its own, only a reservation on a relay, and a renter reaches
 * it through `/p2p/<relay>/p2p-circuit/p2p/<provider>`.
 *
 * Relay limits: circuit relay v2 caps each relayed connection (libp2p's defaults: 2 minutes and 128 KiB)
 * and marks it "limited"; the quote protocol opts in to limited connections. The test relay is generous
 * (1 MiB and 10 minutes per connection, 16 reservations of 1 hour) so the limits are not what is tested,
 * yet the connection is still a limited one, as on a public relay.
 */
describe('a provider reachable only through a relay', () => {
  const startNode = useNodes();

  it('gets a reservation, and a renter dialling through the relay gets a signed quote', async () => {
    const relay = await startNode({
      listen: [LOOPBACK_TCP],
      relayServer: {
        reservations: {
          maxReservations: 16,
          reservationTtl: 60 * 60_000,
          defaultDataLimit: 1n << 20n,
          defaultDurationLimit: 10 * 60_000,
        },
      },
    });
    const relayAddress = relay.multiaddrs()[0]!.toString();

    const logger = createMemoryLogger();
    const providerNode = await startNode({
      listen: [`${relayAddress}/p2p-circuit`],
      relayClient: true,
      logger,
    });
    const providerAddresses = providerNode.multiaddrs().map((a) => a.toString());
    expect(providerAddresses).toEqual([`${relayAddress}/p2p-circuit/p2p/${providerNode.peerId.toString()}`]);
    const provider = providerQuoteFor(providerNode.peerId.toString());
    await startQuoteService(providerNode, { quoteFor: provider.quoteFor, logger });

    const renter = Wallet.createRandom().address;
    const renterNode = await startNode({ listen: [], relayClient: true });
    const response = await requestQuote(renterNode, providerAddresses[0]!, sampleRequest(renter));

    expect(response.ok).toBe(true);
    if (!response.ok) return;
    expect(response.quote.provider).toBe(providerNode.peerId.toString());
    expect(verifyQuote(response.quote, renter)).toBe(provider.wallet.address);

    const [connection] = renterNode.libp2p.getConnections(providerNode.peerId);
    expect(connection?.remoteAddr.toString()).toContain('/p2p-circuit');
    // Limited, with what is left of the 1 MiB after the exchange.
    const left = connection?.limits?.bytes ?? 0n;
    expect(left > 1_000_000n && left < 1n << 20n).toBe(true);
    expect(relay.libp2p.getConnections(providerNode.peerId)).toHaveLength(1);
  });

  it("fits in libp2p's default relay limits (2 minutes, 128 KiB per relayed connection)", async () => {
    const relay = await startNode({ listen: [LOOPBACK_TCP], relayServer: true });
    const providerNode = await startNode({
      listen: [`${relay.multiaddrs()[0]!.toString()}/p2p-circuit`],
      relayClient: true,
    });
    const provider = providerQuoteFor(providerNode.peerId.toString());
    await startQuoteService(providerNode, { quoteFor: provider.quoteFor, logger: createMemoryLogger() });
    const renterNode = await startNode({ listen: [], relayClient: true });
    const renter = Wallet.createRandom().address;
    for (let i = 0; i < 3; i++) {
      const response = await requestQuote(renterNode, providerNode.multiaddrs()[0]!, sampleRequest(renter));
      expect(response.ok).toBe(true);
    }
    const left = renterNode.libp2p.getConnections(providerNode.peerId)[0]?.limits?.bytes ?? 0n;
    expect(left > 100_000n).toBe(true); // three quotes used under 30 KiB of the 128 KiB
  });
});
