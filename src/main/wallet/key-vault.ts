import { HDNodeWallet, Wallet } from 'ethers';
import type { z } from 'zod';
import { NewPasswordSchema, type SecretExportSchema, type WalletStatus } from '../../shared/schemas/wallet';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { UserFacingError } from '../core/router';
import { createAutoLock, type ClearTimer, type SetTimer } from './auto-lock';
import { BackupSessions, type BackupAnswer } from './backup-session';
import {
  encryptKeystore,
  openSecret,
  type DecryptedKeystore,
  type KeystoreSecret,
  type WalletKind,
} from './keystore/keystore-format';
import { validatePhrase, validatePrivateKey } from './secret-input';
import type { SecretStore } from './secret-store';
import { createWalletStore } from './wallet-store';

/**
 * The wallet's keys, in the main process only. The keystore on disk is encrypted (keystore-format.ts);
 * once unlocked, the signer lives in memory until lock(), auto-lock after inactivity, or dispose().
 * What leaves this module toward the UI is WalletStatus (address, kind, flags), plus the backup words
 * once and the exported secret behind the password. Passwords, phrases and keys are never logged.
 */

export type SecretExport = z.infer<typeof SecretExportSchema>;
export type Signer = Wallet | HDNodeWallet;

export interface KeyVaultOptions {
  dataDir: string;
  clock: Clock;
  secretStore: SecretStore;
  /** The auto-lock setting, read at each use. */
  autoLockMinutes: () => number;
  /** True while auto-lock is held off (renting is on and the owner keeps the wallet unlocked for it). */
  autoLockPaused?: () => boolean;
  logger: Logger;
  onChange: (status: WalletStatus) => void;
  setTimer?: SetTimer;
  clearTimer?: ClearTimer;
  /** Tests only: a cheaper scrypt for keystores written by this vault. Production: 2^17. */
  scryptN?: number;
}

export interface ImportRequest {
  phrase?: string;
  privateKey?: string;
  password: string;
}

export interface KeyVault {
  status(): WalletStatus;
  create(password: string): Promise<{ status: WalletStatus; backupId: string }>;
  backupWords(backupId: string): { words: string[]; ask: number[] };
  confirmBackup(backupId: string, answers: readonly BackupAnswer[]): Promise<WalletStatus>;
  /** A new backup session for the unlocked HD wallet (after the first one was lost), behind the password. */
  beginBackup(password: string): Promise<{ backupId: string }>;
  import(request: ImportRequest): Promise<WalletStatus>;
  unlock(password: string, remember?: boolean): Promise<WalletStatus>;
  lock(): Promise<WalletStatus>;
  changePassword(current: string, next: string): Promise<WalletStatus>;
  exportSecret(password: string): Promise<SecretExport>;
  /** Main-process code only. Throws UserFacingError when locked; counts as activity. */
  signer(): Signer;
  tryRememberedUnlock(): Promise<WalletStatus>;
  /** Re-arms auto-lock with the current setting and pause (call when either changes). */
  rescheduleAutoLock(): void;
  /** Forgets the keys and stops the timer (shutdown). */
  dispose(): void;
}

const LOCKED_MESSAGE = 'The wallet is locked. Unlock it first.';

export function createKeyVault(options: KeyVaultOptions): KeyVault {
  const { logger, secretStore } = options;
  const store = createWalletStore(options);
  const sessions = new BackupSessions();
  const encryptOptions = options.scryptN === undefined ? {} : { scryptN: options.scryptN };

  let unlocked: { signer: Signer; kind: WalletKind } | null = null;
  /** Bumped by every lock, so an unlock whose scrypt was running when the owner locked does not apply. */
  let epoch = 0;

  const autoLock = createAutoLock({
    clock: options.clock,
    minutes: () => (options.autoLockPaused?.() ? 0 : options.autoLockMinutes()),
    onExpire: () => autoLockNow(),
    ...(options.setTimer ? { setTimer: options.setTimer } : {}),
    ...(options.clearTimer ? { clearTimer: options.clearTimer } : {}),
  });

  let tail: Promise<unknown> = Promise.resolve();
  /** One file-touching operation at a time. */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  }

  function emit() {
    try {
      options.onChange(status());
    } catch (error) {
      logger.error('A wallet status listener failed', error);
    }
  }

  function wipe() {
    unlocked = null;
    sessions.clear();
    autoLock.stop();
    epoch += 1;
  }

  function autoLockNow() {
    if (!unlocked) return;
    wipe();
    logger.info(`Wallet locked after ${options.autoLockMinutes()} minutes without use`);
    emit();
  }

  function expireIfIdle() {
    if (unlocked && autoLock.expired()) autoLockNow();
  }

  function setUnlocked(decrypted: DecryptedKeystore) {
    const signer =
      decrypted.kind === 'mnemonic' && decrypted.phrase !== null
        ? HDNodeWallet.fromPhrase(decrypted.phrase, undefined, decrypted.path ?? undefined)
        : new Wallet(decrypted.privateKey);
    unlocked = { signer, kind: decrypted.kind };
    autoLock.touch();
  }

  function checkNewPassword(password: string, field: string) {
    const parsed = NewPasswordSchema.safeParse(password);
    if (!parsed.success) {
      throw new UserFacingError(`The password ${parsed.error.issues[0]?.message ?? 'is not valid'}.`, field);
    }
  }

  function status(): WalletStatus {
    expireIfIdle();
    const availability = secretStore.availability();
    const info = store.info();
    const address = unlocked ? unlocked.signer.address : info.address;
    const kind = unlocked ? unlocked.kind : info.kind;
    return {
      exists: info.exists,
      address,
      locked: unlocked === null,
      kind,
      backupConfirmed: info.exists && store.backupConfirmed(address, kind),
      autoLockMinutes: options.autoLockMinutes(),
      autoLockPaused: options.autoLockPaused?.() ?? false,
      remember: {
        available: availability.available,
        reason: availability.available ? null : availability.reason,
        enabled: store.rememberEnabled(),
      },
    };
  }

  return {
    status,

    create(password) {
      checkNewPassword(password, 'password');
      store.refuseIfExists();
      return serial(async () => {
        store.refuseIfExists();
        const wallet = Wallet.createRandom();
        const phrase = wallet.mnemonic?.phrase;
        if (!phrase) throw new Error('ethers created a wallet without a phrase');
        const json = await encryptKeystore(
          { kind: 'mnemonic', phrase, path: wallet.path ?? undefined },
          password,
          {
            ...encryptOptions,
          },
        );
        await store.writeFirst(json, wallet.address, false);
        wipe();
        unlocked = { signer: wallet, kind: 'mnemonic' };
        autoLock.touch();
        const backupId = sessions.start(phrase);
        logger.info(`Wallet created: ${wallet.address}`);
        emit();
        return { status: status(), backupId };
      });
    },

    backupWords(backupId) {
      const words = sessions.words(backupId);
      autoLock.touch();
      return words;
    },

    confirmBackup(backupId, answers) {
      return serial(async () => {
        sessions.confirm(backupId, answers);
        await store.confirmBackup();
        if (unlocked) autoLock.touch();
        logger.info('Wallet backup confirmed');
        emit();
        return status();
      });
    },

    beginBackup(password) {
      return serial(async () => {
        if (!unlocked) throw new UserFacingError(LOCKED_MESSAGE);
        const { decrypted } = await store.open(password, 'password');
        if (decrypted.kind !== 'mnemonic' || decrypted.phrase === null) {
          throw new UserFacingError(
            'This wallet was imported from a private key, so it has no recovery phrase; export the key to back it up.',
          );
        }
        if (!unlocked) throw new UserFacingError(LOCKED_MESSAGE);
        autoLock.touch();
        return { backupId: sessions.start(decrypted.phrase) };
      });
    },

    import(request) {
      const phraseText = request.phrase?.trim() ? request.phrase : undefined;
      const keyText = request.privateKey?.trim() ? request.privateKey : undefined;
      if (phraseText && keyText) {
        throw new UserFacingError('Give either a recovery phrase or a private key, not both.', 'privateKey');
      }
      if (!phraseText && !keyText) {
        throw new UserFacingError('Give a recovery phrase or a private key to import.', 'phrase');
      }
      checkNewPassword(request.password, 'password');
      store.refuseIfExists();
      const secret: KeystoreSecret = phraseText
        ? { kind: 'mnemonic', phrase: validatePhrase(phraseText) }
        : { kind: 'privateKey', privateKey: validatePrivateKey(keyText ?? '') };
      return serial(async () => {
        store.refuseIfExists();
        const decrypted = openSecret(secret);
        const json = await encryptKeystore(secret, request.password, encryptOptions);
        await store.writeFirst(json, decrypted.address, true);
        wipe();
        setUnlocked(decrypted);
        logger.info(`Wallet imported (${secret.kind}): ${decrypted.address}`);
        emit();
        return status();
      });
    },

    unlock(password, remember) {
      if (remember === true) {
        const { available, reason } = secretStore.availability();
        if (!available) {
          throw new UserFacingError(reason ?? 'This device cannot remember the password.', 'remember');
        }
      }
      const started = epoch;
      return serial(async () => {
        const { decrypted } = await store.open(password, 'password');
        // Locked while scrypt ran: the lock wins.
        if (epoch !== started) return status();
        // Remember first: if the keychain refuses, nothing has changed.
        if (remember === true) await store.remember(password);
        else if (remember === false) await store.forget();
        if (epoch !== started) return status();
        setUnlocked(decrypted);
        logger.info(`Wallet unlocked: ${decrypted.address}`);
        emit();
        return status();
      });
    },

    lock() {
      const wasRemembered = store.rememberEnabled();
      wipe();
      logger.info('Wallet locked');
      emit();
      // Locking also forgets a remembered password (after any operation already running).
      return serial(async () => {
        await store.forget();
        if (wasRemembered) emit();
        return status();
      });
    },

    changePassword(current, next) {
      checkNewPassword(next, 'next');
      return serial(async () => {
        const { json, decrypted } = await store.open(current, 'current');
        const secret: KeystoreSecret =
          decrypted.kind === 'mnemonic' && decrypted.phrase !== null
            ? { kind: 'mnemonic', phrase: decrypted.phrase, path: decrypted.path ?? undefined }
            : { kind: 'privateKey', privateKey: decrypted.privateKey };
        const fresh = await encryptKeystore(secret, next, encryptOptions);
        await store.replace(json, fresh);
        if (store.rememberEnabled()) {
          try {
            await store.remember(next);
          } catch {
            await store.forget();
            logger.warn('The new wallet password could not be remembered; the remembered one was forgotten');
          }
        }
        if (unlocked) autoLock.touch();
        logger.info('Wallet password changed');
        emit();
        return status();
      });
    },

    exportSecret(password) {
      return serial(async () => {
        const { decrypted } = await store.open(password, 'password');
        logger.info(`Wallet secret exported (${decrypted.kind})`);
        if (unlocked) autoLock.touch();
        return decrypted.kind === 'mnemonic' && decrypted.phrase !== null
          ? { kind: 'mnemonic' as const, secret: decrypted.phrase }
          : { kind: 'privateKey' as const, secret: decrypted.privateKey };
      });
    },

    signer() {
      expireIfIdle();
      if (!unlocked) throw new UserFacingError(LOCKED_MESSAGE);
      autoLock.touch();
      return unlocked.signer;
    },

    tryRememberedUnlock() {
      const started = epoch;
      return serial(async () => {
        if (!store.info().exists || unlocked) return status();
        const blob = store.rememberedBlob();
        if (!blob) return status();
        // serve / CLI: leave it for the desktop app, which has the keychain.
        if (!secretStore.availability().available) return status();
        try {
          const password = secretStore.decrypt(blob);
          const { decrypted } = await store.open(password, 'password');
          if (epoch !== started) return status();
          setUnlocked(decrypted);
          logger.info(`Wallet unlocked with the remembered password: ${decrypted.address}`);
          emit();
        } catch (error) {
          const why =
            error instanceof UserFacingError ? error.message : 'the OS keychain could not decrypt it.';
          logger.warn(
            `The remembered wallet password did not work (${why}); it was forgotten and the wallet stays locked`,
          );
          await store.forget();
          emit();
        }
        return status();
      });
    },

    rescheduleAutoLock() {
      expireIfIdle();
      if (unlocked) autoLock.reschedule();
    },

    dispose() {
      wipe();
    },
  };
}
