import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import type { WalletStatus } from '../../../src/shared/schemas/wallet';
import { WalletStatusSchema } from '../../../src/shared/schemas/wallet';
import { UserFacingError } from '../../../src/main/core/router';
import { createKeyVault, type KeyVaultOptions } from '../../../src/main/wallet/key-vault';
import { walletPaths } from '../../../src/main/wallet/keystore/keystore-file';
import {
  NO_KEYCHAIN_REASON,
  type SecretStore,
  unavailableSecretStore,
} from '../../../src/main/wallet/secret-store';
import { createFakeClock } from '../../fakes/fake-clock';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

const PHRASE = 'test test test test test test test test test test test junk';
const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const PASSWORD = 'correct horse battery';

/** A keychain stand-in: reversible, but the plain text does not appear in what it returns. */
function fakeSecretStore(): SecretStore & { broken: boolean } {
  const store = {
    broken: false,
    availability: () => ({ available: true, reason: null }),
    encrypt: (plain: string) => Buffer.from(`fake:${Buffer.from(plain).toString('base64')}`),
    decrypt: (data: Buffer) => {
      const text = data.toString();
      if (store.broken || !text.startsWith('fake:')) throw new Error('keychain: cannot decrypt');
      return Buffer.from(text.slice(5), 'base64').toString();
    },
  };
  return store;
}

/** Timers that fire only when the test moves the fake clock. */
function fakeTimers(clock: ReturnType<typeof createFakeClock>) {
  let timers: { id: number; at: number; fn: () => void }[] = [];
  let next = 1;
  return {
    setTimer: (fn: () => void, ms: number) => {
      const id = next++;
      timers.push({ id, at: clock.now().getTime() + ms, fn });
      return id;
    },
    clearTimer: (handle: unknown) => {
      timers = timers.filter((t) => t.id !== handle);
    },
    pending: () => timers.length,
    advance(ms: number) {
      clock.advance(ms);
      const now = clock.now().getTime();
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
  };
}

function setup(overrides: Partial<KeyVaultOptions> = {}, dataDir = tempDir()) {
  const clock = createFakeClock();
  const timers = fakeTimers(clock);
  const logger = createMemoryLogger();
  const changes: WalletStatus[] = [];
  let minutes = 15;
  const vault = createKeyVault({
    dataDir,
    clock,
    secretStore: unavailableSecretStore(),
    autoLockMinutes: () => minutes,
    logger,
    onChange: (status) => changes.push(status),
    setTimer: timers.setTimer,
    clearTimer: timers.clearTimer,
    scryptN: 1 << 10,
    ...overrides,
  });
  return {
    vault,
    dataDir,
    clock,
    timers,
    logger,
    changes,
    setMinutes: (m: number) => (minutes = m),
  };
}

async function refusal(promise: Promise<unknown> | (() => unknown)): Promise<UserFacingError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(UserFacingError);
    return error as UserFacingError;
  }
  throw new Error('expected a refusal');
}

describe('key vault: create and back up', () => {
  it('creates an unlocked 12-word HD wallet whose words are shown once and confirmed by three', async () => {
    const { vault, dataDir, changes } = setup();
    expect(vault.status()).toMatchObject({ exists: false, locked: true, address: null, kind: null });

    const { status, backupId } = await vault.create(PASSWORD);
    expect(WalletStatusSchema.parse(status)).toEqual(status);
    expect(status).toMatchObject({ exists: true, locked: false, kind: 'mnemonic', backupConfirmed: false });
    expect(status.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(status.address).not.toBe(status.address?.toLowerCase()); // checksummed
    expect(backupId).toMatch(/^[0-9a-f]{32}$/);
    expect(changes.at(-1)).toEqual(status);

    const paths = walletPaths(dataDir);
    expect(statSync(paths.keystore).mode & 0o777).toBe(0o600);
    expect(statSync(paths.dir).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(paths.keystore, 'utf8'))['x-nocturne'].path).toBe("m/44'/60'/0'/0/0");

    const { words, ask } = vault.backupWords(backupId);
    expect(words).toHaveLength(12);
    expect(Wallet.fromPhrase(words.join(' ')).address).toBe(status.address);
    expect(ask).toHaveLength(3);
    expect(new Set(ask).size).toBe(3);
    expect([...ask].sort((a, b) => a - b)).toEqual(ask);
    expect(ask.every((p) => p >= 1 && p <= 12)).toBe(true);

    const again = await refusal(() => vault.backupWords(backupId));
    expect(again.message).toMatch(/^The backup phrase was already shown/);
    expect(again.message).not.toContain(words[0]);

    const answer = (position: number, word?: string) => ({ position, word: word ?? words[position - 1]! });
    const [a, b, c] = ask as [number, number, number];
    const wrongWord = words[b - 1] === 'zoo' ? 'abandon' : 'zoo';
    const wrong = await refusal(vault.confirmBackup(backupId, [answer(a), answer(b, wrongWord), answer(c)]));
    expect(wrong.message).toMatch(new RegExp(`^Word ${b} does not match your recovery phrase`));
    expect(wrong.field).toBe('answers.1.word');
    expect(vault.status().backupConfirmed).toBe(false);

    const notAsked = ask.includes(1) ? [2, 3, 4].find((p) => !ask.includes(p))! : 1;
    const offTarget = await refusal(vault.confirmBackup(backupId, [answer(a), answer(b), answer(notAsked)]));
    expect(offTarget.message).toBe(`Answer exactly the words asked: words ${ask.join(', ')}.`);

    // Retrying works; answers are compared trimmed and case-insensitively.
    const confirmed = await vault.confirmBackup(backupId, [
      answer(c, ` ${words[c - 1]!.toUpperCase()} `),
      answer(a),
      answer(b),
    ]);
    expect(confirmed.backupConfirmed).toBe(true);
    expect(JSON.parse(readFileSync(paths.meta, 'utf8'))).toMatchObject({ backupConfirmed: true });
    expect((await refusal(() => vault.backupWords(backupId))).message).toMatch(/backup has ended/);

    // A restart reads the address and the backup state without the password.
    const restarted = setup({}, dataDir).vault.status();
    expect(restarted).toMatchObject({
      exists: true,
      locked: true,
      address: status.address,
      backupConfirmed: true,
    });
  });

  it('refuses a short password, and a second wallet over an existing (or damaged) keystore', async () => {
    const { vault, dataDir } = setup();
    expect((await refusal(() => vault.create('short'))).message).toBe(
      'The password must be at least 8 characters.',
    );
    await vault.create(PASSWORD);
    const before = readFileSync(walletPaths(dataDir).keystore, 'utf8');
    expect((await refusal(() => vault.create(PASSWORD))).message).toMatch(/^A wallet already exists; /);
    const imported = await refusal(() => vault.import({ privateKey: KEY, password: PASSWORD }));
    expect(imported.message).toMatch(/^A wallet already exists; /);
    expect(readFileSync(walletPaths(dataDir).keystore, 'utf8')).toBe(before);

    const damagedDir = tempDir();
    mkdirSync(walletPaths(damagedDir).dir, { recursive: true });
    writeFileSync(walletPaths(damagedDir).keystore, '{"version": 3, "crypto": {');
    const damaged = setup({}, damagedDir).vault;
    expect(damaged.status()).toMatchObject({ exists: true, address: null, kind: null, locked: true });
    expect((await refusal(() => damaged.create(PASSWORD))).message).toMatch(/^A wallet already exists; /);
    const unlock = await refusal(damaged.unlock(PASSWORD));
    expect(unlock.message).toContain(walletPaths(damagedDir).keystore);
    expect(unlock.message).toMatch(/not valid JSON .*leaves it untouched/);
    expect(readFileSync(walletPaths(damagedDir).keystore, 'utf8')).toBe('{"version": 3, "crypto": {');
  });

  it('lets the owner start the backup again with the password after the words were lost', async () => {
    const { vault } = setup();
    const { backupId } = await vault.create(PASSWORD);
    await vault.lock();
    expect((await refusal(() => vault.backupWords(backupId))).message).toMatch(/backup has ended/);
    await vault.unlock(PASSWORD);
    expect((await refusal(vault.beginBackup('wrong password'))).message).toBe('Wrong password.');
    const again = await vault.beginBackup(PASSWORD);
    const { words, ask } = vault.backupWords(again.backupId);
    const status = await vault.confirmBackup(
      again.backupId,
      ask.map((position) => ({ position, word: words[position - 1]! })),
    );
    expect(status.backupConfirmed).toBe(true);
  });
});

describe('key vault: import', () => {
  it('imports a phrase (normalised) and counts it as backed up', async () => {
    const { vault } = setup();
    const status = await vault.import({
      phrase: `  ${PHRASE.toUpperCase().replace(/ /g, '   ')}\n`,
      password: PASSWORD,
    });
    expect(status).toMatchObject({
      address: ADDRESS,
      kind: 'mnemonic',
      locked: false,
      backupConfirmed: true,
    });
    expect(await vault.exportSecret(PASSWORD)).toEqual({ kind: 'mnemonic', secret: PHRASE });
  });

  it('imports a private key with or without 0x', async () => {
    for (const privateKey of [KEY, KEY.slice(2).toUpperCase(), ` ${KEY} `]) {
      const { vault } = setup();
      const status = await vault.import({ privateKey, password: PASSWORD });
      expect(status).toMatchObject({ address: ADDRESS, kind: 'privateKey', backupConfirmed: true });
      expect(vault.signer().privateKey).toBe(KEY);
      expect(await vault.exportSecret(PASSWORD)).toEqual({ kind: 'privateKey', secret: KEY });
    }
  });

  it('refuses invalid input with messages that say why without repeating it', async () => {
    const { vault, dataDir } = setup();
    const cases: [Parameters<typeof vault.import>[0], RegExp, string][] = [
      [{ password: PASSWORD }, /^Give a recovery phrase or a private key/, 'phrase'],
      [
        { phrase: ' ', privateKey: '', password: PASSWORD },
        /^Give a recovery phrase or a private key/,
        'phrase',
      ],
      [{ phrase: PHRASE, privateKey: KEY, password: PASSWORD }, /not both/, 'privateKey'],
      [
        { phrase: 'test test test', password: PASSWORD },
        /not valid: it has 3 words; a phrase has 12/,
        'phrase',
      ],
      [
        { phrase: PHRASE.replace(/^test/, 'tesst').replace(/junk$/, 'junkk'), password: PASSWORD },
        /^The recovery phrase is not valid: words 1 and 12 are not in the BIP-39 English word list/,
        'phrase',
      ],
      [{ phrase: PHRASE.replace(/junk$/, 'test'), password: PASSWORD }, /checksum does not match/, 'phrase'],
      [{ privateKey: '0x1234', password: PASSWORD }, /must be 64 hexadecimal digits/, 'privateKey'],
      [
        { privateKey: `0x${'g'.repeat(64)}`, password: PASSWORD },
        /must be 64 hexadecimal digits/,
        'privateKey',
      ],
      [
        { privateKey: `0x${'0'.repeat(64)}`, password: PASSWORD },
        /above zero and below the secp256k1/,
        'privateKey',
      ],
      [
        { privateKey: `0x${'f'.repeat(64)}`, password: PASSWORD },
        /above zero and below the secp256k1/,
        'privateKey',
      ],
      [{ privateKey: KEY, password: 'short' }, /password must be at least 8/, 'password'],
    ];
    for (const [request, message, field] of cases) {
      const error = await refusal(() => vault.import(request));
      expect(error.message, JSON.stringify(request)).toMatch(message);
      expect(error.field).toBe(field);
      expect(error.message).not.toContain('tesst');
      expect(error.message).not.toContain(KEY.slice(2, 20));
    }
    expect(existsSync(walletPaths(dataDir).keystore)).toBe(false);
  });
});

describe('key vault: lock, unlock, auto-lock', () => {
  it('locks, refuses a wrong password, unlocks, and hands out the signer only while unlocked', async () => {
    const { vault, changes } = setup();
    await vault.import({ privateKey: KEY, password: PASSWORD });
    const locked = await vault.lock();
    expect(locked).toMatchObject({ locked: true, address: ADDRESS, exists: true });
    expect(changes.at(-1)?.locked).toBe(true);
    const error = await refusal(() => vault.signer());
    expect(error.message).toBe('The wallet is locked. Unlock it first.');

    const wrong = await refusal(vault.unlock('not the password'));
    expect(wrong.message).toBe('Wrong password.');
    expect(wrong.field).toBe('password');
    expect(vault.status().locked).toBe(true);

    expect((await vault.unlock(PASSWORD)).locked).toBe(false);
    expect(vault.signer().address).toBe(ADDRESS);
    expect(changes.at(-1)?.locked).toBe(false);
  });

  it('a lock during an unlock wins', async () => {
    const { vault } = setup();
    await vault.import({ privateKey: KEY, password: PASSWORD });
    await vault.lock();
    const unlocking = vault.unlock(PASSWORD);
    await vault.lock();
    expect((await unlocking).locked).toBe(true);
    expect(vault.status().locked).toBe(true);
  });

  it('locks itself after the set minutes without use; each use restarts the wait', async () => {
    const { vault, timers, changes, setMinutes } = setup();
    setMinutes(5);
    await vault.import({ privateKey: KEY, password: PASSWORD });
    timers.advance(4 * 60_000);
    vault.signer(); // activity
    timers.advance(4 * 60_000);
    expect(vault.status().locked).toBe(false);
    timers.advance(60_000);
    expect(vault.status().locked).toBe(true);
    expect(changes.at(-1)).toMatchObject({ locked: true, autoLockMinutes: 5 });
    expect(timers.pending()).toBe(0);

    // The setting is read at each use.
    await vault.unlock(PASSWORD);
    setMinutes(1);
    vault.signer();
    timers.advance(60_000);
    expect(vault.status().locked).toBe(true);
  });

  it('stays unlocked while renting holds auto-lock off, and locks once renting stops if it was idle', async () => {
    let renting = true;
    const { vault, timers, changes, setMinutes } = setup({ autoLockPaused: () => renting });
    setMinutes(5);
    await vault.import({ privateKey: KEY, password: PASSWORD });
    expect(vault.status()).toMatchObject({ locked: false, autoLockPaused: true });
    timers.advance(60 * 60_000); // an hour without use: a night of quotes needs the keys
    expect(vault.status().locked).toBe(false);
    expect(vault.signer().address).toBe(ADDRESS);

    timers.advance(10 * 60_000);
    renting = false;
    vault.rescheduleAutoLock();
    timers.advance(0);
    expect(vault.status()).toMatchObject({ locked: true, autoLockPaused: false });
    expect(changes.at(-1)?.locked).toBe(true);

    // A lock by hand still locks while renting.
    renting = true;
    await vault.unlock(PASSWORD);
    expect((await vault.lock()).locked).toBe(true);
  });

  it('locks on the clock even when the timer is late (a machine waking from sleep)', async () => {
    const { vault, clock } = setup();
    await vault.import({ privateKey: KEY, password: PASSWORD });
    clock.advance(16 * 60_000); // no timer fired
    expect((await refusal(() => vault.signer())).message).toBe('The wallet is locked. Unlock it first.');
  });
});

describe('key vault: password change and export', () => {
  it('changes the password with a fresh salt; the old one stops working', async () => {
    const { vault, dataDir } = setup();
    await vault.import({ phrase: PHRASE, password: PASSWORD });
    const before = JSON.parse(readFileSync(walletPaths(dataDir).keystore, 'utf8'));

    const wrong = await refusal(vault.changePassword('nope', 'a new password'));
    expect(wrong).toMatchObject({ message: 'Wrong password.', field: 'current' });
    expect((await refusal(() => vault.changePassword(PASSWORD, 'short'))).field).toBe('next');

    const status = await vault.changePassword(PASSWORD, 'a new password');
    expect(status).toMatchObject({ address: ADDRESS, locked: false, kind: 'mnemonic' });
    const after = JSON.parse(readFileSync(walletPaths(dataDir).keystore, 'utf8'));
    expect(after.crypto.kdfparams.salt).not.toBe(before.crypto.kdfparams.salt);
    expect(after.crypto.cipherparams.iv).not.toBe(before.crypto.cipherparams.iv);

    await vault.lock();
    expect((await refusal(vault.unlock(PASSWORD))).message).toBe('Wrong password.');
    expect((await vault.unlock('a new password')).locked).toBe(false);
    expect(await vault.exportSecret('a new password')).toEqual({ kind: 'mnemonic', secret: PHRASE });
    expect((await Wallet.fromEncryptedJson(JSON.stringify(after), 'a new password')).address).toBe(ADDRESS);
  });

  it('exports only behind the password, unlocked or not', async () => {
    const { vault } = setup();
    await vault.import({ privateKey: KEY, password: PASSWORD });
    expect((await refusal(vault.exportSecret('wrong password'))).message).toBe('Wrong password.');
    await vault.lock();
    expect(await vault.exportSecret(PASSWORD)).toEqual({ kind: 'privateKey', secret: KEY });
    expect(vault.status().locked).toBe(true);
  });
});

describe('key vault: remember on this device', () => {
  it('keeps the password through the keychain, unlocks at start, and forgets it on lock', async () => {
    const store = fakeSecretStore();
    const first = setup({ secretStore: store });
    await first.vault.import({ privateKey: KEY, password: PASSWORD });
    const status = await first.vault.unlock(PASSWORD, true);
    expect(status.remember).toEqual({ available: true, reason: null, enabled: true });
    const { remembered, meta } = walletPaths(first.dataDir);
    expect(statSync(remembered).mode & 0o777).toBe(0o600);
    expect(readFileSync(remembered, 'utf8')).not.toContain(PASSWORD);
    expect(JSON.parse(readFileSync(meta, 'utf8')).remember).toBe(true);

    // Restart: unlocks with the remembered password.
    const second = setup({ secretStore: store }, first.dataDir);
    expect(second.vault.status()).toMatchObject({ locked: true, remember: { enabled: true } });
    expect((await second.vault.tryRememberedUnlock()).locked).toBe(false);

    // A changed password is remembered too.
    await second.vault.changePassword(PASSWORD, 'another password');
    const third = setup({ secretStore: store }, first.dataDir);
    expect((await third.vault.tryRememberedUnlock()).locked).toBe(false);

    // Lock forgets it.
    const locked = await third.vault.lock();
    expect(locked.remember.enabled).toBe(false);
    expect(existsSync(remembered)).toBe(false);
    expect(JSON.parse(readFileSync(meta, 'utf8')).remember).toBe(false);
    expect((await setup({ secretStore: store }, first.dataDir).vault.tryRememberedUnlock()).locked).toBe(
      true,
    );
  });

  it('unlock(remember: false) forgets; a blob that no longer works is deleted with a warning', async () => {
    const store = fakeSecretStore();
    const { vault, dataDir } = setup({ secretStore: store });
    await vault.import({ privateKey: KEY, password: PASSWORD });
    await vault.unlock(PASSWORD, true);
    expect((await vault.unlock(PASSWORD, false)).remember.enabled).toBe(false);
    expect(existsSync(walletPaths(dataDir).remembered)).toBe(false);

    await vault.unlock(PASSWORD, true);
    store.broken = true;
    const restarted = setup({ secretStore: store }, dataDir);
    const status = await restarted.vault.tryRememberedUnlock();
    expect(status).toMatchObject({ locked: true, remember: { enabled: false } });
    expect(existsSync(walletPaths(dataDir).remembered)).toBe(false);
    expect(restarted.logger.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      expect.stringMatching(/remembered wallet password did not work .* wallet stays locked/),
    ]);

    // A remembered password that no longer opens the keystore is forgotten too.
    store.broken = false;
    writeFileSync(walletPaths(dataDir).remembered, store.encrypt('an old password'));
    expect((await setup({ secretStore: store }, dataDir).vault.tryRememberedUnlock()).locked).toBe(true);
    expect(existsSync(walletPaths(dataDir).remembered)).toBe(false);
  });

  it('when the keychain refuses to encrypt, the unlock changes nothing', async () => {
    const store = fakeSecretStore();
    store.encrypt = () => {
      throw new Error('keychain locked');
    };
    const { vault, dataDir } = setup({ secretStore: store });
    await vault.import({ privateKey: KEY, password: PASSWORD });
    await vault.lock();
    const error = await refusal(vault.unlock(PASSWORD, true));
    expect(error).toMatchObject({ field: 'remember' });
    expect(error.message).toMatch(/OS keychain refused/);
    expect(vault.status()).toMatchObject({ locked: true, remember: { enabled: false } });
    expect(existsSync(walletPaths(dataDir).remembered)).toBe(false);
  });

  it('without a keychain (serve, CLI) it is unavailable, with the reason', async () => {
    const { vault, dataDir } = setup();
    await vault.import({ privateKey: KEY, password: PASSWORD });
    expect(vault.status().remember).toEqual({ available: false, reason: NO_KEYCHAIN_REASON, enabled: false });
    const error = await refusal(() => vault.unlock(PASSWORD, true));
    expect(error).toMatchObject({ message: NO_KEYCHAIN_REASON, field: 'remember' });

    // A blob the desktop app left is kept for it, and not used.
    writeFileSync(walletPaths(dataDir).remembered, 'from the desktop app');
    await vault.lock();
    writeFileSync(walletPaths(dataDir).remembered, 'from the desktop app');
    expect((await vault.tryRememberedUnlock()).locked).toBe(true);
    expect(existsSync(walletPaths(dataDir).remembered)).toBe(true);
  });
});

describe('key vault: secrets stay secret', () => {
  it('never logs or emits a password, phrase or private key', async () => {
    const store = fakeSecretStore();
    const { vault, logger, changes, dataDir } = setup({ secretStore: store });
    const { backupId } = await vault.create(PASSWORD);
    const { words } = vault.backupWords(backupId);
    const created = vault.signer().privateKey;
    await vault.unlock(PASSWORD, true);
    await vault.changePassword(PASSWORD, 'second password');
    await refusal(vault.unlock('wrong guess'));
    await vault.exportSecret('second password');
    await vault.lock();

    const other = setup({ secretStore: store });
    await other.vault.import({ phrase: PHRASE, password: PASSWORD });
    await refusal(() => other.vault.import({ privateKey: KEY, password: PASSWORD }));

    const said = JSON.stringify([logger.lines, changes, other.logger.lines, other.changes]);
    for (const secret of [
      PASSWORD,
      'second password',
      'wrong guess',
      words.join(' '),
      PHRASE,
      created,
      KEY,
    ]) {
      expect(said).not.toContain(secret);
      expect(said).not.toContain(secret.replace(/^0x/, ''));
    }
    const onDisk = ['keystore', 'meta'].map((k) =>
      readFileSync(walletPaths(dataDir)[k as 'keystore' | 'meta'], 'utf8'),
    );
    expect(onDisk.join()).not.toContain(words.slice(0, 3).join(' '));
    expect(onDisk.join()).not.toContain(created.slice(2));
  });
});
