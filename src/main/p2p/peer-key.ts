import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import type { Ed25519PrivateKey } from '@libp2p/interface';
import { FileExistsError, writeFileAtomic } from '../wallet/keystore/atomic-write';

/**
 * The node's libp2p identity: an Ed25519 key kept in `<dataDir>/p2p/peer-key` (libp2p's protobuf
 * encoding of the private key, mode 0o600). Its peer id is what the on-chain registry publishes, so the
 * file is created once and never replaced: a damaged one stops the node with a clear error instead.
 */

export const PEER_KEY_FILE = join('p2p', 'peer-key');

export class PeerKeyError extends Error {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PeerKeyError';
  }
}

export function peerKeyPath(dataDir: string): string {
  return join(dataDir, PEER_KEY_FILE);
}

/** Loads the node's key, creating it on the first start. Throws PeerKeyError for a damaged file. */
export async function loadOrCreatePeerKey(dataDir: string): Promise<Ed25519PrivateKey> {
  const path = peerKeyPath(dataDir);
  const existing = await readKeyFile(path);
  if (existing !== null) return parsePeerKey(path, existing);

  await mkdir(join(dataDir, 'p2p'), { recursive: true, mode: 0o700 });
  const key = await generateKeyPair('Ed25519');
  try {
    await writeFileAtomic(path, privateKeyToProtobuf(key), { mode: 0o600, exclusive: true });
    return key;
  } catch (error) {
    if (!(error instanceof FileExistsError)) throw error;
    // Another start won the race (the data-dir lock normally prevents it): use the key it wrote.
    const written = await readKeyFile(path);
    if (written === null) throw error;
    return parsePeerKey(path, written);
  }
}

async function readKeyFile(path: string): Promise<Uint8Array | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new PeerKeyError(path, `Cannot read the peer key ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

const PROBE = new TextEncoder().encode('nocturne peer key check');

async function parsePeerKey(path: string, bytes: Uint8Array): Promise<Ed25519PrivateKey> {
  const damaged = (why: string, cause?: unknown) =>
    new PeerKeyError(
      path,
      `The peer key ${path} is damaged (${why}). Nocturne does not replace it, because a new key would ` +
        'change this node’s peer id. Restore it from a backup, or move it away to start with a new identity.',
      { cause },
    );
  let key;
  try {
    key = privateKeyFromProtobuf(bytes);
  } catch (error) {
    throw damaged(`not a libp2p private key: ${(error as Error).message}`, error);
  }
  if (key.type !== 'Ed25519') throw damaged(`a ${key.type} key, not Ed25519`);
  // The file holds the seed and the public key; a flipped bit in either breaks this check.
  let valid: boolean;
  try {
    valid = await key.publicKey.verify(PROBE, await key.sign(PROBE));
  } catch (error) {
    throw damaged('the key does not sign', error);
  }
  if (!valid) throw damaged('its private and public halves do not match');
  return key;
}
