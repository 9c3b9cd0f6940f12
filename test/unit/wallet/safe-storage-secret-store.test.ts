import { describe, expect, it, vi } from 'vitest';

// No Electron binary here: the adapter's default argument must not load the real module.
vi.mock('electron', () => ({ safeStorage: {} }));

const { BASIC_TEXT_REASON, NO_ENCRYPTION_REASON, NOT_READY_REASON, createSafeStorageSecretStore } =
  await import('../../../src/main/app/safe-storage-secret-store');
type Backend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

function fakeSafeStorage(backend: Backend, available = true) {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain: string) => Buffer.from(`enc:${plain}`),
    decryptString: (data: Buffer) => data.toString().replace(/^enc:/, ''),
  };
}

describe('safeStorage secret store', () => {
  it('uses a real keyring', () => {
    const store = createSafeStorageSecretStore(fakeSafeStorage('gnome_libsecret'), 'linux');
    expect(store.availability()).toEqual({ available: true, reason: null });
    expect(store.decrypt(store.encrypt('pw'))).toBe('pw');
  });

  it("refuses Linux's basic_text backend (a hard-coded key) with the reason", () => {
    const store = createSafeStorageSecretStore(fakeSafeStorage('basic_text'), 'linux');
    expect(store.availability()).toEqual({ available: false, reason: BASIC_TEXT_REASON });
    expect(BASIC_TEXT_REASON).toMatch(/^Linux reports no keyring \(the basic_text backend\)/);
    expect(() => store.encrypt('pw')).toThrow(BASIC_TEXT_REASON);
  });

  it('refuses when encryption is unavailable or the app is not ready', () => {
    expect(createSafeStorageSecretStore(fakeSafeStorage('kwallet5', false), 'linux').availability()).toEqual({
      available: false,
      reason: NO_ENCRYPTION_REASON,
    });
    expect(createSafeStorageSecretStore(fakeSafeStorage('unknown'), 'linux').availability().reason).toBe(
      NOT_READY_REASON,
    );
    // Elsewhere the Linux backend question does not apply.
    expect(createSafeStorageSecretStore(fakeSafeStorage('unknown'), 'darwin').availability().available).toBe(
      true,
    );
  });
});
