import { chmodSync, lstatSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FileExistsError, removeStaleTempFiles, writeFileAtomic } from './atomic-write';
import { KeystoreCorruptError } from './keystore-format';

/**
 * Where the wallet lives in the data directory, and the only code that reads or writes it:
 *   wallet/keystore.json   the encrypted keystore (v3 JSON), 0o600
 *   wallet/wallet.json     non-secret facts: { version, address, backupConfirmed, remember }
 *   wallet/remembered.bin  the password encrypted by the OS keychain ("remember on this device")
 * The folder is 0o700. Nocturne never overwrites or deletes a keystore it could not open: a new one is
 * written only where none exists, and a replacement only over the exact bytes it just decrypted.
 */

export interface WalletPaths {
  dir: string;
  keystore: string;
  meta: string;
  remembered: string;
}

export function walletPaths(dataDir: string): WalletPaths {
  const dir = join(dataDir, 'wallet');
  return {
    dir,
    keystore: join(dir, 'keystore.json'),
    meta: join(dir, 'wallet.json'),
    remembered: join(dir, 'remembered.bin'),
  };
}

export function ensureWalletDir(dataDir: string): WalletPaths {
  const paths = walletPaths(dataDir);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(paths.dir, 0o700);
  return paths;
}

/** Refused: a keystore (even a damaged one) is already there. */
export class KeystoreExistsError extends Error {
  constructor(readonly path: string) {
    super(`A keystore already exists at ${path}.`);
    this.name = 'KeystoreExistsError';
  }
}

/** Refused: the keystore changed on disk since it was read and decrypted. */
export class KeystoreChangedError extends Error {
  constructor(readonly path: string) {
    super(`The keystore at ${path} changed while Nocturne was using it; nothing was written.`);
    this.name = 'KeystoreChangedError';
  }
}

const MAX_KEYSTORE_BYTES = 64 * 1024;

export function keystoreFileExists(dataDir: string): boolean {
  try {
    lstatSync(walletPaths(dataDir).keystore);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The keystore's text, or null when there is none. Removes temp files a crashed write left. */
export function readKeystoreFile(dataDir: string): string | null {
  const { keystore } = walletPaths(dataDir);
  removeStaleTempFiles(keystore);
  let size: number;
  try {
    const stat = lstatSync(keystore);
    if (!stat.isFile()) throw new KeystoreCorruptError(`${keystore} is not a regular file.`);
    size = stat.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (size > MAX_KEYSTORE_BYTES) throw new KeystoreCorruptError('the file is larger than 64 KiB.');
  return readFileSync(keystore, 'utf8');
}

/** Writes the first keystore; refuses (KeystoreExistsError) when any file is already there. */
export async function writeNewKeystoreFile(dataDir: string, json: string): Promise<void> {
  const { keystore } = ensureWalletDir(dataDir);
  try {
    await writeFileAtomic(keystore, json, { exclusive: true });
  } catch (error) {
    if (error instanceof FileExistsError) throw new KeystoreExistsError(keystore);
    throw error;
  }
}

/**
 * Replaces the keystore atomically, but only if it still holds `expected` (the text the caller just
 * decrypted): a file changed or damaged meanwhile is left alone (KeystoreChangedError).
 */
export async function replaceKeystoreFile(dataDir: string, expected: string, json: string): Promise<void> {
  const { keystore } = ensureWalletDir(dataDir);
  if (readKeystoreFile(dataDir) !== expected) throw new KeystoreChangedError(keystore);
  await writeFileAtomic(keystore, json);
}

export interface WalletMeta {
  /** The keystore these facts are about (checksummed); facts about another address are ignored. */
  address: string;
  backupConfirmed: boolean;
  remember: boolean;
}

/** The non-secret facts, or null when missing or unreadable (they are then assumed conservatively). */
export function readWalletMeta(dataDir: string): WalletMeta | null {
  const { meta } = walletPaths(dataDir);
  removeStaleTempFiles(meta);
  try {
    const data = JSON.parse(readFileSync(meta, 'utf8')) as Partial<WalletMeta> | null;
    if (!data || typeof data.address !== 'string') return null;
    return {
      address: data.address,
      backupConfirmed: data.backupConfirmed === true,
      remember: data.remember === true,
    };
  } catch {
    return null;
  }
}

export async function writeWalletMeta(dataDir: string, meta: WalletMeta): Promise<void> {
  const paths = ensureWalletDir(dataDir);
  await writeFileAtomic(paths.meta, `${JSON.stringify({ version: 1, ...meta }, null, 2)}\n`);
}

export function readRememberedBlob(dataDir: string): Buffer | null {
  const { remembered } = walletPaths(dataDir);
  removeStaleTempFiles(remembered);
  try {
    return readFileSync(remembered);
  } catch {
    return null;
  }
}

export async function writeRememberedBlob(dataDir: string, blob: Uint8Array): Promise<void> {
  const paths = ensureWalletDir(dataDir);
  await writeFileAtomic(paths.remembered, blob);
}

export function deleteRememberedBlob(dataDir: string): void {
  rmSync(walletPaths(dataDir).remembered, { force: true });
}
