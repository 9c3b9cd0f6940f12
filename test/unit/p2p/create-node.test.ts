import { generateKeyPair } from '@libp2p/crypto/keys';
import { describe, expect, it } from 'vitest';
import { createP2pNode, DEFAULT_LISTEN } from '../../../src/main/p2p/create-node';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { LOOPBACK_TCP, LOOPBACK_WS, useNodes } from './p2p-helpers';

describe('createP2pNode', () => {
  const startNode = useNodes();

  it('runs the whole stack (NAT services on, default listen addresses) and stops cleanly, twice', async () => {
    expect(DEFAULT_LISTEN).toEqual(['/ip4/0.0.0.0/tcp/0', '/ip4/0.0.0.0/tcp/0/ws']);
    const logger = createMemoryLogger();
    const node = await startNode({ listen: undefined, relayClient: true, nat: true, logger });
    // runtimeListen: no protocol, it only keeps libp2p's transport manager for P2pNode.listen().
    expect(Object.keys(node.libp2p.services).sort()).toEqual([
      'autoNAT',
      'dcutr',
      'identify',
      'runtimeListen',
      'upnp',
    ]);
    const addresses = node.multiaddrs().map((a) => a.toString());
    expect(addresses.some((a) => a.startsWith('/ip4/127.0.0.1/tcp/') && !a.includes('/ws/'))).toBe(true);
    expect(addresses.some((a) => a.includes('/ws/p2p/'))).toBe(true);
    expect(addresses.every((a) => a.endsWith(`/p2p/${node.peerId.toString()}`))).toBe(true);
    expect(logger.lines[0]?.message).toMatch(/^P2P node 12D3KooW\w+ started on /);

    await node.stop();
    await node.stop();
    expect(node.libp2p.status).toBe('stopped');
    expect(logger.lines.filter((l) => /stopped$/.test(l.message))).toHaveLength(1);
  });

  it('with NAT off and no relay it runs only identify, on the addresses asked for', async () => {
    const node = await startNode({ listen: [LOOPBACK_TCP, LOOPBACK_WS] });
    expect(Object.keys(node.libp2p.services)).toEqual(['identify', 'runtimeListen']);
    expect(node.multiaddrs()).toHaveLength(2);
  });

  it('needs a data directory or a key', async () => {
    await expect(createP2pNode({ logger: createMemoryLogger(), nat: false })).rejects.toThrow(
      /dataDir or privateKey/,
    );
    const key = await generateKeyPair('Ed25519');
    const node = await startNode({ privateKey: key });
    expect(node.peerId.publicKey?.equals(key.publicKey)).toBe(true);
  });
});
