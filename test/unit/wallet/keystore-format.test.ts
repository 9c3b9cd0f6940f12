import { encryptKeystoreJson, Mnemonic, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import {
  decryptKeystore,
  DEFAULT_HD_PATH,
  encryptKeystore,
  KeystoreCorruptError,
  KeystoreUnsupportedError,
  readKeystoreInfo,
  WrongPasswordError,
} from '../../../src/main/wallet/keystore/keystore-format';

const PHRASE = 'test test test test test test test test test test test junk';
// The first Hardhat account (a public test key).
const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const KEY_ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const FAST = { scryptN: 1 << 10 };

/** The fields these tests alter, loosely typed so a test can put anything there. */
interface KeystoreJson {
  version?: unknown;
  address?: unknown;
  Crypto?: unknown;
  'x-nocturne'?: unknown;
  crypto?: {
    cipher: unknown;
    cipherparams: { iv: unknown };
    ciphertext: string;
    kdf: unknown;
    kdfparams: { n: unknown; r: unknown; salt?: unknown };
    mac: unknown;
  };
}
const edit = (
  json: string,
  change: (data: KeystoreJson & { crypto: NonNullable<KeystoreJson['crypto']> }) => void,
) => {
  const data = JSON.parse(json) as KeystoreJson & { crypto: NonNullable<KeystoreJson['crypto']> };
  change(data);
  return JSON.stringify(data);
};

describe('keystore format (Web3 Secret Storage v3)', () => {
  it('writes scrypt N = 2^17, r = 8, p = 1 by default, and reads it back', async () => {
    const json = await encryptKeystore({ kind: 'privateKey', privateKey: KEY }, 'correct horse');
    const data = JSON.parse(json);
    expect(data.version).toBe(3);
    expect(data.address).toBe(KEY_ADDRESS.slice(2).toLowerCase());
    expect(data.crypto.kdf).toBe('scrypt');
    expect(data.crypto.kdfparams).toMatchObject({ n: 1 << 17, r: 8, p: 1, dklen: 32 });
    expect(data.crypto.kdfparams.salt).toMatch(/^[0-9a-f]{64}$/);
    expect(data.crypto.cipher).toBe('aes-128-ctr');
    expect(data.crypto.cipherparams.iv).toMatch(/^[0-9a-f]{32}$/);
    expect(json).not.toContain(KEY.slice(2));

    const opened = await decryptKeystore(json, 'correct horse');
    expect(opened).toEqual({
      kind: 'privateKey',
      address: KEY_ADDRESS,
      privateKey: KEY,
      phrase: null,
      path: null,
    });
    expect(readKeystoreInfo(json)).toEqual({ kind: 'privateKey', address: KEY_ADDRESS, scryptN: 1 << 17 });
  });

  it('keeps an HD wallet phrase in x-nocturne, and the same key in crypto.ciphertext', async () => {
    const json = await encryptKeystore({ kind: 'mnemonic', phrase: PHRASE }, 'pw', FAST);
    const data = JSON.parse(json);
    expect(data['x-nocturne']).toMatchObject({ kind: 'mnemonic', version: 1, path: DEFAULT_HD_PATH });
    expect(data['x-nocturne'].mnemonicCounter).toMatch(/^[0-9a-f]{32}$/);
    expect(json).not.toContain('junk');

    const opened = await decryptKeystore(json, 'pw');
    expect(opened).toMatchObject({
      kind: 'mnemonic',
      address: KEY_ADDRESS,
      phrase: PHRASE,
      path: DEFAULT_HD_PATH,
    });
    expect(opened.privateKey).toBe(KEY);
    expect(readKeystoreInfo(json).kind).toBe('mnemonic');
  });

  it('each encryption uses a fresh salt, IV and id', async () => {
    const a = JSON.parse(await encryptKeystore({ kind: 'privateKey', privateKey: KEY }, 'pw', FAST));
    const b = JSON.parse(await encryptKeystore({ kind: 'privateKey', privateKey: KEY }, 'pw', FAST));
    expect(a.id).not.toBe(b.id);
    expect(a.crypto.kdfparams.salt).not.toBe(b.crypto.kdfparams.salt);
    expect(a.crypto.cipherparams.iv).not.toBe(b.crypto.cipherparams.iv);
    expect(a.crypto.ciphertext).not.toBe(b.crypto.ciphertext);
  });

  it('ethers opens our keystore at the production N (the interop proof)', async () => {
    const json = await encryptKeystore({ kind: 'mnemonic', phrase: PHRASE }, 'héllo wörld');
    const wallet = await Wallet.fromEncryptedJson(json, 'héllo wörld');
    expect(wallet.address).toBe(KEY_ADDRESS);
    expect(wallet.privateKey).toBe(KEY);
  });

  it('opens keystores ethers wrote, with and without its x-ethers phrase', async () => {
    const hd = Wallet.fromPhrase(PHRASE);
    const mnemonic = hd.mnemonic as Mnemonic;
    const withPhrase = await encryptKeystoreJson(
      {
        address: hd.address,
        privateKey: hd.privateKey,
        mnemonic: { entropy: mnemonic.entropy, path: DEFAULT_HD_PATH, locale: 'en' },
      },
      'pw',
      { scrypt: { N: 1 << 10 } },
    );
    expect(JSON.parse(withPhrase)['x-ethers']).toBeDefined();
    expect(await decryptKeystore(withPhrase, 'pw')).toEqual({
      kind: 'mnemonic',
      address: KEY_ADDRESS,
      privateKey: KEY,
      phrase: PHRASE,
      path: DEFAULT_HD_PATH,
    });

    const plain = await encryptKeystoreJson({ address: KEY_ADDRESS, privateKey: KEY }, 'pw', {
      scrypt: { N: 1 << 10 },
    });
    expect(await decryptKeystore(plain, 'pw')).toMatchObject({ kind: 'privateKey', privateKey: KEY });
    await expect(decryptKeystore(plain, 'not it')).rejects.toBeInstanceOf(WrongPasswordError);
  });

  it('normalises the password like ethers (NFKC), so either spelling of é opens it', async () => {
    const json = await encryptKeystore({ kind: 'privateKey', privateKey: KEY }, 'caf\u00e9', FAST);
    await expect(decryptKeystore(json, 'cafe\u0301')).resolves.toMatchObject({ address: KEY_ADDRESS });
  });

  it('refuses a wrong password with WrongPasswordError ("Wrong password.")', async () => {
    const json = await encryptKeystore({ kind: 'privateKey', privateKey: KEY }, 'right', FAST);
    const error = await decryptKeystore(json, 'wrong').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongPasswordError);
    expect((error as Error).message).toBe('Wrong password.');
    // An altered ciphertext fails the MAC the same way.
    const tampered = edit(json, (d) => {
      const c = d.crypto.ciphertext;
      d.crypto.ciphertext = `${c[0] === '0' ? '1' : '0'}${c.slice(1)}`;
    });
    await expect(decryptKeystore(tampered, 'right')).rejects.toBeInstanceOf(WrongPasswordError);
  });

  it('names the field at fault in a damaged file', async () => {
    const json = await encryptKeystore({ kind: 'mnemonic', phrase: PHRASE }, 'pw', FAST);
    const cases: [string, string, RegExp][] = [
      ['truncated', json.slice(0, json.length / 2), /not valid JSON/],
      ['array', '[]', /not a JSON object/],
      ['no crypto', edit(json, (d: KeystoreJson) => delete d.crypto), /crypto section is missing/],
      ['short mac', edit(json, (d) => (d.crypto.mac = 'abcd')), /crypto\.mac is 2 bytes; it must be 32/],
      ['bad iv', edit(json, (d) => (d.crypto.cipherparams.iv = 'zz')), /crypto\.cipherparams\.iv is not hex/],
      ['no salt', edit(json, (d) => delete d.crypto.kdfparams.salt), /crypto\.kdfparams\.salt is missing/],
      ['n not 2^k', edit(json, (d) => (d.crypto.kdfparams.n = 1000)), /kdfparams\.n is not a power of two/],
      ['bad address', edit(json, (d) => (d.address = 'xyz')), /address field is not 40 hex digits/],
      ['no version', edit(json, (d) => delete d.version), /version field is missing/],
    ];
    for (const [name, text, message] of cases) {
      const error = await decryptKeystore(text, 'pw').catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(KeystoreCorruptError);
      expect((error as Error).message, name).toMatch(message);
      expect((error as Error).message, name).toMatch(/^The keystore is damaged: /);
    }
  });

  it('notices an address or phrase that does not belong to the encrypted key', async () => {
    const json = await encryptKeystore({ kind: 'mnemonic', phrase: PHRASE }, 'pw', FAST);
    const otherAddress = edit(json, (d) => (d.address = '00'.repeat(20)));
    await expect(decryptKeystore(otherAddress, 'pw')).rejects.toThrow(/address field does not match/);

    // Move another wallet's x-nocturne into this file: same password, different phrase.
    const other = await encryptKeystore(
      { kind: 'mnemonic', phrase: Mnemonic.entropyToPhrase(new Uint8Array(16).fill(7)) },
      'pw',
      FAST,
    );
    const swapped = edit(json, (d) => (d['x-nocturne'] = JSON.parse(other)['x-nocturne']));
    const error = await decryptKeystore(swapped, 'pw').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeystoreCorruptError);
    expect((error as Error).message).not.toContain('abandon');
  });

  it('refuses what it does not support: other versions, kdfs, ciphers, and hostile scrypt parameters', async () => {
    const json = await encryptKeystore({ kind: 'privateKey', privateKey: KEY }, 'pw', FAST);
    const cases: [string, string, RegExp][] = [
      ['version 1', edit(json, (d) => (d.version = 1)), /version 1; Nocturne reads version 3/],
      ['pbkdf2', edit(json, (d) => (d.crypto.kdf = 'pbkdf2')), /key derivation "pbkdf2"/],
      ['cbc', edit(json, (d) => (d.crypto.cipher = 'aes-128-cbc')), /cipher "aes-128-cbc"/],
      ['N = 2^30', edit(json, (d) => (d.crypto.kdfparams.n = 2 ** 30)), /n is 2\^30; .* at most 2\^20/],
      ['r = 1024', edit(json, (d) => (d.crypto.kdfparams.r = 1024)), /r = 1024/],
    ];
    for (const [name, text, message] of cases) {
      const started = Date.now();
      const error = await decryptKeystore(text, 'pw').catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(KeystoreUnsupportedError);
      expect((error as Error).message, name).toMatch(message);
      expect(Date.now() - started, `${name} is refused before any key derivation`).toBeLessThan(100);
    }
    expect(() => readKeystoreInfo(edit(json, (d) => (d.crypto.kdfparams.n = 2 ** 30)))).toThrow(
      KeystoreUnsupportedError,
    );
  });

  it("accepts geth's spelling (lower-case crypto) and ethers' (Crypto), and N up to 2^20", async () => {
    const json = await encryptKeystore({ kind: 'privateKey', privateKey: KEY }, 'pw', FAST);
    const upper = edit(json, (d) => {
      const data: KeystoreJson = d;
      data.Crypto = data.crypto;
      delete data.crypto;
    });
    await expect(decryptKeystore(upper, 'pw')).resolves.toMatchObject({ privateKey: KEY });
    await expect(
      encryptKeystore({ kind: 'privateKey', privateKey: KEY }, 'pw', { scryptN: 1 << 21 }),
    ).rejects.toThrow(/power of two up to 2\^20/);
  });
});
