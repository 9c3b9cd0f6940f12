import { safeStorage } from 'electron';
import type { SecretStore } from '../wallet/secret-store';

/** The parts of Electron's safeStorage this adapter uses (a fake can stand in for it in tests). */
export type SafeStorageLike = Pick<
  Electron.SafeStorage,
  'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'
>;

export const BASIC_TEXT_REASON =
  'Linux reports no keyring (the basic_text backend): the password would be stored with a hard-coded key, ' +
  'so Nocturne will not remember it. Install and unlock a keyring such as GNOME Keyring or KWallet.';
export const NO_ENCRYPTION_REASON =
  'The OS keychain is not available to Nocturne right now, so it cannot remember the password.';
export const NOT_READY_REASON = 'The OS keychain is not ready yet (the app is still starting).';

/**
 * "Remember on this device" through Electron's safeStorage (Keychain on macOS, DPAPI on Windows, the
 * Secret Service or KWallet on Linux). Call after the app's `ready` event. On Linux the `basic_text`
 * backend encrypts with a hard-coded key, which protects nothing, so it is refused with that reason.
 */
export function createSafeStorageSecretStore(
  storage: SafeStorageLike = safeStorage,
  platform: NodeJS.Platform = process.platform,
): SecretStore {
  const availability = (): { available: boolean; reason: string | null } => {
    if (platform === 'linux') {
      const backend = storage.getSelectedStorageBackend();
      if (backend === 'basic_text') return { available: false, reason: BASIC_TEXT_REASON };
      if (backend === 'unknown') return { available: false, reason: NOT_READY_REASON };
    }
    if (!storage.isEncryptionAvailable()) return { available: false, reason: NO_ENCRYPTION_REASON };
    return { available: true, reason: null };
  };
  const check = () => {
    const { available, reason } = availability();
    if (!available) throw new Error(reason ?? NO_ENCRYPTION_REASON);
  };
  return {
    availability,
    encrypt: (plain) => {
      check();
      return storage.encryptString(plain);
    },
    decrypt: (data) => {
      check();
      return storage.decryptString(data);
    },
  };
}
