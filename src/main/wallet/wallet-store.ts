import type { Logger } from '../core/logger';
import { UserFacingError } from '../core/router';
import {
  deleteRememberedBlob,
  KeystoreChangedError,
  KeystoreExistsError,
  keystoreFileExists,
  readKeystoreFile,
  readRememberedBlob,
  readWalletMeta,
  replaceKeystoreFile,
  walletPaths,
  writeNewKeystoreFile,
  writeRememberedBlob,
  writeWalletMeta,
  type WalletMeta,
  type WalletPaths,
} from './keystore/keystore-file';
import {
  decryptKeystore,
  KeystoreError,
  readKeystoreInfo,
  WrongPasswordError,
  type DecryptedKeystore,
  type KeystoreInfo,
  type WalletKind,
} from './keystore/keystore-format';
import type { SecretStore } from './secret-store';

/**
 * The key vault's files, as owner-facing operations: what the keystore says without the password,
 * opening it (a wrong password or a damaged file becomes a UserFacingError), the first write and
 * replacements, the backup flag and the remembered password. Holds no key material.
 */
export interface WalletStore {
  readonly paths: WalletPaths;
  /** The keystore's address and kind as last read (null where the file is damaged or absent). */
  info(): { exists: boolean; address: string | null; kind: WalletKind | null };
  backupConfirmed(address: string | null, kind: WalletKind | null): boolean;
  rememberEnabled(): boolean;
  /** UserFacingError "A wallet already exists; ..." when any keystore file (even a damaged one) is there. */
  refuseIfExists(): void;
  open(password: string, field: string): Promise<{ json: string; decrypted: DecryptedKeystore }>;
  writeFirst(json: string, address: string, backupConfirmed: boolean): Promise<void>;
  /** Replaces the keystore, only if it still holds `expected` (what was just decrypted). */
  replace(expected: string, json: string): Promise<void>;
  confirmBackup(): Promise<void>;
  remember(password: string): Promise<void>;
  forget(): Promise<void>;
  rememberedBlob(): Buffer | null;
}

type DiskState =
  | { exists: false }
  | { exists: true; info: KeystoreInfo; problem: null }
  | { exists: true; info: null; problem: string };

export function createWalletStore(options: {
  dataDir: string;
  logger: Logger;
  secretStore: SecretStore;
}): WalletStore {
  const { dataDir, logger, secretStore } = options;
  const paths = walletPaths(dataDir);
  let disk = loadDisk();
  let meta = readWalletMeta(dataDir);
  let rememberEnabled = meta?.remember === true && readRememberedBlob(dataDir) !== null;

  function loadDisk(): DiskState {
    try {
      const json = readKeystoreFile(dataDir);
      if (json === null) return { exists: false };
      return { exists: true, info: readKeystoreInfo(json), problem: null };
    } catch (error) {
      if (error instanceof KeystoreError) return { exists: true, info: null, problem: error.message };
      logger.warn(`Could not read ${paths.keystore}: ${describe(error)}`);
      return { exists: true, info: null, problem: 'it could not be read.' };
    }
  }

  function damaged(detail: string): UserFacingError {
    return new UserFacingError(
      `The wallet's keystore file (${paths.keystore}) cannot be used. ${detail} Nocturne leaves it ` +
        'untouched: restore it from a backup, or move it away and import your recovery phrase.',
    );
  }

  function refuseIfExists() {
    if (keystoreFileExists(dataDir)) {
      throw new UserFacingError(
        `A wallet already exists; its keystore is ${paths.keystore}. Nocturne keeps one wallet per data ` +
          'directory and never replaces or deletes a keystore: export its secret and move the file away ' +
          'yourself first if you mean to replace it.',
      );
    }
  }

  async function saveMeta(patch: Partial<WalletMeta>) {
    const address = disk.exists && disk.info ? disk.info.address : null;
    if (!address) return;
    const base =
      meta && meta.address === address ? meta : { address, backupConfirmed: false, remember: false };
    meta = { ...base, ...patch, address };
    await writeWalletMeta(dataDir, meta);
  }

  return {
    paths,

    info() {
      const info = disk.exists ? disk.info : null;
      return { exists: disk.exists, address: info?.address ?? null, kind: info?.kind ?? null };
    },

    backupConfirmed(address, kind) {
      if (kind === 'privateKey') return true; // only ever imported: the owner already holds it
      // A keystore without our facts (written, then a crash before wallet.json): ask for the backup.
      if (!address || !meta || meta.address !== address) return false;
      return meta.backupConfirmed;
    },

    rememberEnabled: () => rememberEnabled,

    refuseIfExists,

    async open(password, field) {
      let json: string | null;
      try {
        json = readKeystoreFile(dataDir);
      } catch (error) {
        if (error instanceof KeystoreError) throw damaged(error.message);
        throw error;
      }
      if (json === null) throw new UserFacingError('There is no wallet yet: create or import one first.');
      try {
        const decrypted = await decryptKeystore(json, password);
        disk = { exists: true, info: readKeystoreInfo(json), problem: null };
        return { json, decrypted };
      } catch (error) {
        if (error instanceof WrongPasswordError) {
          logger.info('Wallet password refused (wrong password)');
          throw new UserFacingError('Wrong password.', field);
        }
        if (error instanceof KeystoreError) throw damaged(error.message);
        throw error;
      }
    },

    async writeFirst(json, address, backupConfirmed) {
      try {
        await writeNewKeystoreFile(dataDir, json);
      } catch (error) {
        if (error instanceof KeystoreExistsError) refuseIfExists();
        throw error;
      }
      disk = loadDisk();
      meta = { address, backupConfirmed, remember: false };
      await writeWalletMeta(dataDir, meta);
      deleteRememberedBlob(dataDir);
      rememberEnabled = false;
    },

    async replace(expected, json) {
      try {
        await replaceKeystoreFile(dataDir, expected, json);
      } catch (error) {
        if (error instanceof KeystoreChangedError) throw new UserFacingError(error.message);
        throw error;
      }
      disk = loadDisk();
    },

    confirmBackup: () => saveMeta({ backupConfirmed: true }),

    async remember(password) {
      const { available, reason } = secretStore.availability();
      if (!available) {
        throw new UserFacingError(reason ?? 'This device cannot remember the password.', 'remember');
      }
      let blob: Buffer;
      try {
        blob = secretStore.encrypt(password);
      } catch (error) {
        logger.warn(`The OS keychain could not encrypt the wallet password: ${describe(error)}`);
        throw new UserFacingError(
          'The OS keychain refused to store the password; it is not remembered.',
          'remember',
        );
      }
      await writeRememberedBlob(dataDir, blob);
      rememberEnabled = true;
      await saveMeta({ remember: true });
    },

    async forget() {
      deleteRememberedBlob(dataDir);
      const had = rememberEnabled || meta?.remember === true;
      rememberEnabled = false;
      if (had) await saveMeta({ remember: false });
    },

    rememberedBlob: () => readRememberedBlob(dataDir),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
