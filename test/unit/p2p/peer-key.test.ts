import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { describe, expect, it } from 'vitest';
import { loadOrCreatePeerKey, PeerKeyError, peerKeyPath } from '../../../src/main/p2p/peer-key';
import { useTempDirs } from '../../fakes/temp-dir';
import { useNodes } from './p2p-helpers';

describe('the persistent peer key', () => {
  const tempDir = useTempDirs();
  const startNode = useNodes();

  it('is created on the first start (0600, Ed25519) and gives the same peer id after a restart', async () => {
    const dataDir = tempDir();
    const first = await startNode({ dataDir });
    const path = peerKeyPath(dataDir);
    expect(path).toBe(join(dataDir, 'p2p', 'peer-key'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(first.peerId.type).toBe('Ed25519');
    const bytes = readFileSync(path);
    await first.stop();

    const second = await startNode({ dataDir });
    expect(second.peerId.toString()).toBe(first.peerId.toString());
    expect(readFileSync(path)).toEqual(bytes);
    expect(readdirSync(join(dataDir, 'p2p'))).toEqual(['peer-key']); // no temp files left
  });

  it('loads what it wrote', async () => {
    const dataDir = tempDir();
    const created = await loadOrCreatePeerKey(dataDir);
    const loaded = await loadOrCreatePeerKey(dataDir);
    expect(peerIdFromPrivateKey(loaded).equals(peerIdFromPrivateKey(created))).toBe(true);
  });

  async function expectRefusedAndUntouched(content: Uint8Array, message: RegExp) {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'p2p'));
    const path = peerKeyPath(dataDir);
    writeFileSync(path, content, { mode: 0o600 });
    const before = statSync(path);

    const error = await loadOrCreatePeerKey(dataDir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PeerKeyError);
    expect((error as PeerKeyError).path).toBe(path);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/does not replace it/);
    await expect(startNode({ dataDir })).rejects.toBeInstanceOf(PeerKeyError);

    expect(readFileSync(path)).toEqual(Buffer.from(content));
    expect(statSync(path).mtimeMs).toBe(before.mtimeMs);
    expect(readdirSync(join(dataDir, 'p2p'))).toEqual(['peer-key']);
  }

  it('refuses a file that is not a key, and leaves it as it was', async () => {
    await expectRefusedAndUntouched(
      new TextEncoder().encode('not a key at all\n'),
      /not a libp2p private key/,
    );
  });

  it('refuses an empty file', async () => {
    await expectRefusedAndUntouched(new Uint8Array(0), /damaged/);
  });

  it('refuses a key whose public half was damaged', async () => {
    const bytes = privateKeyToProtobuf(await generateKeyPair('Ed25519'));
    bytes[bytes.length - 1]! ^= 0x01; // the last byte is the public key's
    await expectRefusedAndUntouched(bytes, /private and public halves do not match/);
  });

  it('refuses a key of another type', async () => {
    await expectRefusedAndUntouched(
      privateKeyToProtobuf(await generateKeyPair('secp256k1')),
      /secp256k1 key, not Ed25519/,
    );
  });
});
