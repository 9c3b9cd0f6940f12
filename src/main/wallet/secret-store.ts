/**
 * "Remember on this device": the wallet password encrypted by the operating system's keychain. The
 * desktop app passes an adapter over Electron's safeStorage (src/main/app/safe-storage-secret-store.ts);
 * `serve` and the CLI pass the unavailable one. The encrypted blob is kept in
 * `<dataDir>/wallet/remembered.bin` (see keystore/keystore-file.ts), never in SQLite.
 */
export interface SecretStore {
  /** Whether secrets can be kept, and why not (in words) when they cannot. */
  availability(): { available: boolean; reason: string | null };
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

export const NO_KEYCHAIN_REASON = 'Remembering the password needs the desktop app and the OS keychain.';

/** For serve mode and the CLI: nothing can be remembered, and the reason says why. */
export function unavailableSecretStore(reason: string = NO_KEYCHAIN_REASON): SecretStore {
  const refuse = (): never => {
    throw new Error(reason);
  };
  return {
    availability: () => ({ available: false, reason }),
    encrypt: refuse,
    decrypt: refuse,
  };
}
